using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Onnx.Proto;
using Google.Protobuf;

namespace BackpropGen.Onnx
{
    /// <summary>
    /// Reads a fully connected network out of an ONNX graph: a chain from the one graph input to the
    /// one graph output of Gemm (or MatMul + Add) nodes, each followed by at most one activation.
    /// Everything else is refused with an <see cref="OnnxFormatException"/> naming the node.
    /// </summary>
    internal static class OnnxImporter
    {
        internal const string Supported = "BackpropGen imports fully connected networks: Gemm or MatMul+Add, with Sigmoid, Tanh, Relu, LeakyRelu, Softmax, SiLU (Sigmoid + Mul) and GELU (tanh form, decomposed)";

        private const float LeakyReluSlope = 0.01f;

        public static ModelProto Parse(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                throw new OnnxFormatException("The file is empty: it is not an ONNX model.");
            }

            ModelProto model;
            try
            {
                model = ModelProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new OnnxFormatException("The file is not a readable ONNX model (truncated or damaged): " + e.Message, e);
            }

            if (model.IrVersion <= 0 || model.Graph is null)
            {
                throw new OnnxFormatException("The file is not an ONNX model: it has no " + (model.IrVersion <= 0 ? "ir_version" : "graph") + ".");
            }

            // Every real model names the default operator set's version last; a file cut short between
            // top-level fields would otherwise still parse.
            if (!model.OpsetImport.Any(o => (o.Domain.Length == 0 || o.Domain == "ai.onnx") && o.Version > 0))
            {
                throw new OnnxFormatException("The ONNX model names no version of the default operator set (opset_import): it is truncated or not an ONNX model.");
            }

            return model;
        }

