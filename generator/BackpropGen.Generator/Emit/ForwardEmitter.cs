using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The forward pass, unrolled: a⁰ = x, then for every layer one statement per weighted sum zˡⱼ
    /// and one per activation aˡⱼ, all as locals of the calling method.
    /// </summary>
    internal static class ForwardEmitter
    {
        public static void Emit(SourceWriter w, EmitContext c)
        {
            w.WriteLine("// a⁰ = x: layer 0 is the input");
            for (int k = 0; k < c.Size(0); k++)
            {
                w.WriteLine(c.T + " " + A(0, k) + " = input[" + Count(k) + "];");
            }

            for (int l = 1; l <= c.L; l++)
            {
                w.WriteLine();
                w.WriteLine("// Layer " + Count(l) + (l == c.L ? " (output)" : string.Empty) + ": " + Pluralize(c.Size(l), "neuron") + ", " + c.ActivationOf(l));
                w.WriteLine("// z" + Sup(l) + "ⱼ = Σₖ w" + Sup(l) + "ⱼₖ a" + Sup(l - 1) + "ₖ + b" + Sup(l) + "ⱼ");
                for (int j = 0; j < c.Size(l); j++)
                {
                    var terms = new List<string>(c.Size(l - 1) + 1);
                    for (int k = 0; k < c.Size(l - 1); k++)
                    {
                        terms.Add(c.Weight(l, j, k) + " * " + A(l - 1, k));
                    }

                    terms.Add(c.Bias(l, j));
                    ExpressionWriter.WriteSum(w, c.T + " " + Z(l, j), terms);
                }

                if (c.ActivationOf(l) == ActivationKind.Softmax)
                {
                    EmitSoftmax(w, c, l);
                    continue;
                }

                w.WriteLine("// a" + Sup(l) + "ⱼ = σ(z" + Sup(l) + "ⱼ), " + ActivationMath.Formula(c, c.ActivationOf(l)));
                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine(c.T + " " + A(l, j) + " = " + ActivationMath.Apply(c, c.ActivationOf(l), Z(l, j)) + ";");
                }
            }
        }

        /// <summary>
        /// aˡⱼ = e^(zˡⱼ − m) / Σₖ e^(zˡₖ − m) with m = maxₖ zˡₖ: subtracting the largest logit keeps every
        /// exponential in (0, 1], so large logits cannot overflow to ∞ (and ∞/∞ to NaN).
        /// </summary>
        private static void EmitSoftmax(SourceWriter w, EmitContext c, int l)
        {
            string up = Sup(l);
            w.WriteLine("// a" + up + "ⱼ = softmax(z" + up + ")ⱼ = e^(z" + up + "ⱼ − m) / Σₖ e^(z" + up + "ₖ − m), m = maxₖ z" + up + "ₖ (so no e^… exceeds 1)");
            w.WriteLine(c.T + " " + SoftmaxMax(l) + " = " + Z(l, 0) + ";");
            for (int j = 1; j < c.Size(l); j++)
            {
                w.WriteLine(SoftmaxMax(l) + " = " + Max(SoftmaxMax(l), Z(l, j)) + ";");
            }

            var exponentials = new List<string>(c.Size(l));
            for (int j = 0; j < c.Size(l); j++)
            {
                w.WriteLine(c.T + " " + SoftmaxExp(l, j) + " = " + c.Exp(Z(l, j) + " - " + SoftmaxMax(l)) + ";");
                exponentials.Add(SoftmaxExp(l, j));
            }

            ExpressionWriter.WriteSum(w, c.T + " " + SoftmaxSum(l), exponentials);
            for (int j = 0; j < c.Size(l); j++)
            {
                w.WriteLine(c.T + " " + A(l, j) + " = " + SoftmaxExp(l, j) + " / " + SoftmaxSum(l) + ";");
            }
        }
    }
}
