using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// What the consuming compilation offers the emitted code, reduced to a value so a new
    /// compilation (every keystroke) does not invalidate the pipeline.
    /// </summary>
    /// <param name="HasMathF">System.MathF exists (netstandard2.1, .NET Core 2.0+); otherwise float math goes through System.Math.</param>
    /// <param name="SupportsNullableDirective">C# 8 or later: the file may say <c>#nullable enable</c>.</param>
    /// <param name="HasVector256">
    /// .NET 8 or later: System.Runtime.Intrinsics.Vector256 with LoadUnsafe, Sum and operators, so wide
    /// layers get vector code (behind Vector256.IsHardwareAccelerated, with the scalar code as fallback).
    /// </param>
    /// <param name="HasCreateSpan">
    /// MemoryMarshal.CreateSpan exists (netstandard2.1, .NET Core 2.1+), so a split network moves θ (one
    /// sequential struct) as a span instead of one statement per parameter.
    /// </param>
    /// <param name="HasVectorMath">
    /// .NET 9 or later: Vector256.Exp and Vector256.Log (and their Vector128 twins), so the batch shape
    /// computes e^x and ln x of eight samples at once; before, it calls the scalar function lane by lane.
    /// </param>
    internal sealed record TargetFeatures(bool HasMathF, bool SupportsNullableDirective, bool HasVector256 = false, bool HasCreateSpan = false, bool HasVectorMath = false)
    {
        private static readonly Version s_systemRuntimeWithVectorMath = new(9, 0, 0, 0);
        private static readonly Version s_systemRuntimeWithCreateSpan = new(4, 2, 1, 0);
        private static readonly Version s_systemRuntimeWithVector256 = new(8, 0, 0, 0);
        private static readonly Version s_netStandardWithMathF = new(2, 1, 0, 0);
        private static readonly Version s_systemRuntimeWithMathF = new(4, 2, 0, 0);

        /// <summary>
        /// Reads the features off the referenced assemblies' names rather than looking System.MathF up:
        /// GetTypeByMetadataName on each new compilation (every keystroke in an IDE) cost tens of
        /// milliseconds per run in IncrementalTests. MathF is in netstandard 2.1+ and in every .NET Core
        /// (System.Runtime 4.2+); .NET Framework and netstandard2.0 lack it. When unsure, the answer is
        /// "no": System.Math is always there, so a wrong "no" costs a little speed, never a build.
        /// </summary>
        public static TargetFeatures Of(Compilation compilation)
        {
            bool hasMathF = false;
            bool hasVector256 = false;
            bool hasCreateSpan = false;
            bool hasVectorMath = false;
            foreach (AssemblyIdentity reference in compilation.ReferencedAssemblyNames)
            {
                if ((reference.Name == "netstandard" && reference.Version >= s_netStandardWithMathF) ||
                    (reference.Name == "System.Runtime" && reference.Version >= s_systemRuntimeWithMathF))
                {
                    hasMathF = true;
                }

                if ((reference.Name == "netstandard" && reference.Version >= s_netStandardWithMathF) ||
                    (reference.Name == "System.Runtime" && reference.Version >= s_systemRuntimeWithCreateSpan))
                {
                    hasCreateSpan = true;
                }

                if (reference.Name == "System.Runtime" && reference.Version >= s_systemRuntimeWithVector256)
                {
                    hasVector256 = true;
                }

                if (reference.Name == "System.Runtime" && reference.Version >= s_systemRuntimeWithVectorMath)
                {
                    hasVectorMath = true;
                }
            }

            return new TargetFeatures(
                HasMathF: hasMathF,
                SupportsNullableDirective: compilation is CSharpCompilation { LanguageVersion: >= LanguageVersion.CSharp8 },
                // The vector code writes element offsets as int constants converted to nuint (C# 9).
                HasVector256: hasVector256 && compilation is CSharpCompilation { LanguageVersion: >= LanguageVersion.CSharp9 },
                HasCreateSpan: hasCreateSpan,
                HasVectorMath: hasVectorMath);
        }
    }
}
