using System;
using System.IO;
using System.Linq;
using BackpropGen;
using BackpropGen.Onnx.Proto;
using Google.Protobuf;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>Models exported by real PyTorch (and one hand-built MatMul + Add graph) load into generated networks and compute PyTorch's outputs.</summary>
    public sealed class ImportTests
    {
        private const double Tolerance = 1e-5;

        [Fact]
        public void Tanh_sigmoid_exported_at_opset_13_reproduces_pytorch() =>
            AssertReproduces(new TanhSigmoid241(), "tanh_sigmoid_2_4_1");

        [Fact]
        public void Relu_softmax_exported_at_opset_17_reproduces_pytorch() =>
            AssertReproduces(new ReluSoftmax483(), "relu_softmax_4_8_3");

        [Fact]
        public void Flatten_leaky_relu_identity_and_a_linear_output_at_opset_14_reproduce_pytorch() =>
            AssertReproduces(new LeakyLinear352(), "leaky_linear_3_5_2");

        [Fact]
        public void Three_layers_with_softmax_on_axis_1_at_opset_16_reproduce_pytorch() =>
            AssertReproduces(new Deep161684(), "deep_16_16_8_4");

        [Fact]
        public void MatMul_plus_Add_with_weights_in_out_and_typed_float_data_reproduces_the_reference() =>
            AssertReproduces(new MatMulAdd342(), "matmul_add_3_4_2");

        [Fact]
        public void SiLU_as_torch_writes_it_Sigmoid_then_Mul_reproduces_pytorch() =>
            AssertReproduces(new SiLU342(), "silu_3_4_2");

        [Fact]
        public void GELU_tanh_form_as_torch_decomposes_it_at_opset_17_reproduces_pytorch() =>
            AssertReproduces(new Gelu342(), "gelu_tanh_3_4_2");

        [Fact]
        public void Double_model_reproduces_pytorch_in_double()
        {
            var network = new DoubleSigmoidTanh231();
            OnnxModel.Load(network, Fixtures.Model("double_sigmoid_tanh_2_3_1"));
            var (inputs, outputs) = Fixtures.Samples("double_sigmoid_tanh_2_3_1");
            var output = new double[DoubleSigmoidTanh231.OutputCount];
            for (int s = 0; s < inputs.Length; s++)
            {
                network.Forward(inputs[s], output);
                for (int j = 0; j < output.Length; j++)
                {
                    Assert.Equal(outputs[s][j], output[j], 1e-12);
                }
            }
        }

        [Fact]
        public void ReadTopology_gives_inputs_layers_activations_precision_and_the_fitting_loss()
        {
            Assert.Equal(TanhSigmoid241.Topology, OnnxModel.ReadTopology(Fixtures.Model("tanh_sigmoid_2_4_1")));
            Assert.Equal(ReluSoftmax483.Topology, OnnxModel.ReadTopology(Fixtures.Model("relu_softmax_4_8_3")));
            Assert.Equal(LeakyLinear352.Topology, OnnxModel.ReadTopology(Fixtures.Model("leaky_linear_3_5_2")));
            Assert.Equal(DoubleSigmoidTanh231.Topology, OnnxModel.ReadTopology(Fixtures.Model("double_sigmoid_tanh_2_3_1")));
            Assert.Equal(MatMulAdd342.Topology, OnnxModel.ReadTopology(Fixtures.Model("matmul_add_3_4_2")));
        }

        [Fact]
        public void ReadParameters_is_in_canonical_nn_Linear_order()
        {
            // The first layer of the MatMul fixture is stored [in, out]; canonical order is [out, in].
            float[] parameters = OnnxModel.ReadParameters<float>(Fixtures.Model("matmul_add_3_4_2"), MatMulAdd342.Topology);
            Assert.Equal(MatMulAdd342.ParameterCount, parameters.Length);
            var network = new MatMulAdd342();
            network.LoadParameters(parameters);
            var probe = new float[3];
            var output = new float[2];

            // With every input 0, the output is σ(W² tanh(b¹) + b²): the biases sit after each layer's weights.
            network.Forward(probe, output);
            var hidden = new double[4];
            for (int j = 0; j < 4; j++)
            {
                hidden[j] = Math.Tanh(parameters[12 + j]);
            }

            for (int j = 0; j < 2; j++)
            {
                double z = parameters[16 + 8 + j];
                for (int k = 0; k < 4; k++)
                {
                    z += parameters[16 + (j * 4) + k] * hidden[k];
                }

                Assert.Equal(1 / (1 + Math.Exp(-z)), output[j], 1e-6);
            }
        }

        [Fact]
        public void A_float_model_reads_into_double_exactly()
        {
            float[] single = OnnxModel.ReadParameters<float>(Fixtures.Model("tanh_sigmoid_2_4_1"), TanhSigmoid241.Topology);
            double[] widened = OnnxModel.ReadParameters<double>(Fixtures.Model("tanh_sigmoid_2_4_1"), TanhSigmoid241.Topology);
            Assert.Equal(Array.ConvertAll(single, v => (double)v), widened);
        }

        [Fact]
        public void A_struct_network_loads_in_place_through_ref()
        {
            var network = default(TanhSigmoid241Struct);
            OnnxModel.Load<TanhSigmoid241Struct, float>(ref network, Fixtures.Model("tanh_sigmoid_2_4_1"));
            var (inputs, outputs) = Fixtures.Samples("tanh_sigmoid_2_4_1");
            var output = new float[1];
            for (int s = 0; s < inputs.Length; s++)
            {
                network.Forward(Array.ConvertAll(inputs[s], v => (float)v), output);
                Assert.Equal(outputs[s][0], output[0], Tolerance);
            }
        }

        [Fact]
        public void Loading_a_struct_through_the_interface_is_refused_because_only_a_box_would_change()
        {
            IInferenceNetwork<float> boxed = default(TanhSigmoid241Struct);
            var error = Assert.Throws<ArgumentException>(() => OnnxModel.Load(boxed, Fixtures.Model("tanh_sigmoid_2_4_1")));
            Assert.Contains("ref", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Another_shape_is_refused_naming_both_shapes_and_the_network_is_unchanged()
        {
            var network = new LeakyLinear352();
            network.InitializeParameters(3);
            var before = new float[LeakyLinear352.ParameterCount];
            network.CopyParametersTo(before);

            var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(network, Fixtures.Model("tanh_sigmoid_2_4_1")));
            Assert.Contains("2 inputs → 4 Tanh → 1 Sigmoid", error.Message, StringComparison.Ordinal);
            Assert.Contains("3 inputs → 5 LeakyReLU → 2 Linear", error.Message, StringComparison.Ordinal);

            var after = new float[LeakyLinear352.ParameterCount];
            network.CopyParametersTo(after);
            Assert.Equal(before, after);

            // Same sizes, another activation: still another shape. Loss and precision are not compared.
            var sigmoidOut = new NetworkTopology(2, LossFunction.HalfSquaredError, Precision.Single, new LayerTopology(4, Activation.Tanh), new LayerTopology(1, Activation.Tanh));
            Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadParameters<float>(Fixtures.Model("tanh_sigmoid_2_4_1"), sigmoidOut));
            var otherLoss = new NetworkTopology(2, LossFunction.BinaryCrossEntropy, Precision.Double, new LayerTopology(4, Activation.Tanh), new LayerTopology(1, Activation.Sigmoid));
            Assert.Equal(TanhSigmoid241.ParameterCount, OnnxModel.ReadParameters<double>(Fixtures.Model("tanh_sigmoid_2_4_1"), otherLoss).Length);
        }

        [Fact]
        public void Typed_double_data_and_a_Gemm_with_transB_0_read_as_the_raw_form_does()
        {
            string folder = Path.Combine(Path.GetTempPath(), "backpropgen-onnx-forms-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                // double_data instead of raw_data.
                ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixtures.Model("double_sigmoid_tanh_2_3_1")));
                foreach (TensorProto tensor in model.Graph.Initializer)
                {
                    ReadOnlySpan<byte> raw = tensor.RawData.Span;
                    for (int i = 0; i < raw.Length; i += 8)
                    {
                        tensor.DoubleData.Add(BitConverter.ToDouble(raw.Slice(i, 8)));
                    }

                    tensor.RawData = ByteString.Empty;
                }

                string typed = Path.Combine(folder, "typed.onnx");
                File.WriteAllBytes(typed, model.ToByteArray());
                Assert.Equal(
                    OnnxModel.ReadParameters<double>(Fixtures.Model("double_sigmoid_tanh_2_3_1"), DoubleSigmoidTanh231.Topology),
                    OnnxModel.ReadParameters<double>(typed, DoubleSigmoidTanh231.Topology));

                // The first layer's weights stored [in, out] with transB = 0.
                model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixtures.Model("tanh_sigmoid_2_4_1")));
                TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "0.weight");
                byte[] rows = weight.RawData.ToByteArray();
                var columns = new byte[rows.Length];
                for (int j = 0; j < 4; j++)
                {
                    for (int k = 0; k < 2; k++)
                    {
                        Array.Copy(rows, ((j * 2) + k) * 4, columns, ((k * 4) + j) * 4, 4);
                    }
                }

                weight.RawData = ByteString.CopyFrom(columns);
                weight.Dims[0] = 2;
                weight.Dims[1] = 4;
                model.Graph.Node[0].Attribute.Single(a => a.Name == "transB").I = 0;
                string transposed = Path.Combine(folder, "transposed.onnx");
                File.WriteAllBytes(transposed, model.ToByteArray());
                Assert.Equal(
                    OnnxModel.ReadParameters<float>(Fixtures.Model("tanh_sigmoid_2_4_1"), TanhSigmoid241.Topology),
                    OnnxModel.ReadParameters<float>(transposed, TanhSigmoid241.Topology));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static void AssertReproduces<TNetwork>(TNetwork network, string fixture)
            where TNetwork : class, IInferenceNetwork<float>
        {
            OnnxModel.Load(network, Fixtures.Model(fixture));
            var (inputs, outputs) = Fixtures.Samples(fixture);
            Assert.True(inputs.Length >= 5);
            var output = new float[network.OutputCount];
            for (int s = 0; s < inputs.Length; s++)
            {
                network.Forward(Array.ConvertAll(inputs[s], v => (float)v), output);
                for (int j = 0; j < output.Length; j++)
                {
                    Assert.True(Math.Abs(outputs[s][j] - output[j]) <= Tolerance, $"sample {s}, output {j}: PyTorch {outputs[s][j]}, BackpropGen {output[j]}");
                }
            }
        }
    }
}
