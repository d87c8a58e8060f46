using System.Globalization;
using System.Text;

namespace BackpropGen.Generator.Emit
{
    /// <summary>The MATH.md notation for comments: w¹₀₂, δᴸⱼ, a⁰ₖ.</summary>
    internal static class Notation
    {
        private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        private const string Subscripts = "₀₁₂₃₄₅₆₇₈₉";

        public static string Sup(int value) => Map(value, Superscripts);

        public static string Sub(int value) => Map(value, Subscripts);

        /// <summary>Two subscripts, separated by a comma when either has more than one digit (w¹₁₂,₃).</summary>
        public static string Sub(int first, int second) =>
            first > 9 || second > 9 ? Sub(first) + "," + Sub(second) : Sub(first) + Sub(second);

        private static string Map(int value, string digits)
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            var builder = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                builder.Append(c >= '0' && c <= '9' ? digits[c - '0'] : c);
            }

            return builder.ToString();
        }
    }
}
