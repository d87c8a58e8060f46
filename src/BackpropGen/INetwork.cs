using System;

namespace BackpropGen
{
    /// <summary>
    /// A trainable network (the default): what training loops and gradient checks work on, without
    /// reflection. Use it as a generic constraint (<c>where TNetwork : INetwork&lt;float&gt;</c>) to call a
    /// <c>partial struct</c> network without boxing it.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface INetwork<T> : IInferenceNetwork<T>
        where T : struct
    {
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
        /// Adds Σᵢ ∂Cᵢ/∂θ over the samples of <paramref name="inputs"/> and <paramref name="targets"/>
        /// (sample-major, count × InputCount and count × OutputCount) into <paramref name="gradient"/> and
        /// returns Σᵢ Cᵢ. A sample that <see cref="AccumulateGradient"/> would refuse (NaN or ±∞ in it or in
        /// its gradient) adds nothing, exactly as there; the other samples are added, and the returned sum
        /// is then NaN, so a caller that counts refused samples redoes such a batch one sample at a time.
        /// </summary>
        /// <exception cref="ArgumentException">A span is not of the length the sample count asks for.</exception>
        T AccumulateGradientBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient);

        /// <summary>
        /// One step of the network's optimizer (<see cref="NetworkAttribute.Optimizer"/>) with the given
        /// gradient, in canonical parameter order; for SGD, θ ← θ − α · gradient.
        /// </summary>
        /// <returns>True when applied; false when the gradient or the learning rate held NaN or ±∞ (nothing changed).</returns>
        bool ApplyGradient(ReadOnlySpan<T> gradient, T learningRate);

        /// <summary>Clears the optimizer's state (momentum, Adam's moments and step count); nothing for SGD.</summary>
        void ResetOptimizerState();

        /// <summary>
        /// The length of the optimizer's state as one vector: 0 for SGD, <c>ParameterCount</c> for
        /// momentum, <c>2 × ParameterCount + 3</c> for Adam.
        /// </summary>
        int OptimizerStateCount { get; }

        /// <summary>
        /// Writes the optimizer's state into <paramref name="destination"/> (of length
        /// <see cref="OptimizerStateCount"/>) in this order: momentum's velocity v of every parameter in
        /// canonical order; Adam's m of every parameter, then v of every parameter, then the step count t,
        /// β₁ᵗ and β₂ᵗ. With <see cref="IInferenceNetwork{T}.LoadParameters"/> and <see cref="LoadOptimizerState"/>
        /// it lets training stop and resume with the same bits (what Trainer checkpoints save).
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="destination"/> is not of length <see cref="OptimizerStateCount"/>.</exception>
        void CopyOptimizerStateTo(Span<T> destination);

        /// <summary>Sets the optimizer's state from <paramref name="source"/>, written by <see cref="CopyOptimizerStateTo"/>; the parameters are left as they are.</summary>
        /// <exception cref="ArgumentException"><paramref name="source"/> is not of length <see cref="OptimizerStateCount"/>.</exception>
        void LoadOptimizerState(ReadOnlySpan<T> source);
    }
}
