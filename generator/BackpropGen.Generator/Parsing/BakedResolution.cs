using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// What a baked parameter file is read for: the spec it must fit and the path as written. No
    /// location, so an edit that only moves the declaration leaves it equal and the read cached.
    /// </summary>
    internal sealed record BakedKey(NetworkSpec Spec, BakedRequest Request);

    /// <summary>
    /// The outcome of reading one baked file: the values (and the input scaling, μ then s, of an
    /// InputScaling network), or the diagnostic (descriptor and message
    /// arguments, placed later on the attribute's argument).
    /// </summary>
    internal sealed record BakedRead(BakedKey Key, EquatableArray<double> Values, DiagnosticDescriptor? Failure, EquatableArray<string> FailureArgs, EquatableArray<double> InputScaling);

    /// <summary>
    /// The pipeline side of [BakedParameters]: which parse results need a file read
    /// (<see cref="KeyOf"/>), and putting each read back into its parse result (<see cref="Attach"/>).
    /// The read itself is <see cref="BakedParameterReader.Read(BakedKey, EquatableArray{AdditionalFileContent}, System.Threading.CancellationToken)"/>.
    /// </summary>
    internal static class BakedResolution
    {
        public static bool NeedsFile(ParseResult result) => result.Spec is not null && result.Baked is not null;

        public static BakedKey KeyOf(ParseResult result) => new(result.Spec!, result.Baked!);

        /// <summary>The parse result with its file's values in the spec, or with the file's diagnostic and no spec.</summary>
        public static ParseResult Attach(ParseResult result, System.Collections.Immutable.ImmutableArray<BakedRead> reads)
        {
            if (!NeedsFile(result))
            {
                return result;
            }

            BakedKey key = KeyOf(result);
            BakedRead? read = reads.FirstOrDefault(r => r.Key.Equals(key));
            if (read is null)
            {
                // Both come from the same parse in the same run; never expected, and never a crash.
                return Fail(result, DiagnosticInfo.Create(
                    DiagnosticDescriptors.GeneratorFailure,
                    result.BakedWhere,
                    result.Spec!.TypeName,
                    nameof(BakedRead),
                    "the baked parameter file was not read"));
            }

            if (read.Failure is not null)
            {
                return Fail(result, new DiagnosticInfo(read.Failure, result.BakedWhere, read.FailureArgs));
            }

            return result with { Spec = result.Spec! with { BakedParameters = read.Values, BakedInputScaling = read.InputScaling } };
        }

        private static ParseResult Fail(ParseResult result, DiagnosticInfo diagnostic) =>
            new(null, new EquatableArray<DiagnosticInfo>(result.Diagnostics.Append(diagnostic).ToArray()));
    }
}
