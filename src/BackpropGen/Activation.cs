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
    }
}
