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
    /// A file must carry "format", "version", "inputs", "layers" and "parameters". Its shape
    /// (inputs, and each layer's size and activation) must be the network's. "precision" and "loss"
    /// are informational: JSON numbers carry no precision, and the loss (like the optimizer) is a
    /// training setting, not part of the shape. Version 2 is version 1 plus "inputScaling":
    /// { "offset": [μ…], "scale": [s…] } of an InputScaling network (version 1 files have none, so a
    /// reader that knows only version 1 refuses a scaled file instead of dropping its scaling).
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

            /// <summary>A "version" other than 1 or 2.</summary>
            UnsupportedVersion,

            /// <summary>The file holds input scaling but the network has none (declared without InputScaling).</summary>
            InputScalingMismatch,

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
        /// <paramref name="inputScaling"/> receives the file's input scaling (μ of every input, then s of
        /// every input) or null when it has none; a file with scaling is refused for a network without
        /// (<paramref name="networkScales"/> false), since loading it would drop the scaling its
        /// parameters were trained behind.
        /// </summary>
        /// <exception cref="Failure">The file is unusable for this network.</exception>
        public static double[] Read(string text, int inputs, IReadOnlyList<KeyValuePair<int, string>> layers, bool single, bool networkScales, out double[]? inputScaling)
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

            if (!root.TryGetValue("version", out object? version) || version is not MiniJson.Number { Text: "1" or "2" })
            {
                throw new Failure(Problem.UnsupportedVersion, "needs \"version\": 1 (or 2, with \"inputScaling\")");
            }

            bool scaled = root.ContainsKey("inputScaling");
            if (scaled != version is MiniJson.Number { Text: "2" })
            {
                throw new Failure(Problem.Malformed, scaled ? "has \"inputScaling\", which needs \"version\": 2" : "has \"version\": 2 but no \"inputScaling\" (a file without input scaling is \"version\": 1)");
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

                bool parsed = TryParse(number.Text, single, out double value);
                if (!parsed || double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw new Failure(Problem.NotFinite, "has parameter [" + Text(i) + "] = " + number.Text + ", which is not a finite " + (single ? "float" : "double"), number.Text, i);
                }

                values[i] = value;
            }

            inputScaling = null;
            if (scaled)
            {
                if (!networkScales)
                {
                    throw new Failure(Problem.InputScalingMismatch, "holds input scaling (it was saved from a network declared with InputScaling = true), but the network has none: declare it with [Network(…, InputScaling = true)]");
                }

                inputScaling = ReadInputScaling(root["inputScaling"], inputs, single);
            }

            return values;
        }

        /// <summary>"inputScaling": { "offset": [μ…], "scale": [s…] }, each of <paramref name="inputs"/> finite numbers, no scale 0.</summary>
        private static double[] ReadInputScaling(object? section, int inputs, bool single)
        {
            if (section is not Dictionary<string, object?> scaling)
            {
                throw new Failure(Problem.Malformed, "needs \"inputScaling\": { \"offset\": [ … ], \"scale\": [ … ] }");
            }

            var values = new double[2 * inputs];
            string[] names = { "offset", "scale" };
            for (int part = 0; part < 2; part++)
            {
                string name = names[part];
                if (!scaling.TryGetValue(name, out object? listValue) || listValue is not List<object?> list || list.Count != inputs)
                {
                    throw new Failure(Problem.Malformed, "needs \"inputScaling\".\"" + name + "\" as a list of " + Count(inputs, "number") + ", one per input");
                }

                for (int k = 0; k < inputs; k++)
                {
                    double value = list[k] is MiniJson.Number number && TryParse(number.Text, single, out double parsed) ? parsed : double.NaN;
                    if (double.IsNaN(value) || double.IsInfinity(value) || (part == 1 && value == 0))
                    {
                        throw new Failure(Problem.Malformed, "has inputScaling." + name + "[" + Text(k) + "] = " + (list[k] is MiniJson.Number n ? n.Text : "a value that is not a number") + ", which is not a finite " + (single ? "float" : "double") + (part == 1 ? " other than 0" : string.Empty));
                    }

                    values[(part * inputs) + k] = value;
                }
            }

            return values;
        }

        /// <summary>The number in the network's precision; TryParse, as .NET Framework's Parse throws on overflow where .NET Core returns ∞.</summary>
        private static bool TryParse(string text, bool single, out double value)
        {
            if (single)
            {
                bool parsed = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float singleValue);
                value = singleValue;
                return parsed;
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
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
