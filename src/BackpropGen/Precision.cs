// The generator compiles this file too, into its own model namespace, so it reads exactly these values.
#if BACKPROPGEN_GENERATOR
namespace BackpropGen.Generator.Model
#else
namespace BackpropGen
#endif
{
    /// <summary>The floating-point type of a network's parameters and arithmetic.</summary>
    public enum Precision
    {
        /// <summary><see cref="float"/> (the default).</summary>
        Single = 0,

        /// <summary><see cref="double"/>.</summary>
        Double = 1,
    }
}
