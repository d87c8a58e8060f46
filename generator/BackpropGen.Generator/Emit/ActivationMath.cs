using System;
using System.Globalization;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit
{
    /// <summary>The weight initialization an activation asks for (MATH.md: keep the variance of z steady).</summary>
    internal enum WeightInitialization
    {
        /// <summary>Xavier/Glorot uniform, r = √(6 / (nˡ⁻¹ + nˡ)): for activations symmetric around 0.</summary>
        Xavier,

        /// <summary>He uniform, r = √(6 / nˡ⁻¹): for activations that pass about half of z.</summary>
        He,
    }

    /// <summary>What σ'(z) is written from: the neuron's z, its a = σ(z), or both.</summary>
    [Flags]
    internal enum Reads
    {
        None = 0,
        Z = 1,
        A = 2,
    }

    /// <summary>
    /// Everything about one activation, in one place: σ and σ' as comments and as code (written
    /// once against an <see cref="Algebra"/>, so every shape renders the same rule), what σ' reads,
    /// the weight initialization and FastMath's approximation.
    /// </summary>
    /// <param name="Formula">σ for the comments, in MATH.md's notation.</param>
    /// <param name="DerivativeFormula">σ' for the comments.</param>
    /// <param name="Apply">σ(z) of one neuron; null for an activation of the whole layer (Softmax).</param>
    /// <param name="Derivative">σ'(z, a); null when σ' is the constant 1 (nothing to multiply by).</param>
    /// <param name="DerivativeReads">What <paramref name="Derivative"/> reads: every shape keeps it for the backward pass.</param>
    /// <param name="Initialization">How InitializeParameters draws the layer's weights.</param>
    /// <param name="FastMaxError">FastMath's bound on |FastActivation.{Activation}(z) − σ(z)|; null when FastMath leaves σ exact.</param>
    internal sealed record ActivationRule(
        Activation Activation,
        string Formula,
        string DerivativeFormula,
        Func<Algebra, string, string>? Apply,
        Func<Algebra, string, string, string>? Derivative,
        Reads DerivativeReads,
        WeightInitialization Initialization,
        double? FastMaxError = null);

    /// <summary>The rule of each activation (MATH.md's table), and how the emitters ask for its parts.</summary>
    internal static class ActivationMath
    {
        /// <summary>BackpropGen.FastActivation.SigmoidMaxError (the generator does not reference the runtime; a test keeps them equal).</summary>
        public const double FastSigmoidMaxError = 3e-5;

        /// <summary>BackpropGen.FastActivation.TanhMaxError.</summary>
        public const double FastTanhMaxError = 6e-5;

        private const string FastActivation = "global::BackpropGen.FastActivation.";

        private static readonly ActivationRule s_sigmoid = new(
            Activation.Sigmoid,
            "σ(z) = 1 / (1 + e⁻ᶻ)",
            "σ'(z) = a (1 − a)",
            (x, z) => x.One + " / (" + x.One + " + " + x.Exp("-" + z) + ")",
            (x, z, a) => a + " * (" + x.One + " - " + a + ")",
            Reads.A,
            WeightInitialization.Xavier,
            FastSigmoidMaxError);

        private static readonly ActivationRule s_tanh = new(
            Activation.Tanh,
            "σ(z) = tanh z",
            "σ'(z) = 1 − a²",
            (x, z) => x.Tanh(z),
            (x, z, a) => x.One + " - " + a + " * " + a,
            Reads.A,
            WeightInitialization.Xavier,
            FastTanhMaxError);

        private static readonly ActivationRule s_relu = new(
            Activation.ReLU,
            "σ(z) = max(0, z)",
            "σ'(z) = 1 if z > 0 else 0",
            (x, z) => x.IfPositive(z, z, x.Zero),
            (x, z, a) => x.IfPositive(z, x.One, x.Zero),
            Reads.Z,
            WeightInitialization.He);

        private static readonly ActivationRule s_leakyRelu = new(
            Activation.LeakyReLU,
            "σ(z) = z if z > 0 else 0.01 z",
            "σ'(z) = 1 if z > 0 else 0.01",
            (x, z) => x.IfPositive(z, z, x.Constant(0.01) + " * " + z),
            (x, z, a) => x.IfPositive(z, x.One, x.Constant(0.01)),
            Reads.Z,
            WeightInitialization.He);

        private static readonly ActivationRule s_linear = new(
            Activation.Linear,
            "σ(z) = z",
            "σ'(z) = 1",
            (x, z) => z,
            null,
            Reads.None,
            WeightInitialization.Xavier);

        /// <summary>
        /// z · sigmoid(z). σ' = s + z s (1 − s) = s (1 + (z − a)) with s = sigmoid(z), since a = z s:
        /// one exponential, and exact at both ends (s = 1 makes z − a = 0; s = 0 makes σ' = 0).
        /// </summary>
        private static readonly ActivationRule s_silu = new(
            Activation.SiLU,
            "σ(z) = z / (1 + e⁻ᶻ)",
            "σ'(z) = s (1 + (z − a)), s = 1 / (1 + e⁻ᶻ)",
            (x, z) => z + " / (" + x.One + " + " + x.Exp("-" + z) + ")",
            (x, z, a) => "(" + x.One + " / (" + x.One + " + " + x.Exp("-" + z) + ")) * (" + x.One + " + (" + z + " - " + a + "))",
            Reads.Z | Reads.A,
            WeightInitialization.He);

        /// <summary>
        /// ½ z (1 + tanh u), u = √(2/π) (z + 0.044715 z³), which is z · sigmoid(2u). As for SiLU,
        /// σ' = s + z s (1 − s) 2u' = s (1 + (z − a) · 2√(2/π) (1 + 3 · 0.044715 z²)) with s = sigmoid(2u):
        /// one exponential.
        /// </summary>
        private static readonly ActivationRule s_gelu = new(
            Activation.GELU,
            "σ(z) = ½ z (1 + tanh(√(2/π) (z + 0.044715 z³)))",
            "σ'(z) = s (1 + (z − a) · 2√(2/π) (1 + 0.134145 z²)), s = 1 / (1 + e^(−2√(2/π) (z + 0.044715 z³)))",
            (x, z) => x.Constant(0.5) + " * " + z + " * (" + x.One + " + " + x.Tanh(x.Constant(GeluScale) + " * (" + GeluCubic(x, z) + ")") + ")",
            (x, z, a) => "(" + x.One + " / (" + x.One + " + " + x.Exp("-" + x.Constant(2 * GeluScale) + " * (" + GeluCubic(x, z) + ")") + ")) * ("
                + x.One + " + (" + z + " - " + a + ") * " + x.Constant(2 * GeluScale) + " * (" + x.One + " + " + x.Constant(3 * GeluCubicCoefficient) + " * " + z + " * " + z + "))",
            Reads.Z | Reads.A,
            WeightInitialization.He);

        /// <summary>√(2/π) and 0.044715, GELU's tanh form (Hendrycks and Gimpel; PyTorch approximate="tanh").</summary>
        private const double GeluScale = 0.79788456080286536;

        private const double GeluCubicCoefficient = 0.044715;

        private static string GeluCubic(Algebra x, string z) => z + " + " + x.Constant(GeluCubicCoefficient) + " * " + z + " * " + z + " * " + z;

        /// <summary>Softmax is a function of the whole layer (ForwardEmitter.EmitSoftmax); its σ' only appears fused with cross-entropy (LossEmitter).</summary>
        private static readonly ActivationRule s_softmax = new(
            Activation.Softmax,
            "aⱼ = e^zⱼ / Σₖ e^zₖ",
            "fused with cross-entropy: δᴸ = aᴸ − y",
            null,
            (x, z, a) => throw EmitContext.Unreachable("σ' of Softmax outside its fused cross-entropy"),
            Reads.None,
            WeightInitialization.Xavier);

        public static ActivationRule Rule(Activation activation) => activation switch
        {
            Activation.Sigmoid => s_sigmoid,
            Activation.Tanh => s_tanh,
            Activation.ReLU => s_relu,
            Activation.LeakyReLU => s_leakyRelu,
            Activation.Linear => s_linear,
            Activation.Softmax => s_softmax,
            Activation.SiLU => s_silu,
            Activation.GELU => s_gelu,
            _ => throw EmitContext.Unreachable(activation),
        };

        /// <summary>FastMath replaces σ of the activations with a FastActivation approximation; every other activation stays exact.</summary>
        public static bool IsApproximated(EmitContext c, Activation activation) =>
            c.Spec.FastMath && Rule(activation).FastMaxError is not null;

        /// <summary>The comment's formula for σ, saying so when FastMath approximates it and by how much.</summary>
        public static string Formula(EmitContext c, Activation activation) => IsApproximated(c, activation)
            ? Rule(activation).Formula.Replace(" = ", " ≈ ") + " (FastMath: FastActivation." + activation + ", |error| ≤ " +
                Rule(activation).FastMaxError!.Value.ToString("0.##e-0", CultureInfo.InvariantCulture) + ")"
            : Rule(activation).Formula;

        public static string DerivativeFormula(Activation activation) => Rule(activation).DerivativeFormula;

        /// <summary>The expression for σ(<paramref name="z"/>) of one neuron in the shape of <paramref name="c"/>: FastActivation's approximation under FastMath (lane by lane in the batch shape), else exact.</summary>
        public static string Apply(EmitContext c, Activation activation, string z) => IsApproximated(c, activation)
            ? c.Algebra.LaneByLane(z, lane => FastActivation + activation + "(" + lane + ")")
            : (Rule(activation).Apply ?? throw EmitContext.Unreachable("σ of a whole layer (" + activation + ") for one neuron"))(c.Algebra, z);

        /// <summary>The expression for σ'(z) in the shape of <paramref name="x"/>, given z and a; null when it is the constant 1.</summary>
        public static string? Derivative(Algebra x, Activation activation, string z, string a) => Rule(activation).Derivative?.Invoke(x, z, a);

        /// <summary>Whether σ calls Exp, Tanh or Log (Softmax, a function of the whole layer, does not count).</summary>
        public static bool ApplyUsesFunctions(Activation activation)
        {
            var probe = new ProbeAlgebra();
            Rule(activation).Apply?.Invoke(probe, "z");
            return probe.UsedFunctions;
        }

        /// <summary>Whether σ' calls Exp, Tanh or Log (which a vector shape then writes lane by lane).</summary>
        public static bool DerivativeUsesFunctions(Activation activation)
        {
            var probe = new ProbeAlgebra();
            Rule(activation).Derivative?.Invoke(probe, "z", "a");
            return probe.UsedFunctions;
        }

        /// <summary>The initialization the layer's weights get, and the half-width r of its uniform range.</summary>
        public static (string Name, string Formula, double Limit) Initialization(Activation activation, int fanIn, int fanOut) => Rule(activation).Initialization switch
        {
            WeightInitialization.He => ("He uniform", "r = √(6 / nˡ⁻¹)", Math.Sqrt(6.0 / fanIn)),
            WeightInitialization.Xavier => ("Xavier/Glorot uniform", "r = √(6 / (nˡ⁻¹ + nˡ))", Math.Sqrt(6.0 / (fanIn + fanOut))),
            _ => throw EmitContext.Unreachable(Rule(activation).Initialization),
        };

        /// <summary>The per-neuron activations (all but Softmax) with the given initialization, in declaration order: "ReLU and LeakyReLU".</summary>
        public static string NamesWith(WeightInitialization initialization)
        {
            var names = new System.Collections.Generic.List<string>();
            foreach (Activation activation in (Activation[])Enum.GetValues(typeof(Activation)))
            {
                if (Rule(activation).Apply is not null && Rule(activation).Initialization == initialization)
                {
                    names.Add(activation.ToString());
                }
            }

            return names.Count < 2 ? string.Join(string.Empty, names) : string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[names.Count - 1];
        }

        /// <summary>Renders nothing worth keeping; records whether a rule asked for a function.</summary>
        private sealed class ProbeAlgebra : Algebra
        {
            public bool UsedFunctions { get; private set; }

            public override string Constant(double value) => "1";

            public override string IfPositive(string x, string then, string otherwise) => then;

            public override bool HasFunctions => true;

            public override string Exp(string x) => Used();

            public override string Tanh(string x) => Used();

            public override string Log(string x) => Used();

            public override string Sqrt(string x) => x;

            private string Used()
            {
                UsedFunctions = true;
                return "f";
            }
        }
    }
}
