using System;

namespace BackpropGen.Evolution
{
    /// <summary>Standard normal draws from <see cref="ParameterRandom"/>, so a seed fixes every draw.</summary>
    internal static class Gaussian
    {
        /// <summary>One N(0, 1) value by Box–Muller (the second value of the pair is not kept, so no state hides here).</summary>
        public static double Next(ref ParameterRandom random)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
