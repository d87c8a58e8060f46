using System;
using System.IO;
using BackpropGen;
using BackpropGen.Tool;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>backpropgen import and inspect, run in-process (ToolPackageTests runs the packed tool end to end).</summary>
    public sealed class ToolTests : IDisposable
    {
        private readonly string _project = Path.Combine(Path.GetTempPath(), "backpropgen-tool-" + Guid.NewGuid().ToString("N"));
        private readonly StringWriter _output = new();
        private readonly StringWriter _error = new();

        public ToolTests() => Directory.CreateDirectory(_project);

        public void Dispose() => Directory.Delete(_project, recursive: true);

        [Fact]
        public void Import_writes_a_baked_declaration_and_a_json_file_that_reproduce_pytorch()
        {
            Assert.Equal(0, Import("relu_softmax_4_8_3", "--name", "Brain", "--namespace", "Game.AI", "--out", "Models"));

            string declaration = File.ReadAllText(Path.Combine(_project, "Models", "Brain.cs"));
            Assert.Contains("namespace Game.AI", declaration, StringComparison.Ordinal);
            Assert.Contains("[Network(4, Loss = LossFunction.CrossEntropy)]", declaration, StringComparison.Ordinal);
            Assert.Contains("[Layer(8, Activation.ReLU)]", declaration, StringComparison.Ordinal);
            Assert.Contains("[Layer(3, Activation.Softmax)]", declaration, StringComparison.Ordinal);
            Assert.Contains("[BakedParameters(\"Models/Brain.json\")]", declaration, StringComparison.Ordinal);
            Assert.Contains("public partial class Brain { }", declaration, StringComparison.Ordinal);
            Assert.Contains("<AdditionalFiles Include=\"Models/Brain.json\" />", _output.ToString(), StringComparison.Ordinal);

            // The JSON is a parameter file of the same network, with PyTorch's parameters bit for bit.
            var network = new ReluSoftmax483();
            ParameterFile.LoadJson(network, Path.Combine(_project, "Models", "Brain.json"));
            var loaded = new float[ReluSoftmax483.ParameterCount];
            network.CopyParametersTo(loaded);
            Assert.Equal(OnnxModel.ReadParameters<float>(Fixtures.Model("relu_softmax_4_8_3"), ReluSoftmax483.Topology), loaded);
        }

        [Fact]
        public void Import_trainable_declares_no_baked_file_and_prints_how_to_load_it()
        {
            Assert.Equal(0, Import("tanh_sigmoid_2_4_1", "--name", "Reflex", "--trainable"));
            string declaration = File.ReadAllText(Path.Combine(_project, "Reflex.cs"));
            Assert.DoesNotContain("BakedParameters", declaration, StringComparison.Ordinal);
            Assert.DoesNotContain("namespace", declaration, StringComparison.Ordinal);
            Assert.Contains("[Network(2)]", declaration, StringComparison.Ordinal);
            Assert.Contains("ParameterFile.LoadJson(network, \"Reflex.json\")", _output.ToString(), StringComparison.Ordinal);
            Assert.Contains("CopyToOutputDirectory", _output.ToString(), StringComparison.Ordinal);
            float[] json = ParameterFile.ReadJson<float>(Path.Combine(_project, "Reflex.json"), TanhSigmoid241.Topology);
            Assert.Equal(OnnxModel.ReadParameters<float>(Fixtures.Model("tanh_sigmoid_2_4_1"), TanhSigmoid241.Topology), json);
        }

        [Fact]
        public void Import_of_a_double_model_declares_a_double_network_with_exact_parameters()
        {
            Assert.Equal(0, Import("double_sigmoid_tanh_2_3_1", "--name", "Precise", "--out", "Nets/Deep"));
            Assert.Contains("[Network(2, Precision = Precision.Double)]", File.ReadAllText(Path.Combine(_project, "Nets", "Deep", "Precise.cs")), StringComparison.Ordinal);
            Assert.Contains("[BakedParameters(\"Nets/Deep/Precise.json\")]", File.ReadAllText(Path.Combine(_project, "Nets", "Deep", "Precise.cs")), StringComparison.Ordinal);
            double[] json = ParameterFile.ReadJson<double>(Path.Combine(_project, "Nets", "Deep", "Precise.json"), DoubleSigmoidTanh231.Topology);
            Assert.Equal(OnnxModel.ReadParameters<double>(Fixtures.Model("double_sigmoid_tanh_2_3_1"), DoubleSigmoidTanh231.Topology), json);
        }

        [Fact]
        public void An_unsupported_model_or_a_bad_name_fails_with_a_message_and_writes_nothing()
        {
            Assert.Equal(1, Import("conv_unsupported", "--name", "Brain"));
            Assert.Contains("node 0 is Conv", _error.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, Import("tanh_sigmoid_2_4_1", "--name", "class"));
            Assert.Equal(1, Import("tanh_sigmoid_2_4_1", "--name", "Brain", "--namespace", "Game..AI"));
            Assert.Contains("--namespace", _error.ToString(), StringComparison.Ordinal);
            Assert.NotEqual(0, Commands.Run(new[] { "import", Fixtures.Model("tanh_sigmoid_2_4_1") }, _output, _error, _project));
            Assert.Contains("--name", _error.ToString(), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(_project));
        }

        [Fact]
        public void Inspect_prints_the_topology_and_parameter_count()
        {
            Assert.Equal(0, Commands.Run(new[] { "inspect", Fixtures.Model("deep_16_16_8_4") }, _output, _error, _project));
            string text = _output.ToString();
            Assert.Contains("16 inputs → 16 Tanh → 8 ReLU → 4 Softmax", text, StringComparison.Ordinal);
            Assert.Contains("parameters: 444", text, StringComparison.Ordinal);
            Assert.Equal(1, Commands.Run(new[] { "inspect", Fixtures.Model("conv_unsupported") }, _output, _error, _project));
            Assert.Contains("node 0 is Conv", _error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Help_lists_the_commands_and_options()
        {
            Assert.Equal(0, Commands.Run(new[] { "--help" }, _output, _error, _project));
            Assert.Contains("import", _output.ToString(), StringComparison.Ordinal);
            Assert.Contains("inspect", _output.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, Commands.Run(new[] { "import", "--help" }, _output, _error, _project));
            foreach (string option in new[] { "--name", "--namespace", "--out", "--trainable" })
            {
                Assert.Contains(option, _output.ToString(), StringComparison.Ordinal);
            }
        }

        private int Import(string fixture, params string[] options) =>
            Commands.Run(Prepend(options, "import", Fixtures.Model(fixture)), _output, _error, _project);

        private static string[] Prepend(string[] rest, params string[] first)
        {
            var all = new string[first.Length + rest.Length];
            first.CopyTo(all, 0);
            rest.CopyTo(all, first.Length);
            return all;
        }
    }
}
