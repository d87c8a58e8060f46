using System;
using System.ComponentModel;
using System.Globalization;

namespace BackpropGen
{
    /// <summary>Throws the exceptions of generated networks; kept out of line so the checks stay cheap.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class NetworkThrowHelper
    {
        /// <summary>Throws an <see cref="ArgumentException"/> saying which span had the wrong length.</summary>
        public static void ThrowLengthMismatch(string parameterName, int expected, int actual)
        {
            throw new ArgumentException(
                "Expected a span of length " + expected.ToString(CultureInfo.InvariantCulture) +
                " but got one of length " + actual.ToString(CultureInfo.InvariantCulture) + ".",
                parameterName);
        }

        /// <summary>Throws an <see cref="ArgumentException"/> saying that a batch span is not a whole number of samples.</summary>
        public static void ThrowNotWholeSamples(string parameterName, int perSample, int actual)
        {
            throw new ArgumentException(
                "Expected a whole number of samples of " + perSample.ToString(CultureInfo.InvariantCulture) +
                " values each but got a span of length " + actual.ToString(CultureInfo.InvariantCulture) + ".",
                parameterName);
        }

        /// <summary>Throws an <see cref="ArgumentException"/> saying which batch span had the wrong length for the sample count.</summary>
        public static void ThrowBatchLengthMismatch(string parameterName, long expected, int actual)
        {
            throw new ArgumentException(
                "Expected a span of length " + expected.ToString(CultureInfo.InvariantCulture) +
                " (the sample count times the values per sample) but got one of length " + actual.ToString(CultureInfo.InvariantCulture) + ".",
                parameterName);
        }

        /// <summary>
        /// The checks of a generated <c>SetInputScaling</c>: both spans of length <paramref name="inputCount"/>,
        /// every offset finite, every scale finite and not 0 (a zero scale would erase its input, and the
        /// generated code reads a stored 0 as "never set", that is s = 1). Throws before anything changes.
        /// </summary>
        public static void CheckInputScaling(ReadOnlySpan<float> offset, ReadOnlySpan<float> scale, int inputCount)
        {
            CheckInputScalingLengths(offset.Length, scale.Length, inputCount);
            for (int k = 0; k < inputCount; k++)
            {
                CheckInputScalingValues(offset[k], scale[k], k);
            }
        }

        /// <summary>The checks of a generated <c>SetInputScaling</c> of a double network.</summary>
        public static void CheckInputScaling(ReadOnlySpan<double> offset, ReadOnlySpan<double> scale, int inputCount)
        {
            CheckInputScalingLengths(offset.Length, scale.Length, inputCount);
            for (int k = 0; k < inputCount; k++)
            {
                CheckInputScalingValues(offset[k], scale[k], k);
            }
        }

        private static void CheckInputScalingLengths(int offsetLength, int scaleLength, int inputCount)
        {
            if (offsetLength != inputCount)
            {
                ThrowLengthMismatch("offset", inputCount, offsetLength);
            }

            if (scaleLength != inputCount)
            {
                ThrowLengthMismatch("scale", inputCount, scaleLength);
            }
        }

        private static void CheckInputScalingValues(double offset, double scale, int k)
        {
            if (double.IsNaN(offset) || double.IsInfinity(offset))
            {
                throw new ArgumentException("offset[" + k.ToString(CultureInfo.InvariantCulture) + "] is " + offset.ToString(CultureInfo.InvariantCulture) + "; an input offset must be finite.", "offset");
            }

            if (double.IsNaN(scale) || double.IsInfinity(scale) || scale == 0)
            {
                throw new ArgumentException("scale[" + k.ToString(CultureInfo.InvariantCulture) + "] is " + scale.ToString(CultureInfo.InvariantCulture) + "; an input scale must be finite and not 0 (0 would erase the input).", "scale");
            }
        }
    }
}
