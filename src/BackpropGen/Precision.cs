namespace BackpropGen
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
