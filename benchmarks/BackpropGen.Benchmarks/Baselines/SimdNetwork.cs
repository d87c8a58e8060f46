using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BackpropGen.Benchmarks.Baselines
{
    /// <summary>
    /// A hand-written loop-based Vector256 implementation of the same network as
    /// <see cref="LoopNetwork"/>: dot products, the backward sums (as row-wise axpy) and the weight
    /// updates run eight floats at a time; the sigmoid stays scalar. The yardstick for wide layers.
    /// </summary>
    public sealed class SimdNetwork
    {
        private readonly int[] _sizes;
        private readonly float[][] _weights;
        private readonly float[][] _biases;
        private readonly float[][] _activations;
        private readonly float[][] _deltas;

        public SimdNetwork(params int[] sizes)
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
                // δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ': accumulate row m of wˡ⁺¹ scaled by δˡ⁺¹ₘ, contiguous loads.
                float[] w = _weights[l];
                float[] delta = _deltas[l];
                Array.Clear(delta);
                int n = _sizes[l];
                for (int m = 0; m < _sizes[l + 1]; m++)
                {
                    Axpy(_deltas[l + 1][m], w, m * n, delta, n);
                }

                float[] h = _activations[l];
                for (int j = 0; j < n; j++)
                {
                    delta[j] *= h[j] * (1 - h[j]);
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
                    Axpy(-step, previous, 0, w, n, j * n);
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
                    float z = _biases[l][j] + Dot(w, j * n, previous, n);
                    next[j] = 1f / (1f + MathF.Exp(-z));
                }
            }
        }

        private static float Dot(float[] x, int xOffset, float[] y, int count)
        {
            ref float xs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOffset);
            ref float ys = ref MemoryMarshal.GetArrayDataReference(y);
            int i = 0;
            float sum = 0;
            if (Vector256.IsHardwareAccelerated && count >= 8)
            {
                Vector256<float> accumulator = Vector256<float>.Zero;
                for (; i <= count - 8; i += 8)
                {
                    accumulator += Vector256.LoadUnsafe(ref xs, (nuint)i) * Vector256.LoadUnsafe(ref ys, (nuint)i);
                }

                sum = Vector256.Sum(accumulator);
            }

            for (; i < count; i++)
            {
                sum += Unsafe.Add(ref xs, i) * Unsafe.Add(ref ys, i);
            }

            return sum;
        }

        /// <summary>y[yOffset + i] += a · x[xOffset + i] for i in [0, count).</summary>
        private static void Axpy(float a, float[] x, int xOffset, float[] y, int count, int yOffset = 0)
        {
            ref float xs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOffset);
            ref float ys = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), yOffset);
            int i = 0;
            if (Vector256.IsHardwareAccelerated && count >= 8)
            {
                Vector256<float> scale = Vector256.Create(a);
                for (; i <= count - 8; i += 8)
                {
                    (Vector256.LoadUnsafe(ref ys, (nuint)i) + (scale * Vector256.LoadUnsafe(ref xs, (nuint)i))).StoreUnsafe(ref ys, (nuint)i);
                }
            }

            for (; i < count; i++)
            {
                Unsafe.Add(ref ys, i) += a * Unsafe.Add(ref xs, i);
            }
        }
    }
}
