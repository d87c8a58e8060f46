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
        public const string JsonFormat = ParameterJson.Format;

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
            Apply(ref network, FromJson<T>(ReadAllText(path), network.Topology, network is IInputScaling<T>));
        }

        /// <summary>Loads JSON parameters from <paramref name="reader"/> into <paramref name="network"/> (a class).</summary>
        public static void LoadJson<T>(IInferenceNetwork<T> network, TextReader reader)
            where T : struct
        {
            RequireReferenceType(network);
            Apply(ref network, FromJson<T>(ReadAllText(reader), network.Topology, network is IInputScaling<T>));
        }

        /// <summary>Loads JSON parameters into <paramref name="network"/>, a struct (or a class) held in a variable.</summary>
        /// <typeparam name="TNetwork">The network type, such as <c>MyNet</c>.</typeparam>
        /// <typeparam name="T">Its number type, <c>float</c> or <c>double</c>.</typeparam>
        /// <exception cref="ParameterFileException">The JSON is malformed or describes another topology.</exception>
        public static void LoadJson<TNetwork, T>(ref TNetwork network, string path)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            RequireNetwork(network);
            Apply(ref network, FromJson<T>(ReadAllText(path), network.Topology, network is IInputScaling<T>));
        }

        /// <summary>Loads JSON parameters from <paramref name="reader"/> into <paramref name="network"/>, a struct (or a class) held in a variable.</summary>
        public static void LoadJson<TNetwork, T>(ref TNetwork network, TextReader reader)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            RequireNetwork(network);
            Apply(ref network, FromJson<T>(ReadAllText(reader), network.Topology, network is IInputScaling<T>));
        }

        /// <summary>Reads and checks a JSON parameter file against <paramref name="expected"/>.</summary>
        /// <exception cref="ParameterFileException">Also (<see cref="ParameterFileError.InputScalingMismatch"/>) when the file holds input scaling, which this overload would drop: use the one with <c>offset</c> and <c>scale</c>.</exception>
        public static T[] ReadJson<T>(string path, NetworkTopology expected)
            where T : struct => ParametersOnly(FromJson<T>(ReadAllText(path), expected, networkScales: true));

        /// <summary>Reads and checks JSON parameters from <paramref name="reader"/> against <paramref name="expected"/>.</summary>
        /// <exception cref="ParameterFileException">Also (<see cref="ParameterFileError.InputScalingMismatch"/>) when the JSON holds input scaling, which this overload would drop.</exception>
        public static T[] ReadJson<T>(TextReader reader, NetworkTopology expected)
            where T : struct => ParametersOnly(FromJson<T>(ReadAllText(reader), expected, networkScales: true));

        /// <summary>Reads and checks a JSON parameter file, with its input scaling: μ and s, or null when it has none.</summary>
        public static T[] ReadJson<T>(string path, NetworkTopology expected, out T[]? offset, out T[]? scale)
            where T : struct => Split(FromJson<T>(ReadAllText(path), expected, networkScales: true), out offset, out scale);

        /// <summary>Reads and checks JSON parameters from <paramref name="reader"/>, with its input scaling (null when it has none).</summary>
        public static T[] ReadJson<T>(TextReader reader, NetworkTopology expected, out T[]? offset, out T[]? scale)
            where T : struct => Split(FromJson<T>(ReadAllText(reader), expected, networkScales: true), out offset, out scale);

        private static string ReadAllText(string path)
        {
            RequireFilePath(path);
            return File.ReadAllText(path, Encoding.UTF8);
        }

        private static string ReadAllText(TextReader reader)
        {
            if (reader is null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            return reader.ReadToEnd();
        }

        private static string ToJson<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            NetworkTopology topology = network.Topology;
            T[] values = FiniteParameters(network);
            T[]? scaling = SavedInputScaling(network);
            var json = new StringBuilder();
            json.Append("{\n");
            json.Append("  \"format\": \"").Append(JsonFormat).Append("\",\n");
            json.Append("  \"version\": ").Append(scaling is null ? "1" : "2").Append(",\n");
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
            if (scaling is not null)
            {
                // Version 2: μ and s of every input, a⁰ₖ = (xₖ − μₖ)·sₖ.
                int inputs = topology.InputCount;
                json.Append("  \"inputScaling\": {\n    \"offset\": [");
                AppendNumbers(json, scaling, 0, inputs, "      ");
                json.Append("\n    ],\n    \"scale\": [");
                AppendNumbers(json, scaling, inputs, inputs, "      ");
                json.Append("\n    ]\n  },\n");
            }

            json.Append("  \"parameters\": [");
            AppendNumbers(json, values, 0, values.Length, "    ");
            json.Append("\n  ]\n}\n");
            return json.ToString();
        }

        /// <summary>values[start..start+count), eight to a line, each in its shortest round-trip form.</summary>
        private static void AppendNumbers<T>(StringBuilder json, T[] values, int start, int count, string indent)
            where T : struct
        {
            for (int i = 0; i < count; i++)
            {
                json.Append(i % 8 == 0 ? (i == 0 ? "\n" + indent : ",\n" + indent) : ", ");
                json.Append(Numeric<T>.IsSingle
                    ? RoundTrip(MemoryMarshal.Cast<T, float>(values.AsSpan())[start + i])
                    : RoundTrip(MemoryMarshal.Cast<T, double>(values.AsSpan())[start + i]));
            }
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

        private static LoadedParameters<T> FromJson<T>(string text, NetworkTopology expected, bool networkScales)
            where T : struct
        {
            if (expected is null)
            {
                throw new ArgumentNullException(nameof(expected));
            }

            var layers = new KeyValuePair<int, string>[expected.Layers.Count];
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i] = new KeyValuePair<int, string>(expected.Layers[i].Size, expected.Layers[i].Activation.ToString());
            }

            double[] read;
            double[]? scaling;
            try
            {
                read = ParameterJson.Read(text, expected.InputCount, layers, Numeric<T>.IsSingle, networkScales, out scaling);
            }
            catch (ParameterJson.Failure failure)
            {
                ParameterFileError error = failure.Kind switch
                {
                    ParameterJson.Problem.Empty => ParameterFileError.Empty,
                    ParameterJson.Problem.NotAParameterFile => ParameterFileError.NotAParameterFile,
                    ParameterJson.Problem.UnsupportedVersion => ParameterFileError.UnsupportedVersion,
                    ParameterJson.Problem.ShapeMismatch => ParameterFileError.TopologyMismatch,
                    ParameterJson.Problem.InputScalingMismatch => ParameterFileError.InputScalingMismatch,
                    ParameterJson.Problem.Malformed or ParameterJson.Problem.CountMismatch or ParameterJson.Problem.NotFinite => ParameterFileError.Malformed,
                    _ => throw new InvalidOperationException("Unhandled " + failure.Kind),
                };
                throw Fail(error, "The JSON parameter file " + failure.Message + ".");
            }

            return new LoadedParameters<T>(Convert<T>(read), scaling is null ? null : Convert<T>(scaling));
        }

        private static T[] Convert<T>(double[] read)
            where T : struct
        {
            var values = new T[read.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Numeric<T>.FromDouble(read[i]);
            }

            return values;
        }
    }
}
