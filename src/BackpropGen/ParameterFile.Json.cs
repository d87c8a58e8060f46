using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace BackpropGen
{
    public static partial class ParameterFile
    {
        /// <summary>The value of the "format" property of every JSON parameter file.</summary>
        public const string JsonFormat = "BackpropGen.Parameters";

        /// <summary>Saves the parameters of <paramref name="network"/> as JSON to <paramref name="path"/> atomically.</summary>
        public static void SaveJson<T>(IReadOnlyNetwork<T> network, string path)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            WriteAtomically(path, new UTF8Encoding(false).GetBytes(ToJson(network)));
        }

        /// <summary>Writes the parameters of <paramref name="network"/> as JSON to <paramref name="writer"/>.</summary>
        public static void SaveJson<T>(IReadOnlyNetwork<T> network, TextWriter writer)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (writer is null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            writer.Write(ToJson(network));
        }

        /// <summary>Loads JSON parameters into <paramref name="network"/> (a class).</summary>
        /// <exception cref="ParameterFileException">The JSON is malformed or describes another topology.</exception>
        public static void LoadJson<T>(IInferenceNetwork<T> network, string path)
            where T : struct
        {
            RequireReferenceType(network);
            network.LoadParameters(ReadJson<T>(path, network.Topology));
        }

        /// <summary>Loads JSON parameters from <paramref name="reader"/> into <paramref name="network"/> (a class).</summary>
        public static void LoadJson<T>(IInferenceNetwork<T> network, TextReader reader)
            where T : struct
        {
            RequireReferenceType(network);
            network.LoadParameters(ReadJson<T>(reader, network.Topology));
        }

        /// <summary>Reads and checks a JSON parameter file against <paramref name="expected"/>.</summary>
        public static T[] ReadJson<T>(string path, NetworkTopology expected)
            where T : struct
        {
            RequireFilePath(path);
            return FromJson<T>(File.ReadAllText(path, Encoding.UTF8), expected);
        }

        /// <summary>Reads and checks JSON parameters from <paramref name="reader"/> against <paramref name="expected"/>.</summary>
        public static T[] ReadJson<T>(TextReader reader, NetworkTopology expected)
            where T : struct
        {
            if (reader is null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            return FromJson<T>(reader.ReadToEnd(), expected);
        }

        private static string ToJson<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            NetworkTopology topology = network.Topology;
            T[] values = FiniteParameters(network);
            var json = new StringBuilder();
            json.Append("{\n");
            json.Append("  \"format\": \"").Append(JsonFormat).Append("\",\n");
            json.Append("  \"version\": 1,\n");
            json.Append("  \"precision\": \"").Append(topology.Precision).Append("\",\n");
            json.Append("  \"inputs\": ").Append(topology.InputCount.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            json.Append("  \"layers\": [");
            for (int i = 0; i < topology.Layers.Count; i++)
            {
                json.Append(i == 0 ? "\n    " : ",\n    ")
                    .Append("{ \"size\": ").Append(topology.Layers[i].Size.ToString(CultureInfo.InvariantCulture))
                    .Append(", \"activation\": \"").Append(topology.Layers[i].Activation).Append("\" }");
            }

            json.Append("\n  ],\n");
            json.Append("  \"loss\": \"").Append(topology.Loss).Append("\",\n");
            json.Append("  \"parameters\": [");
            for (int i = 0; i < values.Length; i++)
            {
                json.Append(i % 8 == 0 ? (i == 0 ? "\n    " : ",\n    ") : ", ");
                json.Append(Numeric<T>.IsSingle
                    ? RoundTrip(MemoryMarshal.Cast<T, float>(values.AsSpan())[i])
                    : RoundTrip(MemoryMarshal.Cast<T, double>(values.AsSpan())[i]));
            }

            json.Append("\n  ]\n}\n");
            return json.ToString();
        }

        private static string RoundTrip(float value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return float.Parse(text, CultureInfo.InvariantCulture) == value ? text : value.ToString("G9", CultureInfo.InvariantCulture);
        }

        private static string RoundTrip(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return double.Parse(text, CultureInfo.InvariantCulture) == value ? text : value.ToString("G17", CultureInfo.InvariantCulture);
        }

        private static T[] FromJson<T>(string text, NetworkTopology expected)
            where T : struct
        {
            if (expected is null)
            {
                throw new ArgumentNullException(nameof(expected));
            }

            if (text.Trim().Length == 0)
            {
                throw Fail(ParameterFileError.Empty, "The JSON parameter file is empty.");
            }

            object? document;
            try
            {
                document = MiniJson.Parse(text);
            }
            catch (MiniJson.SyntaxError error)
            {
                throw Fail(ParameterFileError.Malformed, "The JSON parameter file is not valid JSON at " + error.Message + ".");
            }

            if (document is not Dictionary<string, object?> root || !(root.TryGetValue("format", out object? format) && format as string == JsonFormat))
            {
                throw Fail(ParameterFileError.NotAParameterFile, "This JSON is not a BackpropGen parameter file: it needs \"format\": \"" + JsonFormat + "\".");
            }

            if (!root.TryGetValue("version", out object? version) || version is not MiniJson.Number { Text: "1" })
            {
                throw Fail(ParameterFileError.UnsupportedVersion, "The JSON parameter file needs \"version\": 1.");
            }

            int inputs = ReadInt(root, "inputs");
            if (root.TryGetValue("layers", out object? layersValue) is false || layersValue is not List<object?> layerList || layerList.Count == 0)
            {
                throw Fail(ParameterFileError.Malformed, "The JSON parameter file needs \"layers\": [ { \"size\": n, \"activation\": \"Tanh\" }, … ].");
            }

            var layers = new LayerTopology[layerList.Count];
            for (int i = 0; i < layers.Length; i++)
            {
                if (layerList[i] is not Dictionary<string, object?> layer)
                {
                    throw Fail(ParameterFileError.Malformed, "Layer " + (i + 1).ToString(CultureInfo.InvariantCulture) + " of the JSON parameter file is not an object.");
                }

                layers[i] = new LayerTopology(ReadInt(layer, "size"), ReadEnum<Activation>(layer, "activation"));
            }

            LossFunction loss = ReadEnum<LossFunction>(root, "loss");

            // JSON numbers carry no precision: a file written from a double network loads into a float
            // one and back (the "precision" property is informational).
            NetworkTopology actual;
            try
            {
                actual = new NetworkTopology(inputs, loss, expected.Precision, layers);
            }
            catch (ArgumentException exception)
            {
                throw Fail(ParameterFileError.Malformed, "The JSON parameter file describes an impossible network: " + exception.Message);
            }

            if (!actual.Equals(expected))
            {
                throw Fail(ParameterFileError.TopologyMismatch, "The JSON parameter file was saved from a network of another shape: file " + actual + ", network " + expected + ".");
            }

            if (!root.TryGetValue("parameters", out object? parametersValue) || parametersValue is not List<object?> parameters)
            {
                throw Fail(ParameterFileError.Malformed, "The JSON parameter file needs \"parameters\": [ … ] in canonical order.");
            }

            if (parameters.Count != expected.ParameterCount)
            {
                throw Fail(ParameterFileError.Malformed, "The JSON parameter file holds " + parameters.Count.ToString(CultureInfo.InvariantCulture) + " parameters; this topology has " + expected.ParameterCount.ToString(CultureInfo.InvariantCulture) + ".");
            }

            var values = new T[parameters.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (parameters[i] is not MiniJson.Number number)
                {
                    throw Fail(ParameterFileError.Malformed, "Parameter [" + i.ToString(CultureInfo.InvariantCulture) + "] of the JSON parameter file is not a number.");
                }

                // TryParse: .NET Framework's Parse throws on overflow where .NET Core returns ∞.
                if (Numeric<T>.IsSingle)
                {
                    if (!float.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out float single) || float.IsNaN(single) || float.IsInfinity(single))
                    {
                        throw Fail(ParameterFileError.Malformed, "Parameter [" + i.ToString(CultureInfo.InvariantCulture) + "] = " + number.Text + " is not a finite float.");
                    }

                    MemoryMarshal.Cast<T, float>(values.AsSpan())[i] = single;
                }
                else
                {
                    if (!double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value) || double.IsInfinity(value))
                    {
                        throw Fail(ParameterFileError.Malformed, "Parameter [" + i.ToString(CultureInfo.InvariantCulture) + "] = " + number.Text + " is not a finite double.");
                    }

                    MemoryMarshal.Cast<T, double>(values.AsSpan())[i] = value;
                }
            }

            return values;
        }

        private static int ReadInt(Dictionary<string, object?> json, string name)
        {
            if (json.TryGetValue(name, out object? value) && value is MiniJson.Number number &&
                int.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result))
            {
                return result;
            }

            throw Fail(ParameterFileError.Malformed, "The JSON parameter file needs \"" + name + "\" as a whole number.");
        }

        private static TEnum ReadEnum<TEnum>(Dictionary<string, object?> json, string name)
            where TEnum : struct, Enum
        {
            if (json.TryGetValue(name, out object? value) && value is string text &&
                Array.IndexOf(Enum.GetNames(typeof(TEnum)), text) >= 0 && Enum.TryParse(text, ignoreCase: false, out TEnum result))
            {
                return result;
            }

            throw Fail(ParameterFileError.Malformed, "The JSON parameter file needs \"" + name + "\" as one of: " + string.Join(", ", Enum.GetNames(typeof(TEnum))) + ".");
        }
    }
}
