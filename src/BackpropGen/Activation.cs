// The generator compiles this file too, into its own model namespace, so it reads exactly these values.
#if BACKPROPGEN_GENERATOR
namespace BackpropGen.Generator.Model
#else
namespace BackpropGen
#endif
{
    /// <summary>The activation function σ applied to every neuron of a layer.</summary>
    public enum Activation
    {
        /// <summary>σ(z) = 1 / (1 + e⁻ᶻ); σ'(z) = a (1 − a).</summary>
        Sigmoid = 0,

        /// <summary>σ(z) = tanh z; σ'(z) = 1 − a².</summary>
        Tanh = 1,

        /// <summary>σ(z) = max(0, z); σ'(z) = 1 if z &gt; 0 else 0.</summary>
        ReLU = 2,

        /// <summary>σ(z) = z if z &gt; 0 else 0.01 z; σ'(z) = 1 if z &gt; 0 else 0.01.</summary>
        LeakyReLU = 3,

        /// <summary>σ(z) = z; σ'(z) = 1.</summary>
        Linear = 4,

        /// <summary>aⱼ = e^zⱼ / Σₖ e^zₖ (output layer only, with <see cref="LossFunction.CrossEntropy"/>).</summary>
        Softmax = 5,

        /// <summary>
        /// SiLU (swish, PyTorch <c>nn.SiLU</c>): σ(z) = z / (1 + e⁻ᶻ) = z · sigmoid(z);
        /// σ'(z) = s (1 + z − a) with s = sigmoid(z). He initialization.
        /// </summary>
        SiLU = 6,

        /// <summary>
        /// GELU in its tanh form (PyTorch <c>nn.GELU(approximate="tanh")</c>):
        /// σ(z) = ½ z (1 + tanh(√(2/π) (z + 0.044715 z³))); σ'(z) = s (1 + (z − a) u'), with
        /// s = ½ (1 + tanh u) and u' = 2 √(2/π) (1 + 3 · 0.044715 z²). He initialization.
        /// </summary>
        GELU = 7,
    }
}
