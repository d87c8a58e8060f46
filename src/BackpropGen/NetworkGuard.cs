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

        /// <summary>True when every value and its square are finite (Adam's second moment holds g²).</summary>
        public static bool AllSquaresFinite(ReadOnlySpan<float> values)
        {
            float sum = 0;
            for (int i = 0; i < values.Length; i++)
            {
                float square = values[i] * values[i];
                sum += square - square;
            }

            return sum == 0;
        }

        /// <summary>True when every value and its square are finite (Adam's second moment holds g²).</summary>
        public static bool AllSquaresFinite(ReadOnlySpan<double> values)
        {
            double sum = 0;
            for (int i = 0; i < values.Length; i++)
            {
                double square = values[i] * values[i];
                sum += square - square;
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
