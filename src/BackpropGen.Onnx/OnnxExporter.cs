using System;
using System.Buffers.Binary;
using System.Globalization;
using BackpropGen.Onnx.Proto;
using Google.Protobuf;

namespace BackpropGen.Onnx
{
    /// <summary>
    /// Writes a network as the graph torch.onnx.export writes for an nn.Sequential: per layer a Gemm
    /// (alpha = beta = 1, transB = 1, weights [out, in] as raw little-endian data) and its activation
    /// node; one input and one output, both [batch, n] with a symbolic batch dimension.
    /// </summary>
    internal static class OnnxExporter
    {
        public const int Opset = 13;

        /// <summary>IR version 7 is the one that goes with opset 13.</summary>
        public const long IrVersion = 7;

        public const string InputName = "input";
        public const string OutputName = "output";

        /// <summary>
        /// The parameters with input scaling a⁰ₖ = (xₖ − μₖ)·sₖ folded into layer 1, which ONNX then runs on
        /// x itself: z¹ⱼ = Σₖ w¹ⱼₖ sₖ (xₖ − μₖ) + b¹ⱼ = Σₖ (w¹ⱼₖ sₖ) xₖ + (b¹ⱼ − Σₖ w¹ⱼₖ sₖ μₖ),
        /// so W′ = W·diag(s) and b′ = b − W·diag(s)·μ (in double; the later layers are unchanged).
        /// </summary>
        public static double[] FoldInputScaling(NetworkTopology topology, double[] parameters, double[] offset, double[] scale)
        {
            var folded = (double[])parameters.Clone();
            int inputs = topology.InputCount;
            int size = topology.Layers[0].Size;
            for (int j = 0; j < size; j++)
            {
                double shift = 0;
                for (int k = 0; k < inputs; k++)
                {
                    double weight = parameters[(j * inputs) + k] * scale[k];
                    folded[(j * inputs) + k] = weight;
                    shift += weight * offset[k];
                }

                folded[(size * inputs) + j] = parameters[(size * inputs) + j] - shift;
            }

            return folded;
        }

        public static ModelProto Build(NetworkTopology topology, ReadOnlySpan<double> parameters, bool single)
        {
            var elementType = single ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double;
            var graph = new GraphProto { Name = "BackpropGen" };
            graph.Input.Add(Value(InputName, elementType, topology.InputCount));
            graph.Output.Add(Value(OutputName, elementType, topology.OutputCount));

            string current = InputName;
            int inputs = topology.InputCount;
            int offset = 0;
            for (int l = 0; l < topology.Layers.Count; l++)
            {
                LayerTopology layer = topology.Layers[l];
                string prefix = "layer" + (l + 1).ToString(CultureInfo.InvariantCulture);
                bool last = l == topology.Layers.Count - 1;
                int weightCount = layer.Size * inputs;
                graph.Initializer.Add(Tensor(prefix + ".weight", elementType, parameters.Slice(offset, weightCount), single, layer.Size, inputs));
                graph.Initializer.Add(Tensor(prefix + ".bias", elementType, parameters.Slice(offset + weightCount, layer.Size), single, layer.Size));
                offset += weightCount + layer.Size;

                string? activation = OperatorOf(layer.Activation);
                string z = last && activation is null ? OutputName : prefix + ".z";
                var gemm = new NodeProto { OpType = "Gemm", Name = prefix + "/Gemm" };
                gemm.Input.Add(current);
                gemm.Input.Add(prefix + ".weight");
                gemm.Input.Add(prefix + ".bias");
                gemm.Output.Add(z);
                gemm.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
                gemm.Attribute.Add(new AttributeProto { Name = "beta", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
                gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                graph.Node.Add(gemm);
                current = z;

                if (layer.Activation is Activation.SiLU or Activation.GELU)
                {
                    current = Decomposed(graph, layer.Activation, prefix, current, last ? OutputName : prefix + ".a", elementType, single);
                }
                else if (layer.Activation == Activation.LeakyReLU && !single)
                {
                    // ONNX Runtime's CPU provider has LeakyRelu for float only: max(z, 0.01 z) is the same function.
                    string a = last ? OutputName : prefix + ".a";
                    graph.Initializer.Add(Tensor(prefix + ".slope", elementType, new[] { 0.01 }, single));
                    var scale = new NodeProto { OpType = "Mul", Name = prefix + "/Mul" };
                    scale.Input.Add(current);
                    scale.Input.Add(prefix + ".slope");
                    scale.Output.Add(prefix + ".scaled");
                    var max = new NodeProto { OpType = "Max", Name = prefix + "/Max" };
                    max.Input.Add(current);
                    max.Input.Add(prefix + ".scaled");
                    max.Output.Add(a);
                    graph.Node.Add(scale);
                    graph.Node.Add(max);
                    current = a;
                }
                else if (activation is not null)
                {
                    string a = last ? OutputName : prefix + ".a";
                    var node = new NodeProto { OpType = activation, Name = prefix + "/" + activation };
                    node.Input.Add(current);
                    node.Output.Add(a);
                    if (layer.Activation == Activation.LeakyReLU)
                    {
                        node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.01f });
                    }
                    else if (layer.Activation == Activation.Softmax)
                    {
                        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
                    }

                    graph.Node.Add(node);
                    current = a;
                }

                inputs = layer.Size;
            }

            var model = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "BackpropGen.Onnx",
                Graph = graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
            return model;
        }

