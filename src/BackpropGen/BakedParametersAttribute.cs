using System;

namespace BackpropGen
{
    /// <summary>
    /// Bakes a network's parameters into its generated code: the generator reads the JSON parameter
    /// file (see <c>ParameterFile.SaveJson</c>) and writes every weight and bias into the unrolled code
    /// as a literal, so the JIT or AOT compiler folds them and the network has no parameter fields.
    /// The network is frozen (inference only). The file must be listed in the project as
    /// <c>&lt;AdditionalFiles Include="path/to/file.json" /&gt;</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class BakedParametersAttribute : Attribute
    {
        /// <summary>Bakes the parameters in <paramref name="path"/>.</summary>
        /// <param name="path">The JSON parameter file, as listed in AdditionalFiles (relative to the project, or just its file name).</param>
        public BakedParametersAttribute(string path)
        {
            Path = path;
        }

        /// <summary>The JSON parameter file.</summary>
        public string Path { get; }
    }
}
