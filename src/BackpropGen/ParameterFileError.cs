namespace BackpropGen
{
    /// <summary>What is wrong with a parameter file (see <see cref="ParameterFileException"/>).</summary>
    public enum ParameterFileError
    {
        /// <summary>The file or stream holds no bytes at all.</summary>
        Empty = 0,

        /// <summary>The file does not start with the BackpropGen magic (or JSON format marker): it is something else.</summary>
        NotAParameterFile = 1,

        /// <summary>The file was written in a format version this library does not read.</summary>
        UnsupportedVersion = 2,

        /// <summary>The file ends before the parameters it announces.</summary>
        Truncated = 3,

        /// <summary>The checksum does not match: the file was damaged after it was written.</summary>
        ChecksumMismatch = 4,

        /// <summary>The file holds float parameters and the network double ones, or the other way round.</summary>
        PrecisionMismatch = 5,

        /// <summary>The file was saved from a network of another shape (inputs, layers, activations or loss).</summary>
        TopologyMismatch = 6,

        /// <summary>The content is not well formed (bad JSON, impossible counts, trailing bytes, non-finite values).</summary>
        Malformed = 7,

        /// <summary>
        /// The file holds input scaling (saved from a network declared with <see cref="NetworkAttribute.InputScaling"/>)
        /// but the network has none, or it was read with a method that returns only the parameters.
        /// </summary>
        InputScalingMismatch = 8,
    }
}