        /// <summary>The ONNX operator of an activation; null for Linear (no node); SiLU and GELU are written by <see cref="Decomposed"/>.</summary>
        private static string? OperatorOf(Activation activation) => activation switch
        {
            Activation.Sigmoid => "Sigmoid",
            Activation.Tanh => "Tanh",
            Activation.ReLU => "Relu",
            Activation.LeakyReLU => "LeakyRelu",
            Activation.Linear => null,
            Activation.Softmax => "Softmax",
            Activation.SiLU => "SiLU",
            Activation.GELU => "GELU",
            _ => throw new NotSupportedException("BackpropGen.Onnx cannot export the activation " + activation + " yet."),
        };

        /// <summary>
        /// SiLU and GELU as torch 1.13 writes them for opsets below 20: SiLU = z · Sigmoid(z);
        /// GELU = 0.5 · z · (1 + Tanh(√(2/π) · (z + 0.044715 · z · z · z))).
        /// </summary>
        private static string Decomposed(GraphProto graph, Activation activation, string prefix, string z, string output, TensorProto.Types.DataType elementType, bool single)
        {
            int step = 0;
            string Node(string op, string output2, params string[] inputs)
            {
                var node = new NodeProto { OpType = op, Name = prefix + "/" + op + "_" + step.ToString(CultureInfo.InvariantCulture) };
                node.Input.Add(inputs);
                node.Output.Add(output2);
                graph.Node.Add(node);
                step++;
                return output2;
            }

            string Scalar(string name, double value)
            {
                graph.Initializer.Add(Tensor(prefix + "." + name, elementType, new[] { value }, single));
                return prefix + "." + name;
            }

            if (activation == Activation.SiLU)
            {
                string s = Node("Sigmoid", prefix + ".sigmoid", z);
                return Node("Mul", output, z, s);
            }

            string squared = Node("Mul", prefix + ".z2", z, z);
            string cubed = Node("Mul", prefix + ".z3", z, squared);
            string scaledCube = Node("Mul", prefix + ".cz3", Scalar("gelu_c", 0.044715), cubed);
            string inner = Node("Add", prefix + ".inner", z, scaledCube);
            string u = Node("Mul", prefix + ".u", Scalar("gelu_k", Math.Sqrt(2 / Math.PI)), inner);
            string t = Node("Tanh", prefix + ".tanh", u);
            string onePlus = Node("Add", prefix + ".one_plus", Scalar("one", 1), t);
            string zTimes = Node("Mul", prefix + ".z_one_plus", z, onePlus);
            return Node("Mul", output, Scalar("half", 0.5), zTimes);
        }

        private static ValueInfoProto Value(string name, TensorProto.Types.DataType elementType, int features)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
            };
        }

        private static TensorProto Tensor(string name, TensorProto.Types.DataType elementType, ReadOnlySpan<double> values, bool single, params long[] dims)
        {
            int size = single ? sizeof(float) : sizeof(double);
            var raw = new byte[values.Length * size];
            for (int i = 0; i < values.Length; i++)
            {
                if (single)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * 4), Bits.FromSingle((float)values[i]));
                }
                else
                {
                    BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), BitConverter.DoubleToInt64Bits(values[i]));
                }
            }

            var tensor = new TensorProto { Name = name, DataType = (int)elementType, RawData = ByteString.CopyFrom(raw) };
            tensor.Dims.Add(dims);
            return tensor;
        }
    }
}
