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

        /// <summary>The loss C of the network's output for <paramref name="input"/> against <paramref name="target"/>.</summary>
        T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>Writes every parameter, in canonical order, into <paramref name="destination"/>.</summary>
        void CopyParametersTo(Span<T> destination);
    }
}
