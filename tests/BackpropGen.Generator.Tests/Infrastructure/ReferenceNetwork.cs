using System;
using System.Linq;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// A plain loop-based multilayer perceptron in double, written from MATH.md independently of the
    /// generator: the yardstick for the generated code's outputs, losses and gradients.
    /// Parameters are in the canonical order (per layer: weights row by row, then biases).
    /// </summary>
    public sealed class ReferenceNetwork
    {
        public ReferenceNetwork(int inputs, (int Size, Activation Activation)[] layers, LossFunction loss)
        {
            Inputs = inputs;
            Layers = layers;
            Loss = loss;
            int count = 0;
            int previous = inputs;
            foreach (var layer in layers)
            {
                count += (previous + 1) * layer.Size;
                previous = layer.Size;
            }

            ParameterCount = count;
        }

        public int Inputs { get; }

        public (int Size, Activation Activation)[] Layers { get; }

        public LossFunction Loss { get; }

        public int ParameterCount { get; }

        public double[] Forward(double[] parameters, double[] input) => ForwardWithLogits(parameters, input).Output;

        /// <summary>The output aᴸ and the output layer's weighted inputs zᴸ.</summary>
        public (double[] Output, double[] Logits) ForwardWithLogits(double[] parameters, double[] input)
        {
            double[] a = input;
            double[] z = Array.Empty<double>();
            int offset = 0;
            foreach (var layer in Layers)
            {
                int n = a.Length;
                z = new double[layer.Size];
                for (int j = 0; j < layer.Size; j++)
                {
                    z[j] = parameters[offset + (layer.Size * n) + j];
                    for (int k = 0; k < n; k++)
                    {
                        z[j] += parameters[offset + (j * n) + k] * a[k];
                    }
                }

                a = layer.Activation == Activation.Softmax ? Softmax(z) : Array.ConvertAll(z, v => Activate(layer.Activation, v));
                offset += (n + 1) * layer.Size;
            }

            return (a, z);
        }

        public double ComputeLoss(double[] parameters, double[] input, double[] target)
        {
            var (output, logits) = ForwardWithLogits(parameters, input);
            int count = output.Length;
            double sum = 0;
            switch (Loss)
            {
                case LossFunction.HalfSquaredError:
                case LossFunction.MeanSquaredError:
                    for (int j = 0; j < count; j++)
                    {
                        double e = target[j] - output[j];
                        sum += e * e;
                    }

                    return Loss == LossFunction.HalfSquaredError ? 0.5 * sum : sum / count;

                case LossFunction.BinaryCrossEntropy:
                    // Straight from the definition, on the probabilities.
                    for (int j = 0; j < count; j++)
                    {
                        sum += (target[j] * Math.Log(output[j])) + ((1 - target[j]) * Math.Log(1 - output[j]));
                    }

                    return -sum / count;

                case LossFunction.CrossEntropy:
                    for (int j = 0; j < count; j++)
                    {
                        sum += target[j] * Math.Log(output[j]);
                    }

                    return -sum;

                default:
                    throw new NotSupportedException(Loss.ToString());
            }
        }

        private static double[] Softmax(double[] z)
        {
            double max = z.Max();
            double[] e = Array.ConvertAll(z, v => Math.Exp(v - max));
            double total = e.Sum();
            return Array.ConvertAll(e, v => v / total);
        }

        /// <summary>∂C/∂θ by central finite differences: (C(θ + h) − C(θ − h)) / 2h.</summary>
        public double[] FiniteDifferenceGradient(double[] parameters, double[] input, double[] target, double h = 1e-6)
        {
            var gradient = new double[parameters.Length];
            var probe = (double[])parameters.Clone();
            for (int i = 0; i < parameters.Length; i++)
            {
                probe[i] = parameters[i] + h;
                double plus = ComputeLoss(probe, input, target);
                probe[i] = parameters[i] - h;
                double minus = ComputeLoss(probe, input, target);
                probe[i] = parameters[i];
                gradient[i] = (plus - minus) / (2 * h);
            }

            return gradient;
        }

        /// <summary>σ(z) of a per-neuron activation, straight from its definition (PyTorch's for SiLU and GELU).</summary>
        public static double Activate(Activation activation, double z) => activation switch
        {
            Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
            Activation.Tanh => Math.Tanh(z),
            Activation.ReLU => Math.Max(0, z),
            Activation.LeakyReLU => z > 0 ? z : 0.01 * z,
            Activation.Linear => z,
            Activation.SiLU => z / (1 + Math.Exp(-z)),
            Activation.GELU => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + (0.044715 * z * z * z)))),
            _ => throw new NotSupportedException(activation.ToString()),
        };
    }
}
