// The generator compiles this file too, into its own model namespace, so it reads exactly these values.
#if BACKPROPGEN_GENERATOR
namespace BackpropGen.Generator.Model
#else
namespace BackpropGen
#endif
{
    /// <summary>The loss C of one sample, comparing the output aᴸ with the target y.</summary>
    public enum LossFunction
    {
        /// <summary>C = ½ Σⱼ (yⱼ − aᴸⱼ)²; ∂C/∂aᴸⱼ = aᴸⱼ − yⱼ.</summary>
        HalfSquaredError = 0,

        /// <summary>C = (1/n) Σⱼ (yⱼ − aᴸⱼ)²; ∂C/∂aᴸⱼ = 2 (aᴸⱼ − yⱼ) / n.</summary>
        MeanSquaredError = 1,

        /// <summary>C = −(1/n) Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], with a Sigmoid output layer.</summary>
        BinaryCrossEntropy = 2,

        /// <summary>C = −Σⱼ yⱼ ln aⱼ, with a Softmax output layer.</summary>
        CrossEntropy = 3,
    }
}
