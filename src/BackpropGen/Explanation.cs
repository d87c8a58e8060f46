using System.Globalization;

namespace BackpropGen
{
    /// <summary>
    /// How a generated <c>ExplainStep</c> (<c>[Network(…, Explain = true)]</c>) writes its numbers:
    /// invariant culture, shortest text that reads back as the same value, so a printed step can be
    /// checked by hand and compared across machines.
    /// </summary>
    public static class Explanation
    {
        /// <summary>A float as the shortest invariant-culture text that parses back to exactly <paramref name="value"/>.</summary>
        public static string Number(float value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);

            // "R" does not always round-trip a float on .NET Framework and Mono.
            return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float back) && back.Equals(value)
                ? text
                : value.ToString("G9", CultureInfo.InvariantCulture);
        }

        /// <summary><see cref="Number(float)"/>, in parentheses when negative (a term inside an expression: "0.5·(-0.25)").</summary>
        public static string Term(float value) => value < 0 ? "(" + Number(value) + ")" : Number(value);

        /// <summary><see cref="Number(double)"/>, in parentheses when negative (a term inside an expression: "0.5·(-0.25)").</summary>
        public static string Term(double value) => value < 0 ? "(" + Number(value) + ")" : Number(value);

        /// <summary>A double as the shortest invariant-culture text that parses back to exactly <paramref name="value"/>.</summary>
        public static string Number(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double back) && back.Equals(value)
                ? text
                : value.ToString("G17", CultureInfo.InvariantCulture);
        }
    }
}
