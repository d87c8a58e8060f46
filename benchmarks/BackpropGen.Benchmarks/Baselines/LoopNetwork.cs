using System;

namespace BackpropGen.Benchmarks.Baselines
{
    /// <summary>
    /// What a C# developer would write: a sigmoid multilayer perceptron with half squared error over
    /// float[] arrays and loops, in BackpropGen's canonical parameter layout (per layer, weights row
    /// by row, then biases). Every gradient is taken from the weights as they were before the step.
    /// </summary>
    public sealed class LoopNetwork
    {
        private readonly int[] _sizes;
        private readonly float[][] _weights;
        private readonly float[][] _biases;
        private readonly float[][] _activations;
        private readonly float[][] _deltas;

        public LoopNetwork(params int[] sizes)
        {
            _sizes = sizes;
            int layers = sizes.Length - 1;
            _weights = new float[layers][];
            _biases = new float[layers][];
            _activations = new float[sizes.Length][];
            _deltas = new float[sizes.Length][];
            for (int l = 0; l < sizes.Length; l++)
            {
                _activations[l] = new float[sizes[l]];
                _deltas[l] = new float[sizes[l]];
            }

            for (int l = 0; l < layers; l++)
            {
                _weights[l] = new float[sizes[l + 1] * sizes[l]];
                _biases[l] = new float[sizes[l + 1]];
            }
        }

        public int ParameterCount => _weights.Sum(w => w.Length) + _biases.Sum(b => b.Length);

        public void LoadParameters(ReadOnlySpan<float> source)
        {
            int offset = 0;
            for (int l = 0; l < _weights.Length; l++)
            {
                source.Slice(offset, _weights[l].Length).CopyTo(_weights[l]);
                offset += _weights[l].Length;
                source.Slice(offset, _biases[l].Length).CopyTo(_biases[l]);
                offset += _biases[l].Length;
            }
        }

        public void CopyParametersTo(Span<float> destination)
        {
            int offset = 0;
            for (int l = 0; l < _weights.Length; l++)
            {
                _weights[l].CopyTo(destination.Slice(offset));
                offset += _weights[l].Length;
                _biases[l].CopyTo(destination.Slice(offset));
                offset += _biases[l].Length;
            }
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output)
        {
            Propagate(input);
            _activations[^1].CopyTo(output);
        }

        public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
        {
            Propagate(input);
            int last = _sizes.Length - 1;
            float[] a = _activations[last];
            float loss = 0;
            for (int j = 0; j < a.Length; j++)
            {
                float e = a[j] - target[j];
                loss += e * e;
                _deltas[last][j] = e * a[j] * (1 - a[j]);
            }

            for (int l = last - 1; l >= 1; l--)
            {
                float[] w = _weights[l];
                int n = _sizes[l];
                for (int j = 0; j < n; j++)
                {
                    float sum = 0;
                    for (int m = 0; m < _sizes[l + 1]; m++)
                    {
                        sum += w[(m * n) + j] * _deltas[l + 1][m];
                    }

                    float h = _activations[l][j];
                    _deltas[l][j] = sum * h * (1 - h);
                }
            }

            for (int l = 0; l < _weights.Length; l++)
            {
                float[] w = _weights[l];
                float[] previous = _activations[l];
                float[] delta = _deltas[l + 1];
                int n = previous.Length;
                for (int j = 0; j < delta.Length; j++)
                {
                    float step = learningRate * delta[j];
                    for (int k = 0; k < n; k++)
                    {
                        w[(j * n) + k] -= step * previous[k];
                    }

                    _biases[l][j] -= step;
                }
            }

            return 0.5f * loss;
        }

        private void Propagate(ReadOnlySpan<float> input)
        {
            input.CopyTo(_activations[0]);
            for (int l = 0; l < _weights.Length; l++)
            {
                float[] w = _weights[l];
                float[] previous = _activations[l];
                float[] next = _activations[l + 1];
                int n = previous.Length;
                for (int j = 0; j < next.Length; j++)
                {
                    float z = _biases[l][j];
                    for (int k = 0; k < n; k++)
                    {
                        z += w[(j * n) + k] * previous[k];
                    }

                    next[j] = 1f / (1f + MathF.Exp(-z));
                }
            }
        }
    }

    internal static class Sums
    {
        public static int Sum(this float[][] arrays, Func<float[], int> length)
        {
            int total = 0;
            foreach (float[] array in arrays)
            {
                total += length(array);
            }

            return total;
        }
    }
}
