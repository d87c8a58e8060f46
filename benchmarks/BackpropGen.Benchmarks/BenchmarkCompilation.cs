using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Benchmarks
{
    /// <summary>What the generator and compiler benchmarks compile against: the running framework and the BackpropGen runtime.</summary>
    internal static class BenchmarkCompilation
    {
        public static IEnumerable<MetadataReference> References() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                .Append(typeof(INetwork<>).Assembly.Location)
                .Select(p => MetadataReference.CreateFromFile(p));
    }
}
