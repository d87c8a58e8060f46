using System;

namespace BackpropGen
{
    /// <summary>
    /// A network declared with <see cref="NetworkAttribute.InputScaling"/>: its per-input offset μ and
    /// scale s, which every member applies before layer 1 as a⁰ₖ = (xₖ − μₖ)·sₖ. A
    /// <see cref="BakedParametersAttribute"/> network implements only this (its μ and s are literals);
    /// one that can change them implements <see cref="IInputScaling{T}"/>. Generic code asks with
    /// <c>network is IReadOnlyInputScaling&lt;T&gt;</c>, no reflection.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface IReadOnlyInputScaling<T>
        where T : struct
    {
        /// <summary>Writes μ into <paramref name="offset"/> and s into <paramref name="scale"/>, one value per input.</summary>
        /// <exception cref="ArgumentException">A span is not of length <c>InputCount</c>.</exception>
        void CopyInputScalingTo(Span<T> offset, Span<T> scale);
    }

    /// <summary>A network with input scaling it can change (<see cref="NetworkAttribute.InputScaling"/>, not baked).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface IInputScaling<T> : IReadOnlyInputScaling<T>
        where T : struct
    {
        /// <summary>
        /// Sets μ from <paramref name="offset"/> and s from <paramref name="scale"/>, one value per input,
        /// so that every member sees a⁰ₖ = (xₖ − μₖ)·sₖ. The parameters are left as they are.
        /// </summary>
        /// <exception cref="ArgumentException">A span is not of length <c>InputCount</c>, an offset is NaN or ±∞, or a scale is NaN, ±∞ or 0 (which would erase the input); nothing changed.</exception>
        void SetInputScaling(ReadOnlySpan<T> offset, ReadOnlySpan<T> scale);
    }
}