        public static ImportedNetwork Import(ModelProto model)
        {
            GraphProto graph = model.Graph;
            var constants = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (TensorProto initializer in graph.Initializer)
            {
                constants[initializer.Name] = initializer;
            }

            // Before IR version 4 initializers were listed among the inputs as well.
            ValueInfoProto[] inputs = graph.Input.Where(i => !constants.ContainsKey(i.Name)).ToArray();
            if (inputs.Length != 1)
            {
                throw new OnnxFormatException("The graph has " + Count(inputs.Length, "input") + "; BackpropGen imports networks with exactly one.");
            }

            if (graph.Output.Count != 1)
            {
                throw new OnnxFormatException("The graph has " + Count(graph.Output.Count, "output") + "; BackpropGen imports networks with exactly one.");
            }

            int declaredWidth = InputWidth(inputs[0]);
            string current = inputs[0].Name;
            int width = declaredWidth;
            var layers = new List<ImportedLayer>();
            var nodes = graph.Node;
            for (int i = 0; i < nodes.Count; i++)
            {
                // Collected first: a decomposed activation may use a Constant that comes later in the list.
                if (nodes[i].OpType == "Constant" && (nodes[i].Domain.Length == 0 || nodes[i].Domain == "ai.onnx"))
                {
                    AddConstant(i, nodes[i], constants);
                }
            }

            for (int i = 0; i < nodes.Count; i++)
            {
                NodeProto node = nodes[i];
                if (node.Domain.Length != 0 && node.Domain != "ai.onnx")
                {
                    throw Unsupported(i, node, node.OpType + " from the operator set \"" + node.Domain + "\"");
                }

                if (node.OpType == "Constant")
                {
                    continue;
                }

                if (node.Input.Count == 0 || node.Input[0] != current || node.Output.Count == 0)
                {
                    throw Unsupported(i, node, node.OpType + " on \"" + (node.Input.Count == 0 ? "" : node.Input[0]) + "\", which does not continue the chain from \"" + current + "\"");
                }

                ImportedLayer? last = layers.Count == 0 ? null : layers[layers.Count - 1];
                switch (node.OpType)
                {
                    case "Identity":
                    case "Dropout" when node.Output.Count == 1 || nodes.Skip(i + 1).All(n => !n.Input.Contains(node.Output[1])):
                    case "Flatten" when Int(node, "axis", 1) == 1:
                        break;
                    case "Gemm":
                        layers.Add(Gemm(i, node, constants, ref width));
                        break;
                    case "MatMul":
                        layers.Add(MatMulAdd(ref i, nodes, constants, ref width));
                        node = nodes[i];
                        break;
                    case "Sigmoid" or "Mul" or "Add" or "Pow" or "Div" when last is not null && !last.HasActivationNode
                        && ActivationSubgraph.Match(nodes, i, current, constants, out int end) is Activation decomposed:
                        SetActivation(i, node, last, decomposed);
                        i = end;
                        node = nodes[i];
                        break;
                    case "Sigmoid":
                        SetActivation(i, node, last, Activation.Sigmoid);
                        break;
                    case "Tanh":
                        SetActivation(i, node, last, Activation.Tanh);
                        break;
                    case "Relu":
                        SetActivation(i, node, last, Activation.ReLU);
                        break;
                    case "LeakyRelu":
                        float alpha = Float(node, "alpha", 0.01f);
                        if (alpha != LeakyReluSlope)
                        {
                            throw Unsupported(i, node, "LeakyRelu with alpha " + alpha.ToString("R", CultureInfo.InvariantCulture) + " (BackpropGen's LeakyReLU has slope 0.01)");
                        }

                        SetActivation(i, node, last, Activation.LeakyReLU);
                        break;
                    case "Softmax":
                        long axis = Int(node, "axis", -1);
                        if (axis != -1 && axis != 1)
                        {
                            throw Unsupported(i, node, "Softmax on axis " + axis.ToString(CultureInfo.InvariantCulture) + " (BackpropGen's Softmax is over the last axis)");
                        }

                        SetActivation(i, node, last, Activation.Softmax);
                        break;
                    case "Mul" when IsLeakyReluAsMax(nodes, i, constants):
                        // What OnnxModel.Save writes for a double LeakyReLU (ONNX Runtime has no double LeakyRelu).
                        SetActivation(i, node, last, Activation.LeakyReLU);
                        i++;
                        node = nodes[i];
                        break;
                    default:
                        throw Unsupported(i, node, node.OpType);
                }

                current = node.Output[0];
            }

            if (layers.Count == 0)
            {
                throw new OnnxFormatException("The graph has no Gemm or MatMul node: " + Supported + ".");
            }

            if (graph.Output[0].Name != current)
            {
                throw new OnnxFormatException("The graph's output \"" + graph.Output[0].Name + "\" is not the end of the chain of layers (\"" + current + "\").");
            }

            for (int l = 0; l < layers.Count - 1; l++)
            {
                if (layers[l].Activation == Activation.Softmax)
                {
                    throw new OnnxFormatException("Layer " + (l + 1).ToString(CultureInfo.InvariantCulture) + " is a hidden layer with Softmax; BackpropGen allows Softmax on the output layer only.");
                }
            }

            if (declaredWidth < 0)
            {
                throw new OnnxFormatException("The graph input \"" + inputs[0].Name + "\" has " + (-declaredWidth).ToString(CultureInfo.InvariantCulture) + " dimensions; BackpropGen imports networks whose input is [batch, features].");
            }

            int inputCount = layers[0].Inputs;
            if (declaredWidth > 0 && declaredWidth != inputCount)
            {
                throw new OnnxFormatException("The graph input \"" + inputs[0].Name + "\" has " + declaredWidth.ToString(CultureInfo.InvariantCulture) + " features but the first layer takes " + inputCount.ToString(CultureInfo.InvariantCulture) + ".");
            }

            Precision precision = ElementPrecision(inputs[0]);
            LossFunction loss = layers[layers.Count - 1].Activation == Activation.Softmax ? LossFunction.CrossEntropy : LossFunction.HalfSquaredError;
            var topology = new NetworkTopology(inputCount, loss, precision, layers.Select(l => new LayerTopology(l.Outputs, l.Activation)).ToArray());
            return new ImportedNetwork(topology, layers);
        }

        /// <summary>Mul(z, 0.01) then Max(z, that): max(z, 0.01 z) is LeakyReLU.</summary>
        private static bool IsLeakyReluAsMax(IList<NodeProto> nodes, int i, Dictionary<string, TensorProto> constants)
        {
            NodeProto mul = nodes[i];
            if (i + 1 >= nodes.Count || mul.Input.Count != 2 || mul.Output.Count != 1 || !constants.TryGetValue(mul.Input[1], out TensorProto? slope))
            {
                return false;
            }

            NodeProto max = nodes[i + 1];
            if (max.OpType != "Max" || max.Input.Count != 2 || max.Output.Count != 1 || !max.Input.Contains(mul.Input[0]) || !max.Input.Contains(mul.Output[0]))
            {
                return false;
            }

            double[] value = TensorValues.Read(i, mul, slope, 1);
            return value[0] == 0.01 || value[0] == (double)LeakyReluSlope;
        }

