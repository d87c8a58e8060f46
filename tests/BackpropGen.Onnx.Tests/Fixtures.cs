using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>The committed fixtures of tests/fixtures/onnx: NAME.onnx and PyTorch's outputs in NAME.json.</summary>
    internal static class Fixtures
    {
        public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name + ".onnx");

        public static (double[][] Inputs, double[][] Outputs) Samples(string name)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name + ".json")));
            double[][] Rows(string property) => document.RootElement.GetProperty(property).EnumerateArray()
                .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            return (Rows("inputs"), Rows("outputs"));
        }

        public static string RepositoryPath(params string[] parts) =>
            Path.Combine(typeof(Fixtures).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!, Path.Combine(parts));
    }
}
