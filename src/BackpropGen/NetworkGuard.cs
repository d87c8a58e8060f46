using System;
using System.ComponentModel;

namespace BackpropGen
{
    /// <summary>Checks generated networks use to refuse non-finite updates.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class NetworkGuard
    {
        /// <summary>True when no value is NaN or ±∞.</summary>
        public static bool AllFinite(ReadOnlySpan<float> values)
        {
            // x − x is 0 for every finite x and NaN for NaN and ±∞; NaN survives the sum.
            float sum = 0;
            for (int i = 0; i < values.Length; i++)
            {
                sum += values[i] - values[i];
            }

            return sum == 0;
        }

        /// <summary>True when no value is NaN or ±∞.</summary>
        public static bool AllFinite(ReadOnlySpan<double> values)
        {
            double sum = 0;
            for (int i = 0; i < values.Length; i++)
            {
                sum += values[i] - values[i];
            }

            return sum == 0;
        }
    }
}
