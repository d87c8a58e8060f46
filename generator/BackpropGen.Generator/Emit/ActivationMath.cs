using System.Globalization;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// For each activation: how it is written in the comments, its expression σ(z), and its
    /// derivative σ'(z) in terms of what the forward pass already holds (MATH.md's table).
    /// </summary>
    internal static class ActivationMath
    {
        /// <summary>BackpropGen.FastActivation.SigmoidMaxError (the generator does not reference the runtime; a test keeps them equal).</summary>
        public const double FastSigmoidMaxError = 3e-5;

        /// <summary>BackpropGen.FastActivation.TanhMaxError.</summary>
        public const double FastTanhMaxError = 6e-5;

        private const string FastActivation = "global::BackpropGen.FastActivation.";

        /// <summary>FastMath replaces σ of these layers with an approximation; every other activation stays exact.</summary>
        public static bool IsApproximated(EmitContext c, ActivationKind activation) =>
            c.Spec.FastMath && activation is ActivationKind.Sigmoid or ActivationKind.Tanh;

        /// <summary>The comment's formula for σ, saying so when FastMath approximates it and by how much.</summary>
        public static string Formula(EmitContext c, ActivationKind activation) => IsApproximated(c, activation)
            ? Formula(activation).Replace(" = ", " ≈ ") + " (FastMath: FastActivation." + activation + ", |error| ≤ " +
                (activation == ActivationKind.Sigmoid ? FastSigmoidMaxError : FastTanhMaxError).ToString("0.##e-0", CultureInfo.InvariantCulture) + ")"
            : Formula(activation);

        public static string Formula(ActivationKind activation) => activation switch
        {
            ActivationKind.Sigmoid => "σ(z) = 1 / (1 + e⁻ᶻ)",
            ActivationKind.Tanh => "σ(z) = tanh z",
            ActivationKind.ReLU => "σ(z) = max(0, z)",
            ActivationKind.LeakyReLU => "σ(z) = z if z > 0 else 0.01 z",
            ActivationKind.Linear => "σ(z) = z",
            _ => throw EmitContext.Unreachable(activation),
        };

        public static string DerivativeFormula(ActivationKind activation) => activation switch
        {
            ActivationKind.Sigmoid => "σ'(z) = a (1 − a)",
            ActivationKind.Tanh => "σ'(z) = 1 − a²",
            ActivationKind.ReLU => "σ'(z) = 1 if z > 0 else 0",
            ActivationKind.LeakyReLU => "σ'(z) = 1 if z > 0 else 0.01",
            ActivationKind.Linear => "σ'(z) = 1",
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The expression for σ(<paramref name="z"/>): FastActivation's approximation under FastMath, else exact.</summary>
        public static string Apply(EmitContext c, ActivationKind activation, string z) => IsApproximated(c, activation)
            ? FastActivation + activation + "(" + z + ")"
            : ApplyExact(c, activation, z);

        private static string ApplyExact(EmitContext c, ActivationKind activation, string z) => activation switch
        {
            ActivationKind.Sigmoid => c.Literal(1) + " / (" + c.Literal(1) + " + " + c.Exp("-" + z) + ")",
            ActivationKind.Tanh => c.Tanh(z),
            ActivationKind.ReLU => z + " > " + c.Literal(0) + " ? " + z + " : " + c.Literal(0),
            ActivationKind.LeakyReLU => z + " > " + c.Literal(0) + " ? " + z + " : " + c.Literal(0.01) + " * " + z,
            ActivationKind.Linear => z,
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The expression for σ'(z), given the neuron's z and a; null when it is the constant 1.</summary>
        public static string? Derivative(EmitContext c, ActivationKind activation, string z, string a) => activation switch
        {
            ActivationKind.Sigmoid => a + " * (" + c.Literal(1) + " - " + a + ")",
            ActivationKind.Tanh => c.Literal(1) + " - " + a + " * " + a,
            ActivationKind.ReLU => z + " > " + c.Literal(0) + " ? " + c.Literal(1) + " : " + c.Literal(0),
            ActivationKind.LeakyReLU => z + " > " + c.Literal(0) + " ? " + c.Literal(1) + " : " + c.Literal(0.01),
            ActivationKind.Linear => null,
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The initialization the layer's weights get, and the half-width r of its uniform range.</summary>
        public static (string Name, string Formula, double Limit) Initialization(ActivationKind activation, int fanIn, int fanOut) => activation switch
        {
            ActivationKind.ReLU or ActivationKind.LeakyReLU =>
                ("He uniform", "r = √(6 / nˡ⁻¹)", System.Math.Sqrt(6.0 / fanIn)),
            _ => ("Xavier/Glorot uniform", "r = √(6 / (nˡ⁻¹ + nˡ))", System.Math.Sqrt(6.0 / (fanIn + fanOut))),
        };
    }
}