        private static ImportedLayer Gemm(int index, NodeProto node, Dictionary<string, TensorProto> constants, ref int width)
        {
            float alpha = Float(node, "alpha", 1f), beta = Float(node, "beta", 1f);
            long transA = Int(node, "transA", 0), transB = Int(node, "transB", 0);
            if (alpha != 1f || beta != 1f || transA != 0 || (transB != 0 && transB != 1))
            {
                throw Unsupported(index, node, "Gemm with alpha " + alpha.ToString("R", CultureInfo.InvariantCulture) + ", beta " + beta.ToString("R", CultureInfo.InvariantCulture) + ", transA " + transA.ToString(CultureInfo.InvariantCulture) + " (BackpropGen reads alpha = beta = 1, transA = 0)");
            }

            if (node.Input.Count < 2)
            {
                throw Unsupported(index, node, "Gemm without a weight input");
            }

            TensorProto weights = Constant(index, node, 1, constants);
            TensorProto? biases = node.Input.Count > 2 && node.Input[2].Length != 0 ? Constant(index, node, 2, constants) : null;
            return Layer(index, node, weights, biases, storedOutInputs: transB == 1, ref width);
        }

        private static ImportedLayer MatMulAdd(ref int index, IList<NodeProto> nodes, Dictionary<string, TensorProto> constants, ref int width)
        {
            NodeProto matMul = nodes[index];
            if (matMul.Input.Count != 2)
            {
                throw Unsupported(index, matMul, "MatMul with " + Count(matMul.Input.Count, "input"));
            }

            TensorProto weights = Constant(index, matMul, 1, constants);
            TensorProto? biases = null;
            if (index + 1 < nodes.Count && nodes[index + 1].OpType == "Add" && nodes[index + 1].Input.Count == 2 && nodes[index + 1].Input.Contains(matMul.Output[0]) && nodes[index + 1].Output.Count > 0)
            {
                NodeProto add = nodes[index + 1];
                int other = add.Input[0] == matMul.Output[0] ? 1 : 0;
                biases = Constant(index + 1, add, other, constants);
                ImportedLayer layer = Layer(index, matMul, weights, biases, storedOutInputs: false, ref width);
                index++;
                return layer;
            }

            return Layer(index, matMul, weights, null, storedOutInputs: false, ref width);
        }

        /// <summary>A layer from its weight tensor ([out, in] when <paramref name="storedOutInputs"/>, else [in, out]) and bias tensor.</summary>
        private static ImportedLayer Layer(int index, NodeProto node, TensorProto weightTensor, TensorProto? biasTensor, bool storedOutInputs, ref int width)
        {
            if (weightTensor.Dims.Count != 2 || weightTensor.Dims[0] < 1 || weightTensor.Dims[1] < 1 || weightTensor.Dims[0] > TensorValues.MaxDimension || weightTensor.Dims[1] > TensorValues.MaxDimension)
            {
                throw Invalid(index, node, "its weights \"" + weightTensor.Name + "\" have shape " + Shape(weightTensor) + "; a fully connected layer needs a matrix");
            }

            int outputs = (int)weightTensor.Dims[storedOutInputs ? 0 : 1];
            int inputs = (int)weightTensor.Dims[storedOutInputs ? 1 : 0];
            if (width > 0 && inputs != width)
            {
                throw Invalid(index, node, "its weights \"" + weightTensor.Name + "\" have shape " + Shape(weightTensor) + " and take " + inputs.ToString(CultureInfo.InvariantCulture) + " inputs, but " + width.ToString(CultureInfo.InvariantCulture) + " arrive");
            }

            double[] stored = TensorValues.Read(index, node, weightTensor, (long)outputs * inputs);
            double[] weights;
            if (storedOutInputs)
            {
                weights = stored;
            }
            else
            {
                weights = new double[stored.Length];
                for (int k = 0; k < inputs; k++)
                {
                    for (int j = 0; j < outputs; j++)
                    {
                        weights[(j * inputs) + k] = stored[(k * outputs) + j];
                    }
                }
            }

            double[] biases;
            if (biasTensor is null)
            {
                biases = new double[outputs];
            }
            else
            {
                bool vector = biasTensor.Dims.Count == 1 || (biasTensor.Dims.Count == 2 && biasTensor.Dims[0] == 1);
                if (!vector || biasTensor.Dims[biasTensor.Dims.Count - 1] != outputs)
                {
                    throw Invalid(index, node, "its biases \"" + biasTensor.Name + "\" have shape " + Shape(biasTensor) + "; the layer has " + outputs.ToString(CultureInfo.InvariantCulture) + " neurons");
                }

                biases = TensorValues.Read(index, node, biasTensor, outputs);
            }

            width = outputs;
            return new ImportedLayer(inputs, outputs, weights, biases);
        }

