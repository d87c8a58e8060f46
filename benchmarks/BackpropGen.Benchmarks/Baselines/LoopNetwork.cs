using System;

namespace BackpropGen.Benchmarks.Baselines
{
    /// <summary>
    /// What a C# developer would write: a sigmoid multilayer perceptron with half squared error over
    /// float[] arrays and loops, in BackpropGen's canonical parameter layout (per layer, weights row
    /// by row, then biases). Every gradient is taken from the weights as they were before the step.
    /// </summary>
    public sealed class LoopNetwork : BaselineNetwork
    {
        public LoopNetwork(params int[] sizes)
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
                float[] w = Weights[l];
                int n = Sizes[l];
                for (int j = 0; j < n; j++)
                {
                    float sum = 0;
                    for (int m = 0; m < Sizes[l + 1]; m++)
                    {
                        sum += w[(m * n) + j] * Deltas[l + 1][m];
                    }

                    float h = Activations[l][j];
                    Deltas[l][j] = sum * h * (1 - h);
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
                    for (int k = 0; k < n; k++)
                    {
                        w[(j * n) + k] -= step * previous[k];
                    }

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
                    float z = Biases[l][j];
                    for (int k = 0; k < n; k++)
                    {
                        z += w[(j * n) + k] * previous[k];
                    }

#if NETFRAMEWORK
                    // .NET Framework (the Mono sweep) has no MathF; the generated netstandard2.0 code calls Math.Exp too.
                    next[j] = 1f / (1f + (float)Math.Exp(-z));
#else
                    next[j] = 1f / (1f + MathF.Exp(-z));
#endif
                }
            }
        }
    }
}
