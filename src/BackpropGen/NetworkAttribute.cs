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

        /// <summary>The update rule of <c>TrainStep</c> and <c>ApplyGradient</c>. Default: <see cref="BackpropGen.Optimizer.Sgd"/>.</summary>
        public Optimizer Optimizer { get; set; } = Optimizer.Sgd;

        /// <summary>μ of <see cref="BackpropGen.Optimizer.Momentum"/>, in [0, 1). Default 0.9.</summary>
        public double Momentum { get; set; } = 0.9;

        /// <summary>β₁ of <see cref="BackpropGen.Optimizer.Adam"/> (decay of the first moment), in [0, 1). Default 0.9.</summary>
        public double Beta1 { get; set; } = 0.9;

        /// <summary>β₂ of <see cref="BackpropGen.Optimizer.Adam"/> (decay of the second moment), in [0, 1). Default 0.999.</summary>
        public double Beta2 { get; set; } = 0.999;

        /// <summary>ε of <see cref="BackpropGen.Optimizer.Adam"/>, added to √v̂; greater than 0. Default 1e-8.</summary>
        public double Epsilon { get; set; } = 1e-8;

        /// <summary>
        /// L2 weight decay λ ≥ 0 for every optimizer: the gradient becomes g + λ θ for every parameter,
        /// biases included (as PyTorch's <c>weight_decay</c>). Default 0.
        /// </summary>
        public double WeightDecay { get; set; }

        /// <summary>
        /// False generates inference only (<c>Forward</c>, <c>ComputeLoss</c>, the parameter members and
        /// the constants, implementing <see cref="IInferenceNetwork{T}"/>): no gradient or optimizer code
        /// or state. Default true. A network with <see cref="BakedParametersAttribute"/> is always frozen.
        /// </summary>
        public bool Trainable { get; set; } = true;

        /// <summary>
        /// True makes <see cref="Activation.Sigmoid"/> and <see cref="Activation.Tanh"/> layers call
        /// <see cref="FastActivation"/> instead of <c>Exp</c> and <c>Tanh</c>: cheaper (tanh about five
        /// times), with an absolute error of at most <see cref="FastActivation.SigmoidMaxError"/> (3e-5)
        /// for σ and <see cref="FastActivation.TanhMaxError"/> (6e-5) for tanh, in float and in double
        /// networks. Default false: every activation is computed exactly.
        /// </summary>
        /// <remarks>
        /// Only those two activations change. Softmax and every loss stay exact (binary cross-entropy
        /// is computed from the logits), and the derivatives are still written with a = σ(z), as
        /// a (1 − a) and 1 − a², which differ from the true derivative of the approximation by at most
        /// 0.46 % (relative) per such layer: expect that much in a <see cref="GradientCheck"/>.
        /// A network with <see cref="BakedParametersAttribute"/> honours it the same way, and parameters
        /// move freely between a FastMath network and the exact one (same topology).
        /// </remarks>
        public bool FastMath { get; set; }

        /// <summary>
        /// True writes, above each parameter's gradient statement, that parameter's chain rule with
        /// concrete indices (∂C/∂w¹₀₀ = a⁰₀ · σ'(z¹₀) · (w²₀₀ δ²₀ + w²₁₀ δ²₁)), and generates
        /// <c>ExplainStep(input, target, learningRate, writer)</c>: exactly <c>TrainStep</c>, writing every
        /// quantity with its equation and numbers as it is computed. For learning and teaching. Default false.
        /// </summary>
        /// <remarks>
        /// Only trainable networks of at most 256 parameters are explained (warnings BPG0026 and BPG0027
        /// otherwise); an explained network is written as unsplit scalar statements, the shape a reader
        /// follows. The other members are generated as without Explain and do not slow down.
        /// </remarks>
        public bool Explain { get; set; }

        /// <summary>
        /// True gives the network a per-input offset μₖ and scale sₖ, applied before layer 1 in every
        /// member that reads an input: a⁰ₖ = (xₖ − μₖ)·sₖ. So raw game quantities (metres, speeds,
        /// health 0–100) go in as they are. Set them with <c>SetInputScaling(offset, scale)</c> or let
        /// <see cref="TrainerOptions.FitInputScaling"/> take the training inputs' mean and 1/std; read
        /// them with <c>CopyInputScalingTo</c> (the network implements <see cref="IInputScaling{T}"/>).
        /// Default false.
        /// </summary>
        /// <remarks>
        /// μ and s are not parameters: they are not in <c>ParameterCount</c>, no gradient reaches them
        /// and <c>InitializeParameters</c> leaves them alone. Until they are set, μ = 0 and s = 1 (the
        /// network sees x unchanged). Parameter files, checkpoints and ONNX export carry them; a
        /// <see cref="BakedParametersAttribute"/> network bakes them from its file.
        /// </remarks>
        public bool InputScaling { get; set; }

        /// <summary>
        /// Names of the inputs, as C# identifiers, one per input. When given, the generator adds a
        /// <c>Forward</c> overload that takes them as separate arguments.
        /// </summary>
        public string[]? InputNames { get; set; }

        /// <summary>
        /// Names of the outputs, as C# identifiers, one per output. When given, the generator adds a
        /// <c>Forward</c> overload that returns them as <c>out</c> arguments.
        /// </summary>
        public string[]? OutputNames { get; set; }
    }
}
