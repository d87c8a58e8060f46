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
    }
}
