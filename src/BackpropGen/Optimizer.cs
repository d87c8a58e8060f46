// The generator compiles this file too, into its own model namespace, so it reads exactly these values.
#if BACKPROPGEN_GENERATOR
namespace BackpropGen.Generator.Model
#else
namespace BackpropGen
#endif
{
    /// <summary>How <c>TrainStep</c> and <c>ApplyGradient</c> turn a gradient g into a parameter update.</summary>
    public enum Optimizer
    {
        /// <summary>Plain gradient descent: θ ← θ − α g (the default).</summary>
        Sgd = 0,

        /// <summary>Gradient descent with momentum μ (PyTorch's form): v ← μ v + g; θ ← θ − α v.</summary>
        Momentum = 1,

        /// <summary>
        /// Adam with bias correction: m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²;
        /// θ ← θ − α m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
        /// </summary>
        Adam = 2,
    }
}
