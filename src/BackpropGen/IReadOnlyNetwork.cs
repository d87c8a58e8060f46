using System;

namespace BackpropGen
{
    /// <summary>
    /// What every generated network exposes, frozen ones with baked-in parameters included: its
    /// shape, inference and its parameters as a vector. Tools that only read a network (saving its
    /// parameters, evaluating it) take this interface.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface IReadOnlyNetwork<T>
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

        /// <summary>
        /// Runs the network on every sample of <paramref name="inputs"/> (count × <see cref="InputCount"/>
        /// values, sample i at <c>[i × InputCount, (i + 1) × InputCount)</c>) and writes each output into
        /// <paramref name="outputs"/> (count × <see cref="OutputCount"/>, in the same order). Where the
        /// target has Vector256 (.NET 8+) the generated code runs 8 float (4 double) samples at once, one
        /// per vector lane; elsewhere it is a loop over <see cref="Forward"/>. Safe from several threads like Forward.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="inputs"/> is not a whole number of samples, or <paramref name="outputs"/> is not count × OutputCount long.</exception>
        void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs);

        /// <summary>The loss C of the network's output for <paramref name="input"/> against <paramref name="target"/>.</summary>
        T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>Writes every parameter, in canonical order, into <paramref name="destination"/>.</summary>
        void CopyParametersTo(Span<T> destination);
    }
}
