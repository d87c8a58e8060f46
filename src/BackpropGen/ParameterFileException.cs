using System.IO;

namespace BackpropGen
{
    /// <summary>
    /// A parameter file could not be loaded; <see cref="Error"/> says why. The network it was to be
    /// loaded into is unchanged.
    /// </summary>
    public sealed class ParameterFileException : IOException
    {
        /// <summary>Creates the exception for <paramref name="error"/>.</summary>
        public ParameterFileException(ParameterFileError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>What is wrong with the file.</summary>
        public ParameterFileError Error { get; }
    }
}
