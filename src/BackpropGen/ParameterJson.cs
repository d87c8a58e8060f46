using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropGen
{
    /// <summary>
    /// The one reading of a JSON parameter file, for <c>ParameterFile.ReadJson</c> and for
    /// <c>[BakedParameters]</c>: the generator compiles this same file (as it does <see cref="MiniJson"/>),
    /// so a file the runtime loads is a file the generator bakes, and the other way round.
    /// </summary>
    /// <remarks>
    /// A file must carry "format", "version": 1, "inputs", "layers" and "parameters". Its shape
    /// (inputs, and each layer's size and activation) must be the network's. "precision" and "loss"
    /// are informational: JSON numbers carry no precision, and the loss (like the optimizer) is a
    /// training setting, not part of the shape.
    /// </remarks>
    internal static class ParameterJson
    {
        /// <summary>The value of the "format" property of every JSON parameter file.</summary>
        public const string Format = "BackpropGen.Parameters";

        public enum Problem
        {
            /// <summary>Nothing but white space.</summary>
            Empty,

            /// <summary>Not JSON, or a required property missing or of the wrong kind.</summary>
            Malformed,

            /// <summary>JSON, but without "format": "BackpropGen.Parameters".</summary>
            NotAParameterFile,

            /// <summary>A "version" other than 1.</summary>
            UnsupportedVersion,

            /// <summary>Other inputs or layers; <see cref="Failure.Detail"/> is the file's shape.</summary>
            ShapeMismatch,

            /// <summary>Another number of parameters; <see cref="Failure.Detail"/> is the file's count.</summary>
            CountMismatch,

            /// <summary>A parameter that is not a finite number; <see cref="Failure.Index"/> and <see cref="Failure.Detail"/> (its text) say which.</summary>
            NotFinite,
        }

        /// <summary>What is wrong with a file; the message completes "The JSON parameter file …" / "… is not a usable parameter file: …".</summary>
        public sealed class Failure : Exception
        {
            public Failure(Problem problem, string message, string detail = "", int index = -1)
                : base(message)
            {
                Kind = problem;
                Detail = detail;
                Index = index;
            }

            public Problem Kind { get; }

            public string Detail { get; }

            public int Index { get; }
        }

        /// <summary>
        /// Reads <paramref name="text"/> and checks it against a network of <paramref name="inputs"/>
        /// inputs and <paramref name="layers"/> (each layer's size and its activation as the
        /// <c>Activation</c> enum spells it); returns the parameters in canonical order, each parsed
        /// in the network's precision (a float is the float nearest the digits, widened exactly).
        /// </summary>
        /// <exception cref="Failure">The file is unusable for this network.</exception>
        public static double[] Read(string text, int inputs, IReadOnlyList<KeyValuePair<int, string>> layers, bool single)
        {
            if (text.Trim().Length == 0)
            {
                throw new Failure(Problem.Empty, "is empty");
            }

            object? document;
            try
            {
                document = MiniJson.Parse(text);
            }
            catch (MiniJson.SyntaxError error)
            {
                throw new Failure(Problem.Malformed, "is not valid JSON at " + error.Message);
            }

            if (document is not Dictionary<string, object?> root || !(root.TryGetValue("format", out object? format) && format as string == Format))
            {
                throw new Failure(Problem.NotAParameterFile, "is not a BackpropGen parameter file: it needs \"format\": \"" + Format + "\"");
            }

            if (!root.TryGetValue("version", out object? version) || version is not MiniJson.Number { Text: "1" })
            {
                throw new Failure(Problem.UnsupportedVersion, "needs \"version\": 1");
            }

            int fileInputs = ReadCount(root, "inputs");
            if (!root.TryGetValue("layers", out object? layersValue) || layersValue is not List<object?> layerList || layerList.Count == 0)
            {
                throw new Failure(Problem.Malformed, "needs \"layers\": [ { \"size\": n, \"activation\": \"Tanh\" }, … ]");
            }

            var fileLayers = new KeyValuePair<int, string>[layerList.Count];
            for (int i = 0; i < fileLayers.Length; i++)
            {
                if (layerList[i] is not Dictionary<string, object?> layer)
                {
                    throw new Failure(Problem.Malformed, "has a layer " + Text(i + 1) + " that is not an object");
                }

                if (!layer.TryGetValue("activation", out object? activation) || activation is not string name)
                {
                    throw new Failure(Problem.Malformed, "needs \"activation\" as a name in layer " + Text(i + 1));
                }

                fileLayers[i] = new KeyValuePair<int, string>(ReadCount(layer, "size"), name);
            }

            if (fileInputs != inputs || !SameLayers(fileLayers, layers))
            {
                string shape = Shape(fileInputs, fileLayers);
                throw new Failure(Problem.ShapeMismatch, "was saved from a network of another shape: file " + shape + ", network " + Shape(inputs, layers), shape);
            }

            if (!root.TryGetValue("parameters", out object? parametersValue) || parametersValue is not List<object?> parameters)
            {
                throw new Failure(Problem.Malformed, "needs \"parameters\": [ … ] in canonical order");
            }

            int expected = CountParameters(inputs, layers);
            if (parameters.Count != expected)
            {
                throw new Failure(Problem.CountMismatch, "holds " + Count(parameters.Count, "parameter") + "; this shape has " + Text(expected), Text(parameters.Count));
            }

            var values = new double[parameters.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (parameters[i] is not MiniJson.Number number)
                {
                    throw new Failure(Problem.Malformed, "has a parameter [" + Text(i) + "] that is not a number");
                }

                // TryParse: on .NET Framework (and Visual Studio's compiler host) Parse throws on overflow where .NET Core returns ∞.
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
                    throw new Failure(Problem.NotFinite, "has parameter [" + Text(i) + "] = " + number.Text + ", which is not a finite " + (single ? "float" : "double"), number.Text, i);
                }

                values[i] = value;
            }

            return values;
        }

        /// <summary>"4 inputs → 8 Tanh → 3 Softmax".</summary>
        public static string Shape(int inputs, IReadOnlyList<KeyValuePair<int, string>> layers)
        {
            var text = new StringBuilder(Count(inputs, "input"));
            foreach (KeyValuePair<int, string> layer in layers)
            {
                text.Append(" → ").Append(Text(layer.Key)).Append(' ').Append(layer.Value);
            }

            return text.ToString();
        }

        /// <summary>"1 parameter", "44 parameters".</summary>
        public static string Count(int count, string noun) => Text(count) + " " + noun + (count == 1 ? string.Empty : "s");

        private static bool SameLayers(IReadOnlyList<KeyValuePair<int, string>> left, IReadOnlyList<KeyValuePair<int, string>> right)
        {
            if (left.Count != right.Count)
            {
                return false;
            }

            for (int i = 0; i < left.Count; i++)
            {
                if (left[i].Key != right[i].Key || !string.Equals(left[i].Value, right[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private static int CountParameters(int inputs, IReadOnlyList<KeyValuePair<int, string>> layers)
        {
            long count = 0;
            long previous = inputs;
            foreach (KeyValuePair<int, string> layer in layers)
            {
                count += (previous + 1) * layer.Key;
                previous = layer.Key;
            }

            return count > int.MaxValue ? int.MaxValue : (int)count;
        }

        /// <summary>A whole number ≥ 1.</summary>
        private static int ReadCount(Dictionary<string, object?> json, string name)
        {
            if (json.TryGetValue(name, out object? value) && value is MiniJson.Number number &&
                int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int result) && result >= 1)
            {
                return result;
            }

            throw new Failure(Problem.Malformed, "needs \"" + name + "\" as a whole number of at least 1");
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
