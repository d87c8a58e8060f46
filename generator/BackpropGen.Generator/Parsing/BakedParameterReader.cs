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
                return new BakedRead(key, Read(key.Spec, key.Request, files, cancellationToken) ?? EquatableArray<double>.Empty, null, EquatableArray<string>.Empty);
            }
            catch (BakedFileException failure)
            {
                return new BakedRead(key, EquatableArray<double>.Empty, failure.Descriptor, new EquatableArray<string>(failure.Arguments));
            }
        }

        private static EquatableArray<double>? Read(NetworkSpec spec, BakedRequest request, EquatableArray<AdditionalFileContent> files, CancellationToken cancellationToken)
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

            object? document;
            try
            {
                document = MiniJson.Parse(file.Text);
            }
            catch (MiniJson.SyntaxError error)
            {
                throw Invalid(request, "invalid JSON at " + error.Message);
            }

            if (document is not Dictionary<string, object?> root)
            {
                throw Invalid(request, "the document is not a JSON object");
            }

            CheckTopology(spec, request, root);
            if (!root.TryGetValue("parameters", out object? parametersValue) || parametersValue is not List<object?> parameters)
            {
                throw Invalid(request, "it has no \"parameters\" array");
            }

            if (parameters.Count != spec.ParameterCount)
            {
                throw new BakedFileException(
                    DiagnosticDescriptors.BakedCountMismatch,
                    request.Path,
                    Counts.Of(parameters.Count, "parameter"),
                    spec.TypeName,
                    Counts.Of(spec.ParameterCount, "parameter"));
            }

            bool single = spec.Precision == Precision.Single;
            var values = new double[parameters.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (parameters[i] is not MiniJson.Number number)
                {
                    throw Invalid(request, "parameter [" + Text(i) + "] is not a number");
                }

                // Parse in the network's own precision, so a float is the float nearest the digits.
                // TryParse: on .NET Framework hosts (Visual Studio) Parse throws on overflow instead of returning ∞.
                bool parsed;
                double value;
                if (single)
                {
                    parsed = float.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out float singleValue);
                    value = singleValue;
                }
                else
                {
                    parsed = double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                }

                if (!parsed || double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw new BakedFileException(DiagnosticDescriptors.BakedValueNotFinite, request.Path, Text(i), number.Text, single ? "float" : "double");
                }

                values[i] = value;
            }

            return new EquatableArray<double>(values);
        }

        /// <summary>When the file carries a topology signature (ParameterFile.SaveJson writes one), it must be this network's.</summary>
        private static void CheckTopology(NetworkSpec spec, BakedRequest request, Dictionary<string, object?> root)
        {
            var mismatches = new List<string>();
            if (root.TryGetValue("inputs", out object? inputs) && (inputs as MiniJson.Number)?.Text != Text(spec.Inputs))
            {
                mismatches.Add("inputs " + Describe(inputs));
            }

            if (root.TryGetValue("layers", out object? layersValue))
            {
                string fileLayers = layersValue is List<object?> layers
                    ? string.Join(" → ", layers.Select(l => l is Dictionary<string, object?> layer
                        ? Describe(layer.TryGetValue("size", out object? size) ? size : null) + " " + Describe(layer.TryGetValue("activation", out object? activation) ? activation : null)
                        : "?"))
                    : "?";
                string networkLayers = string.Join(" → ", spec.Layers.Select(l => Text(l.Size) + " " + l.Activation));
                if (fileLayers != networkLayers)
                {
                    mismatches.Add("layers " + fileLayers);
                }
            }

            if (root.TryGetValue("loss", out object? loss) && loss as string != spec.Loss.ToString())
            {
                mismatches.Add("loss " + Describe(loss));
            }

            if (mismatches.Count > 0)
            {
                string network = Counts.Of(spec.Inputs, "input") + " → " + string.Join(" → ", spec.Layers.Select(l => Text(l.Size) + " " + l.Activation)) + ", loss " + spec.Loss;
                throw new BakedFileException(DiagnosticDescriptors.BakedTopologyMismatch, request.Path, string.Join(", ", mismatches), spec.TypeName, network);
            }
        }

        private static string Describe(object? value) => value switch
        {
            MiniJson.Number number => number.Text,
            string text => text,
            null => "(none)",
            _ => "?",
        };

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
