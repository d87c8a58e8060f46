using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Resolves a [BakedParameters] request against the project's AdditionalFiles: finds the file,
    /// parses it with the runtime's own JSON reader, checks it against the network and puts the
    /// values into the spec. Every problem becomes a diagnostic on the attribute's argument
    /// (placed there by <see cref="BakedResolution.Attach"/>).
    /// </summary>
    internal static class BakedParameterReader
    {
        /// <summary>Reads the file <paramref name="key"/> asks for; every problem becomes the outcome's failure.</summary>
        public static BakedRead Read(BakedKey key, EquatableArray<AdditionalFileContent> files, CancellationToken cancellationToken)
        {
            try
            {
                EquatableArray<double> values = Read(key.Spec, key.Request, files, cancellationToken, out EquatableArray<double> inputScaling);
                return new BakedRead(key, values, null, EquatableArray<string>.Empty, inputScaling);
            }
            catch (BakedFileException failure)
            {
                return new BakedRead(key, EquatableArray<double>.Empty, failure.Descriptor, new EquatableArray<string>(failure.Arguments), EquatableArray<double>.Empty);
            }
        }

        /// <summary>
        /// The parameters, and in <paramref name="inputScaling"/> μ then s of every input for an
        /// InputScaling network: the file's, or μ = 0 and s = 1 from a file without (as LoadJson does).
        /// </summary>
        private static EquatableArray<double> Read(NetworkSpec spec, BakedRequest request, EquatableArray<AdditionalFileContent> files, CancellationToken cancellationToken, out EquatableArray<double> inputScaling)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The path as written, relative to the project: match it against the end of each
            // AdditionalFiles path ("Models/w.json" matches ".../Models/w.json", not ".../OtherModels/w.json").
            string wanted = Normalize(request.Path);
            AdditionalFileContent[] candidates = files
                .Where(f => Normalize(f.Path) == wanted || Normalize(f.Path).EndsWith("/" + wanted, StringComparison.Ordinal))
                .ToArray();
            if (candidates.Length == 0)
            {
                throw new BakedFileException(DiagnosticDescriptors.BakedFileNotFound, request.Path);
            }

            if (candidates.Length > 1)
            {
                throw Invalid(request, "it matches several AdditionalFiles (" + string.Join(", ", candidates.Select(c => c.Path)) + "); give more of its path");
            }

            AdditionalFileContent file = candidates[0];

            if (file.Text is null)
            {
                throw Invalid(request, "it cannot be read");
            }

            // The runtime's own reading (ParameterJson, compiled into the generator too): a file
            // ParameterFile.LoadJson accepts is baked, and a file it refuses is refused here.
            KeyValuePair<int, string>[] layers = spec.Layers.Select(l => new KeyValuePair<int, string>(l.Size, l.Activation.ToString())).ToArray();
            bool single = spec.Precision == Precision.Single;
            try
            {
                double[] values = ParameterJson.Read(file.Text, spec.Inputs, layers, single, spec.InputScaling, out double[]? scaling);
                inputScaling = !spec.InputScaling ? EquatableArray<double>.Empty
                    : new EquatableArray<double>(scaling ?? Enumerable.Range(0, 2 * spec.Inputs).Select(i => i < spec.Inputs ? 0.0 : 1.0).ToArray());
                return new EquatableArray<double>(values);
            }
            catch (ParameterJson.Failure failure)
            {
                throw failure.Kind switch
                {
                    ParameterJson.Problem.ShapeMismatch => new BakedFileException(DiagnosticDescriptors.BakedTopologyMismatch, request.Path, failure.Detail, spec.TypeName, ParameterJson.Shape(spec.Inputs, layers)),
                    ParameterJson.Problem.CountMismatch => new BakedFileException(DiagnosticDescriptors.BakedCountMismatch, request.Path, Counts.Of(int.Parse(failure.Detail, CultureInfo.InvariantCulture), "parameter"), spec.TypeName, Counts.Of(spec.ParameterCount, "parameter")),
                    ParameterJson.Problem.InputScalingMismatch => new BakedFileException(DiagnosticDescriptors.BakedInputScalingMismatch, request.Path, spec.TypeName),
                    ParameterJson.Problem.NotFinite => new BakedFileException(DiagnosticDescriptors.BakedValueNotFinite, request.Path, Text(failure.Index), failure.Detail, single ? "float" : "double"),
                    ParameterJson.Problem.Empty or ParameterJson.Problem.Malformed or ParameterJson.Problem.NotAParameterFile or ParameterJson.Problem.UnsupportedVersion => Invalid(request, "it " + failure.Message),
                    _ => Invalid(request, "unexpected problem " + failure.Kind),
                };
            }
        }

        /// <summary>Forward slashes, without a leading "./" or "../" (hidden names like ".weights.json" keep their dot).</summary>
        private static string Normalize(string path)
        {
            string normalized = path.Replace('\\', '/');
            while (normalized.StartsWith("./", StringComparison.Ordinal) || normalized.StartsWith("../", StringComparison.Ordinal))
            {
                normalized = normalized.Substring(normalized.IndexOf('/') + 1);
            }

            return normalized;
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static BakedFileException Invalid(BakedRequest request, string problem) =>
            new(DiagnosticDescriptors.BakedFileInvalid, request.Path, problem);

        private sealed class BakedFileException : Exception
        {
            public BakedFileException(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] arguments)
            {
                Descriptor = descriptor;
                Arguments = arguments;
            }

            public Microsoft.CodeAnalysis.DiagnosticDescriptor Descriptor { get; }

            public string[] Arguments { get; }
        }
    }
}
