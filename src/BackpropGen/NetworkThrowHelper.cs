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
    }
}
