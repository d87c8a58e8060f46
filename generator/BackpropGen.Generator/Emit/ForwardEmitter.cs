using System.Collections.Generic;
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
                        terms.Add(W(l, j, k) + " * " + A(l - 1, k));
                    }

                    terms.Add(B(l, j));
                    ExpressionWriter.WriteSum(w, c.T + " " + Z(l, j), terms);
                }

                w.WriteLine("// a" + Sup(l) + "ⱼ = σ(z" + Sup(l) + "ⱼ), " + ActivationMath.Formula(c.ActivationOf(l)));
                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine(c.T + " " + A(l, j) + " = " + ActivationMath.Apply(c, c.ActivationOf(l), Z(l, j)) + ";");
                }
            }
        }
    }
}
