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
        public static bool IsApproximated(EmitContext c, Activation activation) =>
            c.Spec.FastMath && activation is Activation.Sigmoid or Activation.Tanh;

        /// <summary>The comment's formula for σ, saying so when FastMath approximates it and by how much.</summary>
        public static string Formula(EmitContext c, Activation activation) => IsApproximated(c, activation)
            ? Formula(activation).Replace(" = ", " ≈ ") + " (FastMath: FastActivation." + activation + ", |error| ≤ " +
                (activation == Activation.Sigmoid ? FastSigmoidMaxError : FastTanhMaxError).ToString("0.##e-0", CultureInfo.InvariantCulture) + ")"
            : Formula(activation);

        public static string Formula(Activation activation) => activation switch
        {
            Activation.Sigmoid => "σ(z) = 1 / (1 + e⁻ᶻ)",
            Activation.Tanh => "σ(z) = tanh z",
            Activation.ReLU => "σ(z) = max(0, z)",
            Activation.LeakyReLU => "σ(z) = z if z > 0 else 0.01 z",
            Activation.Linear => "σ(z) = z",
            _ => throw EmitContext.Unreachable(activation),
        };

        public static string DerivativeFormula(Activation activation) => activation switch
        {
            Activation.Sigmoid => "σ'(z) = a (1 − a)",
            Activation.Tanh => "σ'(z) = 1 − a²",
            Activation.ReLU => "σ'(z) = 1 if z > 0 else 0",
            Activation.LeakyReLU => "σ'(z) = 1 if z > 0 else 0.01",
            Activation.Linear => "σ'(z) = 1",
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The expression for σ(<paramref name="z"/>): FastActivation's approximation under FastMath, else exact.</summary>
        public static string Apply(EmitContext c, Activation activation, string z) => IsApproximated(c, activation)
            ? FastActivation + activation + "(" + z + ")"
            : ApplyExact(c, activation, z);

        private static string ApplyExact(EmitContext c, Activation activation, string z) => activation switch
        {
            Activation.Sigmoid => c.Literal(1) + " / (" + c.Literal(1) + " + " + c.Exp("-" + z) + ")",
            Activation.Tanh => c.Tanh(z),
            Activation.ReLU => z + " > " + c.Literal(0) + " ? " + z + " : " + c.Literal(0),
            Activation.LeakyReLU => z + " > " + c.Literal(0) + " ? " + z + " : " + c.Literal(0.01) + " * " + z,
            Activation.Linear => z,
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The expression for σ'(z), given the neuron's z and a; null when it is the constant 1.</summary>
        public static string? Derivative(EmitContext c, Activation activation, string z, string a) => activation switch
        {
            Activation.Sigmoid => a + " * (" + c.Literal(1) + " - " + a + ")",
            Activation.Tanh => c.Literal(1) + " - " + a + " * " + a,
            Activation.ReLU => z + " > " + c.Literal(0) + " ? " + c.Literal(1) + " : " + c.Literal(0),
            Activation.LeakyReLU => z + " > " + c.Literal(0) + " ? " + c.Literal(1) + " : " + c.Literal(0.01),
            Activation.Linear => null,
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>The initialization the layer's weights get, and the half-width r of its uniform range.</summary>
        public static (string Name, string Formula, double Limit) Initialization(Activation activation, int fanIn, int fanOut) => activation switch
        {
            Activation.ReLU or Activation.LeakyReLU =>
                ("He uniform", "r = √(6 / nˡ⁻¹)", System.Math.Sqrt(6.0 / fanIn)),
            _ => ("Xavier/Glorot uniform", "r = √(6 / (nˡ⁻¹ + nˡ))", System.Math.Sqrt(6.0 / (fanIn + fanOut))),
        };
    }
}
