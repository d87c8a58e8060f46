using System.Globalization;

namespace BackpropGen.Generator.Diagnostics
{
    /// <summary>Counts in messages, with the noun in the right number: "1 input", "2 inputs".</summary>
    internal static class Counts
    {
        public static string Of(int count, string singular) => Of(count, singular, singular + "s");

        public static string Of(int count, string singular, string plural) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);
    }
}
