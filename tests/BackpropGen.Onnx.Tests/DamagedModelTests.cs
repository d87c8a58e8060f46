using System;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen;
using BackpropGen.Onnx.Proto;
using Google.Protobuf;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>Every file BackpropGen cannot import gives an <see cref="OnnxFormatException"/>, never another exception.</summary>
    public sealed class DamagedModelTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "backpropgen-onnx-damage-" + Guid.NewGuid().ToString("N"));

        public DamagedModelTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [InlineData("tanh_sigmoid_2_4_1")]
        [InlineData("matmul_add_3_4_2")]
        [InlineData("double_sigmoid_tanh_2_3_1")]
        public void A_model_cut_short_at_any_length_is_refused(string fixture)
        {
            byte[] whole = File.ReadAllBytes(Fixtures.Model(fixture));
            string path = Path.Combine(_folder, "cut.onnx");
            for (int length = 0; length < whole.Length; length++)
            {
                File.WriteAllBytes(path, whole.AsSpan(0, length).ToArray());
                Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadTopology(path));
            }
        }

        [Fact]
        public void Flipped_bytes_either_import_or_are_refused_with_OnnxFormatException()
        {
            byte[] whole = File.ReadAllBytes(Fixtures.Model("relu_softmax_4_8_3"));
            string path = Path.Combine(_folder, "flipped.onnx");
            int refused = 0;
            foreach (byte mask in new byte[] { 0xFF, 0x01, 0x80 })
            {
                for (int i = 0; i < whole.Length; i++)
                {
                    byte[] damaged = (byte[])whole.Clone();
                    damaged[i] ^= mask;
                    File.WriteAllBytes(path, damaged);
                    try
                    {
                        // A flip inside a weight's bytes is still a valid model (ONNX has no checksum).
                        OnnxModel.ReadParameters<float>(path, OnnxModel.ReadTopology(path));
                    }
                    catch (OnnxFormatException)
                    {
                        refused++;
                    }
                }
            }

            // Most flips land in structure, not weights, and are caught.
            Assert.True(refused > whole.Length / 2, refused + " of " + (3 * whole.Length) + " flips refused");
        }

        [Theory]
        [InlineData("")]
        [InlineData("{ \"format\": \"BackpropGen.Parameters\" }")]
        [InlineData("\u0089PNG\r\n\u001a\n")]
        [InlineData("BPGP\u0001\u0000")]
        public void Files_that_are_not_onnx_are_refused(string content)
        {
            string path = Path.Combine(_folder, "not.onnx");
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(content));
            Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadTopology(path));
        }

        [Fact]
        public void Random_bytes_are_refused()
        {
            var random = new Random(3);
            string path = Path.Combine(_folder, "random.onnx");
            for (int i = 0; i < 300; i++)
            {
                var bytes = new byte[random.Next(1, 400)];
                random.NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadTopology(path));
            }
        }

        [Fact]
        public void A_convolution_is_refused_naming_the_node_and_operator()
        {
            var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadTopology(Fixtures.Model("conv_unsupported")));
            Assert.StartsWith("node 0 is Conv; BackpropGen imports fully connected networks: Gemm or MatMul+Add, with Sigmoid, Tanh, Relu, LeakyRelu, Softmax, SiLU (Sigmoid + Mul) and GELU (tanh form, decomposed)", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, error.NodeIndex);
            Assert.Equal("Conv", error.OperatorType);
        }

        [Fact]
        public void A_decomposed_activation_that_is_neither_SiLU_nor_GELU_is_refused()
        {
            // GELU's 0.044715 changed: the same nodes, another function.
            ModelProto model = Load("gelu_tanh_3_4_2");
            NodeProto constant = model.Graph.Node.First(n => n.OpType == "Constant");
            constant.Attribute[0].T.RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.5f));
            var error = Refused(model);
            Assert.StartsWith("node 1 is Mul;", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void An_initializer_of_the_wrong_size_is_refused()
        {
            ModelProto model = Load("tanh_sigmoid_2_4_1");
            TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "2.weight");
            weight.RawData = ByteString.CopyFrom(weight.RawData.Span.Slice(0, 8).ToArray());
            var error = Refused(model);
            Assert.Contains("2.weight", error.Message, StringComparison.Ordinal);
            Assert.Contains("node 2 is Gemm", error.Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            TensorProto bias = model.Graph.Initializer.Single(t => t.Name == "0.bias");
            bias.Dims[0] = 5;
            Assert.Contains("0.bias", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Initializer.Single(t => t.Name == "0.weight").Dims.Add(1);
            Assert.Contains("0.weight", Refused(model).Message, StringComparison.Ordinal);

            // A shape that claims 2⁴⁰ values with 16 bytes of data: refused before anything is allocated for it.
            model = Load("tanh_sigmoid_2_4_1");
            TensorProto huge = model.Graph.Initializer.Single(t => t.Name == "2.weight");
            huge.Dims[0] = 1 << 20;
            huge.Dims[1] = 1 << 20;
            model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 0;
            Assert.Contains("2.weight", Refused(model).Message, StringComparison.Ordinal);

            model = Load("matmul_add_3_4_2");
            model.Graph.Initializer.Single(t => t.Name == "w2").FloatData.RemoveAt(0);
            Assert.Contains("w2", Refused(model).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Unsupported_graphs_are_refused_with_what_is_wrong()
        {
            ModelProto model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Node[0].Attribute.Single(a => a.Name == "alpha").F = 2f;
            Assert.Contains("alpha 2", Refused(model).Message, StringComparison.Ordinal);

            model = Load("leaky_linear_3_5_2");
            model.Graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute[0].F = 0.2f;
            Assert.Contains("LeakyRelu with alpha 0.2", Refused(model).Message, StringComparison.Ordinal);

            model = Load("relu_softmax_4_8_3");
            model.Graph.Node[1].OpType = "Softmax";
            Assert.Contains("Softmax", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Input.Add(model.Graph.Input[0].Clone());
            model.Graph.Input[1].Name = "second";
            Assert.Contains("2 inputs", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Initializer.Single(t => t.Name == "0.weight").DataType = (int)TensorProto.Types.DataType.Int64;
            Assert.Contains("int64", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Output[0].Name = "elsewhere";
            Assert.Contains("elsewhere", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Node[1].Input[0] = "input";
            Assert.Contains("node 1 is Tanh", Refused(model).Message, StringComparison.Ordinal);

            model = Load("tanh_sigmoid_2_4_1");
            model.Graph.Node.RemoveAt(0);
            Refused(model);

            model = Load("tanh_sigmoid_2_4_1");
            TensorProto nan = model.Graph.Initializer.Single(t => t.Name == "0.bias");
            byte[] raw = nan.RawData.ToByteArray();
            BitConverter.GetBytes(float.NaN).CopyTo(raw, 0);
            nan.RawData = ByteString.CopyFrom(raw);
            Assert.Contains("NaN", Refused(model).Message, StringComparison.Ordinal);
        }

        private static ModelProto Load(string fixture) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixtures.Model(fixture)));

        private OnnxFormatException Refused(ModelProto model)
        {
            string path = Path.Combine(_folder, "edited.onnx");
            File.WriteAllBytes(path, model.ToByteArray());
            return Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadParameters<float>(path, OnnxModel.ReadTopology(path)));
        }
    }
}
