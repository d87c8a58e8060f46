using System;
using System.Collections.Generic;
using BackpropGen.Onnx.Proto;

namespace BackpropGen.Onnx
{
    /// <summary>
    /// An activation that exporters write as several element-wise nodes (torch 1.13: SiLU as
    /// Sigmoid + Mul, tanh-form GELU as eight Mul/Add/Tanh nodes with Constants): the run of nodes
    /// after a layer up to the next Gemm/MatMul is evaluated on sample values of z and compared with
    /// each activation's own formula, so any equivalent decomposition is recognised.
    /// </summary>
    internal static class ActivationSubgraph
    {
        private static readonly double[] Probes = { -4, -1.5, -0.3, 0, 0.2, 0.9, 2.5, 5 };

        /// <summary>The activation nodes[start..end] compute from <paramref name="input"/>, or null.</summary>
        public static Activation? Match(IList<NodeProto> nodes, int start, string input, Dictionary<string, TensorProto> constants, out int end)
        {
            end = start;
            int last = start;
            while (last < nodes.Count && nodes[last].OpType is not ("Gemm" or "MatMul"))
            {
                last++;
            }

            last--;
            if (last <= start)
            {
                return null;
            }

            var results = new double[Probes.Length];
            string? output = null;
            for (int p = 0; p < Probes.Length; p++)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal) { [input] = Probes[p] };
                for (int i = start; i <= last; i++)
                {
                    if (!Evaluate(nodes[i], values, constants))
                    {
                        return null;
                    }
                }

                output = nodes[last].Output[0];
                results[p] = values[output];
            }

            foreach (Activation candidate in new[] { Activation.SiLU, Activation.GELU })
            {
                bool same = true;
                for (int p = 0; p < Probes.Length && same; p++)
                {
                    double expected = Formula(candidate, Probes[p]);
                    same = Math.Abs(results[p] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected));
                }

                if (same)
                {
                    end = last;
                    return candidate;
                }
            }

            return null;
        }

        public static double Formula(Activation activation, double z) => activation switch
        {
            Activation.SiLU => z / (1 + Math.Exp(-z)),
            Activation.GELU => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + (0.044715 * z * z * z)))),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Only the activations exported as several nodes have a formula here."),
        };

        private static bool Evaluate(NodeProto node, Dictionary<string, double> values, Dictionary<string, TensorProto> constants)
        {
            if (node.Output.Count != 1)
            {
                return false;
            }

            if (node.OpType == "Constant")
            {
                // Constants were collected by the importer's pass; a scalar one is a value here.
                return true;
            }

            var operands = new double[node.Input.Count];
            for (int k = 0; k < operands.Length; k++)
            {
                if (!values.TryGetValue(node.Input[k], out operands[k]) && !Scalar(node.Input[k], constants, out operands[k]))
                {
                    return false;
                }
            }

            double? result = (node.OpType, operands.Length) switch
            {
                ("Mul", 2) => operands[0] * operands[1],
                ("Add", 2) => operands[0] + operands[1],
                ("Sub", 2) => operands[0] - operands[1],
                ("Div", 2) => operands[0] / operands[1],
                ("Pow", 2) => Math.Pow(operands[0], operands[1]),
                ("Tanh", 1) => Math.Tanh(operands[0]),
                ("Sigmoid", 1) => 1 / (1 + Math.Exp(-operands[0])),
                _ => null,
            };
            if (result is null)
            {
                return false;
            }

            values[node.Output[0]] = result.Value;
            return true;
        }

        private static bool Scalar(string name, Dictionary<string, TensorProto> constants, out double value)
        {
            value = 0;
            if (!constants.TryGetValue(name, out TensorProto? tensor))
            {
                return false;
            }

            long count = 1;
            foreach (long dim in tensor.Dims)
            {
                count *= dim;
            }

            if (count != 1)
            {
                return false;
            }

            try
            {
                value = TensorValues.Read(0, new NodeProto(), tensor, 1)[0];
                return true;
            }
            catch (OnnxFormatException)
            {
                return false;
            }
        }
    }
}
