using System;

namespace BackpropGen
{
    /// <summary>
    /// Declares a fully connected network on a <c>partial class</c> or <c>partial struct</c>. The
    /// generator writes its unrolled <c>Forward</c>, <c>TrainStep</c> and gradient members.
    /// Follow it with one <see cref="LayerAttribute"/> per layer, from the first hidden layer to the
    /// output layer.
    /// </summary>
    /// <example>
    /// <code>
    /// [Network(inputs: 2, Loss = LossFunction.HalfSquaredError)]
    /// [Layer(4, Activation.Tanh)]
    /// [Layer(1, Activation.Sigmoid)]
    /// public partial class XorNet { }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class NetworkAttribute : Attribute
    {
        /// <summary>Declares a network with <paramref name="inputs"/> input values.</summary>
        /// <param name="inputs">The number of inputs (the size of layer 0); at least 1.</param>
        public NetworkAttribute(int inputs)
        {
            Inputs = inputs;
        }

        /// <summary>The number of inputs (the size of layer 0).</summary>
        public int Inputs { get; }

        /// <summary>The loss minimized by training. Default: <see cref="LossFunction.HalfSquaredError"/>.</summary>
        public LossFunction Loss { get; set; } = LossFunction.HalfSquaredError;

        /// <summary>The floating-point type of the network. Default: <see cref="BackpropGen.Precision.Single"/>.</summary>
        public Precision Precision { get; set; } = Precision.Single;
    }
}
