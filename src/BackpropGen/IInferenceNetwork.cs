using System;

namespace BackpropGen
{
    /// <summary>
    /// A network whose parameters can be set: every generated network but those with baked-in
    /// parameters, including frozen ones (<c>Trainable = false</c>). Loading a parameter file takes this.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, per <see cref="NetworkAttribute.Precision"/>.</typeparam>
    public interface IInferenceNetwork<T> : IReadOnlyNetwork<T>
        where T : struct
    {
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
