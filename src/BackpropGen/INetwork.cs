using System;

namespace BackpropGen
{
    /// <summary>
    /// What every generated network exposes, so that training loops, serialization and gradient
    /// checks work on any network without reflection. Use it as a generic constraint
    /// (<c>where TNetwork : INetwork&lt;float&gt;</c>) to call a <c>partial struct</c> network
    /// without boxing it.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface INetwork<T>
        where T : struct
    {
        /// <summary>The network's shape: inputs, layers, loss and precision.</summary>
        NetworkTopology Topology { get; }

        /// <summary>The number of inputs.</summary>
        int InputCount { get; }

        /// <summary>The number of outputs (the size of the last layer).</summary>
        int OutputCount { get; }

        /// <summary>The number of weights and biases, the length of a parameter or gradient vector.</summary>
        int ParameterCount { get; }

        /// <summary>Runs the network on <paramref name="input"/> and writes its output.</summary>
        void Forward(ReadOnlySpan<T> input, Span<T> output);

        /// <summary>The loss C of the network's output for <paramref name="input"/> against <paramref name="target"/>.</summary>
        T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>
        /// One training step on one sample with the network's optimizer: every gradient is taken from
        /// the parameters as they were before the step. Returns the loss measured by the step's forward
        /// pass, or NaN when the step was refused (an input, a target or the gradient held NaN or ±∞):
        /// then no parameter changed.
        /// </summary>
        T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate);

        /// <summary>
        /// Adds ∂C/∂θ for one sample into <paramref name="gradient"/> (canonical order) and returns the
        /// sample's loss, or NaN (leaving <paramref name="gradient"/> unchanged) when the sample or its
        /// gradient is not finite.
        /// </summary>
        T AccumulateGradient(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> gradient);

        /// <summary>
        /// One step of the network's optimizer (<see cref="NetworkAttribute.Optimizer"/>) with the given
        /// gradient, in canonical parameter order; for SGD, θ ← θ − α · gradient.
        /// </summary>
        /// <returns>True when applied; false when the gradient or the learning rate held NaN or ±∞ (nothing changed).</returns>
        bool ApplyGradient(ReadOnlySpan<T> gradient, T learningRate);

        /// <summary>Clears the optimizer's state (momentum, Adam's moments and step count); nothing for SGD.</summary>
        void ResetOptimizerState();

        /// <summary>Writes every parameter, in canonical order, into <paramref name="destination"/>.</summary>
        void CopyParametersTo(Span<T> destination);

        /// <summary>Sets every parameter from <paramref name="source"/>, in canonical order.</summary>
        void LoadParameters(ReadOnlySpan<T> source);

        /// <summary>
        /// Sets the weights from a deterministic generator seeded with <paramref name="seed"/>
        /// (Xavier/Glorot uniform for Sigmoid, Tanh and Linear layers, He uniform for ReLU-family
        /// layers) and every bias to 0. The same seed gives the same parameters on every platform.
        /// </summary>
        void InitializeParameters(int seed);
    }
}
