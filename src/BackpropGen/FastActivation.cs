using System;
using System.Runtime.CompilerServices;

namespace BackpropGen
{
    /// <summary>
    /// Cheap approximations of the logistic sigmoid and tanh, what a network declared with
    /// <see cref="NetworkAttribute.FastMath"/> calls instead of <c>Exp</c> and <c>Tanh</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Both go through one approximation of eˣ = 2^(x log₂e): x log₂e is clamped to [−125, 125] and
    /// split into n + f with n an integer and f in [0, 1]; 2ⁿ is written straight into a float's
    /// exponent bits and 2ᶠ comes from a cubic, the minimax fit of relative error under the two
    /// constraints p(0) = 1 and p(1) = 2, so the approximation is exact at 0 and continuous and
    /// increasing everywhere. Then σ(z) = 1 / (1 + e⁻ᶻ) and tanh z = 2 / (1 + e⁻²ᶻ) − 1.
    /// </para>
    /// <para>
    /// The whole float (and double) range is handled without a branch: the results stay in [0, 1]
    /// and [−1, 1], reach exactly 0, 1 and ±1 when saturated (±∞ included), are finite for every
    /// finite input, and NaN gives NaN. σ(0) = 0.5 and tanh 0 = 0 exactly.
    /// </para>
    /// <para>
    /// The absolute error is at most <see cref="SigmoidMaxError"/> and <see cref="TanhMaxError"/>
    /// (measured over every float: 2.58e-5 and 5.16e-5; the double overloads use the same cubic and
    /// have the same error). On .NET 10 x64 each call costs a few nanoseconds less than
    /// <c>1 / (1 + MathF.Exp(−z))</c> and a fraction of <c>MathF.Tanh</c> (see docs/math.md).
    /// </para>
    /// </remarks>
    public static class FastActivation
    {
        /// <summary>The largest absolute error of <see cref="Sigmoid(float)"/> and <see cref="Sigmoid(double)"/> against the exact σ(z).</summary>
        public const double SigmoidMaxError = 3e-5;

        /// <summary>The largest absolute error of <see cref="Tanh(float)"/> and <see cref="Tanh(double)"/> against the exact tanh z.</summary>
        public const double TanhMaxError = 6e-5;

        // 2^f ≈ 1 + f (C1 + C2 f + C3 f²) on [0, 1]: minimax relative error 1.03e-4, with C1 + C2 + C3 = 1
        // (so 2ⁿ·p(1) = 2ⁿ⁺¹·p(0) and the pieces join). Found by a Remez exchange; docs/math.md has the details.
        private const double C1 = 0.69542434753260707;
        private const double C2 = 0.22630768227411133;
        private const double C3 = 0.078267970193281633;

        private const double Log2E = 1.4426950408889634;

        // 2^23 · 1.5 + 127 (float) and 2^52 · 1.5 + 1023 (double): adding one of these to y rounds y to
        // an integer n and leaves n plus the exponent bias in the low bits, so the bits shifted into the
        // exponent field are 2ⁿ's. The clamp keeps n plus the bias inside the exponent's normal range
        // (1 … 254, 1 … 2046) whatever the rounding mode.
        private const float SingleShift = 12583039f;
        private const float SingleLimit = 125f;
        private const double DoubleShift = 6755399441056767.0;
        private const double DoubleLimit = 1021.0;

        /// <summary>σ(z) = 1 / (1 + e⁻ᶻ), within <see cref="SigmoidMaxError"/>.</summary>
        /// <param name="z">Any float: ±∞ give 0 and 1, NaN gives NaN.</param>
        /// <returns>A value in [0, 1].</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sigmoid(float z) => 1f / (1f + Exp2(z * (float)-Log2E));

        /// <summary>tanh z = 2 / (1 + e⁻²ᶻ) − 1, within <see cref="TanhMaxError"/>.</summary>
        /// <param name="z">Any float: ±∞ give ±1, NaN gives NaN.</param>
        /// <returns>A value in [−1, 1].</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Tanh(float z) => (2f / (1f + Exp2(z * (float)(-2 * Log2E)))) - 1f;

        /// <summary>σ(z) = 1 / (1 + e⁻ᶻ), within <see cref="SigmoidMaxError"/> (the float approximation, in double).</summary>
        /// <param name="z">Any double: ±∞ give 0 and 1, NaN gives NaN.</param>
        /// <returns>A value in [0, 1].</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sigmoid(double z) => 1d / (1d + Exp2(z * -Log2E));

        /// <summary>tanh z = 2 / (1 + e⁻²ᶻ) − 1, within <see cref="TanhMaxError"/> (the float approximation, in double).</summary>
        /// <param name="z">Any double: ±∞ give ±1, NaN gives NaN.</param>
        /// <returns>A value in [−1, 1].</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Tanh(double z) => (2d / (1d + Exp2(z * (-2 * Log2E)))) - 1d;

        /// <summary>2^y for y clamped to [−125, 125]; NaN stays NaN (Math.Min and Math.Max propagate it).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Exp2(float y)
        {
            y = Math.Max(Math.Min(y, SingleLimit), -SingleLimit);

            // n = round(y − ½), so f = y − n is in [0, 1] (ties may give f = 0 or 1: the pieces join).
            float shifted = (y - 0.5f) + SingleShift;
            float f = y - (shifted - SingleShift);
            int exponent = Unsafe.As<float, int>(ref shifted) << 23;
            float f2 = f * f;
            float p = (1f + ((float)C1 * f)) + (f2 * ((float)C2 + ((float)C3 * f)));
            return Unsafe.As<int, float>(ref exponent) * p;
        }

        /// <summary>2^y for y clamped to [−1021, 1021]; NaN stays NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Exp2(double y)
        {
            y = Math.Max(Math.Min(y, DoubleLimit), -DoubleLimit);
            double shifted = (y - 0.5) + DoubleShift;
            double f = y - (shifted - DoubleShift);
            long exponent = Unsafe.As<double, long>(ref shifted) << 52;
            double f2 = f * f;
            double p = (1d + (C1 * f)) + (f2 * (C2 + (C3 * f)));
            return Unsafe.As<long, double>(ref exponent) * p;
        }
    }
}
