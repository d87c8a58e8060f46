using System;

namespace BackpropGen.Benchmarks.Baselines
{
    /// <summary>
    /// The storage both baselines share: per layer a weight matrix (row j holds neuron j's weights,
    /// as BackpropGen's canonical layout), biases, activations and error signals, in float[] arrays.
    /// </summary>
    public abstract class BaselineNetwork
    {
        protected BaselineNetwork(int[] sizes)
        {
            Sizes = sizes;
            int layers = sizes.Length - 1;
            Weights = new float[layers][];
            Biases = new float[layers][];
            Activations = new float[sizes.Length][];
            Deltas = new float[sizes.Length][];
            for (int l = 0; l < sizes.Length; l++)
            {
                Activations[l] = new float[sizes[l]];
                Deltas[l] = new float[sizes[l]];
            }

            for (int l = 0; l < layers; l++)
            {
                Weights[l] = new float[sizes[l + 1] * sizes[l]];
                Biases[l] = new float[sizes[l + 1]];
            }
        }

        protected int[] Sizes { get; }

        protected float[][] Weights { get; }

        protected float[][] Biases { get; }

        protected float[][] Activations { get; }

        protected float[][] Deltas { get; }

        public void LoadParameters(ReadOnlySpan<float> source)
        {
            int offset = 0;
            for (int l = 0; l < Weights.Length; l++)
            {
                source.Slice(offset, Weights[l].Length).CopyTo(Weights[l]);
                offset += Weights[l].Length;
                source.Slice(offset, Biases[l].Length).CopyTo(Biases[l]);
                offset += Biases[l].Length;
            }
        }

        public void CopyParametersTo(Span<float> destination)
        {
            int offset = 0;
            for (int l = 0; l < Weights.Length; l++)
            {
                Weights[l].CopyTo(destination.Slice(offset));
                offset += Weights[l].Length;
                Biases[l].CopyTo(destination.Slice(offset));
                offset += Biases[l].Length;
            }
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output)
        {
            Propagate(input);
            Activations[Activations.Length - 1].CopyTo(output); // not [^1]: the Mono sweep builds this for .NET Framework
        }

        public abstract float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate);

        protected abstract void Propagate(ReadOnlySpan<float> input);

        /// <summary>δᴸ = (aᴸ − y) · aᴸ (1 − aᴸ) for the sigmoid output; returns the half squared error.</summary>
        protected float OutputDeltas(ReadOnlySpan<float> target)
        {
            int last = Sizes.Length - 1;
            float[] a = Activations[last];
            float loss = 0;
            for (int j = 0; j < a.Length; j++)
            {
                float e = a[j] - target[j];
                loss += e * e;
                Deltas[last][j] = e * a[j] * (1 - a[j]);
            }

            return 0.5f * loss;
        }
    }
}
