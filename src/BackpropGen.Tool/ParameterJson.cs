using System;
using System.Globalization;
using System.Text;

namespace BackpropGen.Tool
{
    /// <summary>
    /// The JSON parameter file of docs/parameter-files.md, from a topology and its values (the tool
    /// has no network instance to hand to ParameterFile.SaveJson). Numbers as ParameterFile writes
    /// them: the shortest form that parses back to the same float or double.
    /// </summary>
    internal static class ParameterJson
    {
        public static string Write(NetworkTopology topology, float[] values) =>
            Write(topology, values.Length, i => RoundTrip(values[i]));

        public static string Write(NetworkTopology topology, double[] values) =>
            Write(topology, values.Length, i => RoundTrip(values[i]));

        private static string Write(NetworkTopology topology, int count, Func<int, string> value)
        {
            var json = new StringBuilder();
            json.Append("{\n");
            json.Append("  \"format\": \"").Append(ParameterFile.JsonFormat).Append("\",\n");
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
            for (int i = 0; i < count; i++)
            {
                json.Append(i % 8 == 0 ? (i == 0 ? "\n    " : ",\n    ") : ", ").Append(value(i));
            }

            json.Append("\n  ]\n}\n");
            return json.ToString();
        }

        private static string RoundTrip(float value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string RoundTrip(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
