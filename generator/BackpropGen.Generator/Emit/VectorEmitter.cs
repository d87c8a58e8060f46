using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The vector form of a split network's steps (<see cref="EmitContext.IsVector"/>): the same
    /// equations eight floats (four doubles) at a time with Vector256. Weights are read where they
    /// lie: θ and the scratch struct are sequential, so wˡⱼₖ … wˡⱼ,ₖ₊₇ (a row of the weight matrix) and
    /// aˡ⁻¹ₖ … aˡ⁻¹ₖ₊₇ are each one load from the named field. What does not fill a vector is written
    /// as the scalar statements. The element-wise steps (δ of hidden layers, every gradient and
    /// update) do per lane exactly what the scalar statements do, so they give the same bits; only
    /// a weighted sum zˡⱼ adds its products in another order (eight partial sums, then across).
    /// </summary>
    internal static class VectorEmitter
    {
        /// <summary>
        /// The alias the file declares for System.Runtime.Intrinsics.Vector256 (the Bpg prefix is reserved,
        /// so no member of the network type can hide it), which keeps the vector statements readable.
        /// </summary>
        public const string Alias = "BpgVector256";

        public const string AliasDirective = "using " + Alias + " = global::System.Runtime.Intrinsics.Vector256;";

        private const string V = Alias;

        /// <summary>zˡⱼ as dot products of weight rows with aˡ⁻¹, then aˡⱼ = σ(zˡⱼ) as in the scalar form.</summary>
        public static void EmitNeurons(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            int fanIn = c.Size(l - 1);
            int vectorEnd = fanIn - (fanIn % c.Lanes);
            w.WriteLine("// Layer " + Count(l) + (l == c.L ? " (output)" : string.Empty) + ": " + Pluralize(c.Size(l), "neuron") + ", " + c.ActivationOf(l) + "; neurons " + Count(start) + ".." + Count(end - 1) + " here");
            w.WriteLine("// z" + Sup(l) + "ⱼ = Σₖ w" + Sup(l) + "ⱼₖ a" + Sup(l - 1) + "ₖ + b" + Sup(l) + "ⱼ, " + Count(c.Lanes) + " products at a time: Sum(w" + Sup(l) + "ⱼ,ₖ..ₖ₊" + Count(c.Lanes - 1) + " ⊙ a" + Sup(l - 1) + "ₖ..ₖ₊" + Count(c.Lanes - 1) + ")");
            for (int j = start; j < end; j++)
            {
                var products = new List<string>();
                for (int k = 0; k < vectorEnd; k += c.Lanes)
                {
                    products.Add(Load(c.W(l, j, k)) + " * " + Load(c.A(l - 1, k)));
                }

                var terms = new List<string>();
                if (products.Count > 0)
                {
                    terms.Add(V + ".Sum(" + PairwiseSum(products) + ")");
                }

                for (int k = vectorEnd; k < fanIn; k++)
                {
                    terms.Add(c.W(l, j, k) + " * " + c.A(l - 1, k));
                }

                terms.Add(c.B(l, j));
                ExpressionWriter.WriteSum(w, c.Z(l, j), terms);
            }

            ForwardEmitter.EmitActivations(w, c, l, start, end);
        }

        /// <summary>
        /// δˡⱼ for j in [<paramref name="start"/>, <paramref name="end"/>): Σₘ δˡ⁺¹ₘ · (row m of wˡ⁺¹ at
        /// columns j..j+7), times σ' of eight neurons at once; the columns left over, scalar.
        /// </summary>
        public static void EmitHiddenDeltas(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            int vectorEnd = start + ((end - start) - ((end - start) % c.Lanes));
            string vectorType = "global::System.Runtime.Intrinsics.Vector256<" + c.T + ">";
            w.WriteLine("// δ" + Sup(l) + "ⱼ = (Σₘ w" + Sup(l + 1) + "ₘⱼ δ" + Sup(l + 1) + "ₘ) · σ'(z" + Sup(l) + "ⱼ), " + ActivationMath.DerivativeFormula(c.ActivationOf(l)) + "; " + Count(c.Lanes) + " neurons j at a time");
            for (int j = start; j < vectorEnd; j += c.Lanes)
            {
                var terms = new List<string>(c.Size(l + 1));
                for (int m = 0; m < c.Size(l + 1); m++)
                {
                    terms.Add(V + ".Create(" + c.Delta(l + 1, m) + ") * " + Load(c.W(l + 1, m, j)));
                }

                string? sigmaPrime = Derivative(c, c.ActivationOf(l), Load(c.Z(l, j)), "a");
                if (sigmaPrime is not null && c.ActivationOf(l) is ActivationKind.Sigmoid or ActivationKind.Tanh)
                {
                    w.WriteLine((j == start ? vectorType + " " : string.Empty) + "a = " + Load(c.A(l, j)) + ";");
                }

                // Left to right as the scalar sum, so each lane is bit for bit the scalar δ.
                ExpressionWriter.WriteSum(w, (j == start ? vectorType + " " : string.Empty) + "delta", terms, sigmaPrime);
                w.WriteLine(Store("delta", c.Delta(l, j)) + ";");
            }

            if (vectorEnd < end)
            {
                BackwardEmitter.EmitHiddenDeltas(w, c, l, vectorEnd, end);
            }
        }

        /// <summary>The gradient (or update) of neurons [<paramref name="start"/>, <paramref name="end"/>) of layer <paramref name="l"/>, eight weights of a row at a time.</summary>
        public static void EmitGradients(SourceWriter w, EmitContext c, int l, int start, int end, GradientUse use)
        {
            int fanIn = c.Size(l - 1);
            int vectorEnd = fanIn - (fanIn % c.Lanes);
            string vectorType = "global::System.Runtime.Intrinsics.Vector256<" + c.T + ">";
            string up = Sup(l);
            w.WriteLine("// Layer " + Count(l) + (use == GradientUse.Descend ? " update: w" + up + "ⱼₖ ← w" + up + "ⱼₖ − α a" + Sup(l - 1) + "ₖ δ" + up + "ⱼ" : " gradient: ∂C/∂w" + up + "ⱼₖ = a" + Sup(l - 1) + "ₖ δ" + up + "ⱼ")
                + (c.Spec.Optimizer.WeightDecay > 0 ? " (+ λ w: weight decay)" : string.Empty) + ", " + Count(c.Lanes) + " k at a time; ∂C/∂b" + up + "ⱼ = δ" + up + "ⱼ");
            bool decay = c.Spec.Optimizer.WeightDecay > 0;
            string? decayScalar = decay ? " + " + c.Literal(c.Spec.Optimizer.WeightDecay) + " * " : null;
            switch (use)
            {
                case GradientUse.Descend:
                    w.WriteLine(vectorType + " rate = " + V + ".Create(learningRate);");
                    break;
                default:
                    w.WriteLine("ref " + c.T + " g = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(gradient);");
                    break;
            }

            if (decay && use == GradientUse.Descend)
            {
                w.WriteLine(vectorType + " lambda = " + V + ".Create(" + c.Literal(c.Spec.Optimizer.WeightDecay) + ");");
            }

            for (int j = start; j < end; j++)
            {
                if (vectorEnd > 0)
                {
                    w.WriteLine((j == start ? vectorType + " " : string.Empty) + "d = " + V + ".Create(" + c.Delta(l, j) + ");");
                }

                for (int k = 0; k < vectorEnd; k += c.Lanes)
                {
                    string gradient = Load(c.A(l - 1, k)) + " * d";
                    w.WriteLine(VectorStatement(c, use, c.W(l, j, k), c.WeightIndex(l, j, k), gradient, decay) + ";");
                }

                for (int k = vectorEnd; k < fanIn; k++)
                {
                    w.WriteLine(BackwardEmitter.Statement(c, use, c.W(l, j, k), c.WeightIndex(l, j, k), c.A(l - 1, k) + " * " + c.Delta(l, j), decayScalar));
                }
            }

            int biasVectorEnd = start + ((end - start) - ((end - start) % c.Lanes));
            for (int j = start; j < biasVectorEnd; j += c.Lanes)
            {
                w.WriteLine(VectorStatement(c, use, c.B(l, j), c.BiasIndex(l, j), Load(c.Delta(l, j)), decay) + ";");
            }

            for (int j = biasVectorEnd; j < end; j++)
            {
                w.WriteLine(BackwardEmitter.Statement(c, use, c.B(l, j), c.BiasIndex(l, j), c.Delta(l, j), decayScalar));
            }
        }

        /// <summary>The scalar statement of <see cref="BackwardEmitter.Statement"/> for <see cref="EmitContext.Lanes"/> parameters from <paramref name="field"/> on.</summary>
        private static string VectorStatement(EmitContext c, GradientUse use, string field, int index, string gradient, bool decay)
        {
            string slot = "ref g, " + Count(index);
            switch (use)
            {
                case GradientUse.Descend:
                    return decay
                        ? Store(Load(field) + " - rate * (" + gradient + " + lambda * " + Load(field) + ")", field)
                        : Store(Load(field) + " - rate * (" + gradient + ")", field);
                case GradientUse.Accumulate:
                    return V + ".StoreUnsafe(" + V + ".LoadUnsafe(" + slot + ") + " + gradient + ", " + slot + ")";
                case GradientUse.Store:
                    return V + ".StoreUnsafe(" + gradient + ", " + slot + ")";
                default:
                    throw Unreachable(use);
            }
        }

        /// <summary>σ' of eight neurons, as the scalar <see cref="ActivationMath.Derivative"/> per lane; <paramref name="a"/> names their activations.</summary>
        private static string? Derivative(EmitContext c, ActivationKind activation, string z, string a)
        {
            string one = V + ".Create(" + c.Literal(1) + ")";
            string zero = "global::System.Runtime.Intrinsics.Vector256<" + c.T + ">.Zero";
            return activation switch
            {
                ActivationKind.Sigmoid => a + " * (" + one + " - " + a + ")",
                ActivationKind.Tanh => one + " - " + a + " * " + a,
                ActivationKind.ReLU => V + ".ConditionalSelect(" + V + ".GreaterThan(" + z + ", " + zero + "), " + one + ", " + zero + ")",
                ActivationKind.LeakyReLU => V + ".ConditionalSelect(" + V + ".GreaterThan(" + z + ", " + zero + "), " + one + ", " + V + ".Create(" + c.Literal(0.01) + "))",
                ActivationKind.Linear => null,
                _ => throw Unreachable(activation),
            };
        }

        /// <summary>The products summed in pairs first, so neighbouring additions do not wait on each other.</summary>
        private static string PairwiseSum(List<string> products)
        {
            var pairs = new List<string>();
            for (int i = 0; i < products.Count; i += 2)
            {
                pairs.Add(i + 1 < products.Count ? "(" + products[i] + " + " + products[i + 1] + ")" : products[i]);
            }

            return string.Join(" + ", pairs);
        }

        private static string Load(string field) => V + ".LoadUnsafe(ref " + field + ")";

        private static string Store(string value, string field) => V + ".StoreUnsafe(" + value + ", ref " + field + ")";
    }
}