        private static void SetActivation(int index, NodeProto node, ImportedLayer? layer, Activation activation)
        {
            if (layer is null)
            {
                throw Unsupported(index, node, node.OpType + " before the first Gemm or MatMul");
            }

            if (layer.HasActivationNode)
            {
                throw Unsupported(index, node, node.OpType + " after " + layer.Activation + " (one activation per layer)");
            }

            layer.Activation = activation;
            layer.HasActivationNode = true;
        }

        private static void AddConstant(int index, NodeProto node, Dictionary<string, TensorProto> constants)
        {
            AttributeProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value");
            if (value?.T is null || node.Output.Count != 1)
            {
                throw Unsupported(index, node, "Constant without a tensor value");
            }

            constants[node.Output[0]] = value.T;
        }

        private static TensorProto Constant(int index, NodeProto node, int input, Dictionary<string, TensorProto> constants)
        {
            if (!constants.TryGetValue(node.Input[input], out TensorProto? tensor))
            {
                throw Unsupported(index, node, node.OpType + " whose input " + input.ToString(CultureInfo.InvariantCulture) + " \"" + node.Input[input] + "\" is computed, not an initializer");
            }

            return tensor;
        }

        private static int InputWidth(ValueInfoProto input)
        {
            TensorShapeProto? shape = input.Type?.TensorType?.Shape;
            if (shape is null || shape.Dim.Count == 0)
            {
                return 0;
            }

            if (shape.Dim.Count != 2)
            {
                return -shape.Dim.Count;
            }

            TensorShapeProto.Types.Dimension features = shape.Dim[1];
            return features.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && features.DimValue > 0 && features.DimValue <= TensorValues.MaxDimension
                ? (int)features.DimValue
                : 0;
        }

        private static Precision ElementPrecision(ValueInfoProto input)
        {
            int type = input.Type?.TensorType?.ElemType ?? (int)TensorProto.Types.DataType.Float;
            return type switch
            {
                (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Undefined => Precision.Single,
                (int)TensorProto.Types.DataType.Double => Precision.Double,
                _ => throw new OnnxFormatException("The graph input \"" + input.Name + "\" holds " + TensorValues.TypeName(type) + "; BackpropGen networks take float or double."),
            };
        }

        private static float Float(NodeProto node, string name, float fallback)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            return attribute is null ? fallback : attribute.F;
        }

        private static long Int(NodeProto node, string name, long fallback)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            return attribute is null ? fallback : attribute.I;
        }

        internal static string Shape(TensorProto tensor) => "[" + string.Join(", ", tensor.Dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

        private static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? "" : "s");

        private static string Name(NodeProto node) => node.Name.Length == 0 ? "" : " (node name \"" + node.Name + "\")";

        internal static OnnxFormatException Unsupported(int index, NodeProto node, string what) =>
            new OnnxFormatException("node " + index.ToString(CultureInfo.InvariantCulture) + " is " + what + "; " + Supported + "." + Name(node), index, node.OpType);

        internal static OnnxFormatException Invalid(int index, NodeProto node, string what) =>
            new OnnxFormatException("node " + index.ToString(CultureInfo.InvariantCulture) + " is " + node.OpType + ": " + what + "." + Name(node), index, node.OpType);
    }
}
