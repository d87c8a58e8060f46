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
    public sealed class SimdNetwork : BaselineNetwork
    {
        public SimdNetwork(params int[] sizes)
            : base(sizes)
        {
        }

        public override float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
        {
            Propagate(input);
            float loss = OutputDeltas(target);
            int last = Sizes.Length - 1;
            for (int l = last - 1; l >= 1; l--)
            {
                // δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ': accumulate row m of wˡ⁺¹ scaled by δˡ⁺¹ₘ, contiguous loads.
                float[] w = Weights[l];
                float[] delta = Deltas[l];
                Array.Clear(delta);
                int n = Sizes[l];
                for (int m = 0; m < Sizes[l + 1]; m++)
                {
                    Axpy(Deltas[l + 1][m], w, m * n, delta, n);
                }

                float[] h = Activations[l];
                for (int j = 0; j < n; j++)
                {
                    delta[j] *= h[j] * (1 - h[j]);
                }
            }

            for (int l = 0; l < Weights.Length; l++)
            {
                float[] w = Weights[l];
                float[] previous = Activations[l];
                float[] delta = Deltas[l + 1];
                int n = previous.Length;
                for (int j = 0; j < delta.Length; j++)
                {
                    float step = learningRate * delta[j];
                    Axpy(-step, previous, 0, w, n, j * n);
                    Biases[l][j] -= step;
                }
            }

            return loss;
        }

        protected override void Propagate(ReadOnlySpan<float> input)
        {
            input.CopyTo(Activations[0]);
            for (int l = 0; l < Weights.Length; l++)
            {
                float[] w = Weights[l];
                float[] previous = Activations[l];
                float[] next = Activations[l + 1];
                int n = previous.Length;
                for (int j = 0; j < next.Length; j++)
                {
                    float z = Biases[l][j] + Dot(w, j * n, previous, n);
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
