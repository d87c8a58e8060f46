using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The forward pass, unrolled: a⁰ = x, then for every layer one statement per weighted sum zˡⱼ
    /// and one per activation aˡⱼ. <see cref="Emit"/> writes the whole pass into one method; the
    /// pieces (<see cref="EmitInputs"/>, <see cref="EmitNeurons"/>, <see cref="EmitSoftmax"/>) are
    /// what <see cref="SplitEmitter"/> spreads over several.
    /// </summary>
    internal static class ForwardEmitter
    {
        public static void Emit(SourceWriter w, EmitContext c)
        {
            EmitInputs(w, c, 0, c.Size(0));
            for (int l = 1; l <= c.L; l++)
            {
                w.WriteLine();
                EmitNeurons(w, c, l, 0, c.Size(l));
                if (c.ActivationOf(l) == Activation.Softmax)
                {
                    EmitSoftmax(w, c, l);
                }
            }
        }

        /// <summary>
        /// a⁰ₖ = input[k] for k in [<paramref name="start"/>, <paramref name="end"/>), or with input scaling
        /// a⁰ₖ = (xₖ − μₖ)·sₖ: the one place every shape and member takes its input (the split and vector
        /// shapes call it from their BpgInput step and read a⁰ from the scratch struct).
        /// </summary>
        public static void EmitInputs(SourceWriter w, EmitContext c, int start, int end)
        {
            if (!c.Spec.InputScaling)
            {
                w.WriteLine("// a⁰ = x: layer 0 is the input");
                for (int k = start; k < end; k++)
                {
                    w.WriteLine(c.Define(c.A(0, k)) + " = " + c.Input(k) + ";");
                }

                return;
            }

            w.WriteLine(c.Spec.IsBaked
                ? "// a⁰ₖ = (xₖ − μₖ)·sₖ: layer 0 is the input, scaled by the baked offset μ and scale s"
                : "// a⁰ₖ = (xₖ − μₖ)·sₖ: layer 0 is the input, scaled (SetInputScaling; until set μ = 0, s = 1, and a stored s of 0 reads as 1)");
            for (int k = start; k < end; k++)
            {
                w.WriteLine(c.Define(c.A(0, k)) + " = (" + c.Input(k) + " - " + c.InputOffset(k) + ") * " + c.InputScale(k) + ";");
            }
        }

        /// <summary>
        /// zˡⱼ and (unless the layer is a Softmax, whose aˡ needs every zˡ) aˡⱼ for the neurons
        /// j in [<paramref name="start"/>, <paramref name="end"/>) of layer <paramref name="l"/>.
        /// </summary>
        public static void EmitNeurons(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            EmitSums(w, c, l, start, end);
            EmitActivations(w, c, l, start, end);
        }

        /// <summary>zˡⱼ for the neurons j in [<paramref name="start"/>, <paramref name="end"/>) of layer <paramref name="l"/>, under the layer's heading.</summary>
        public static void EmitSums(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            w.WriteLine("// Layer " + Count(l) + (l == c.L ? " (output)" : string.Empty) + ": " + Pluralize(c.Size(l), "neuron") + ", " + c.ActivationOf(l)
                + (start == 0 && end == c.Size(l) ? string.Empty : "; neurons " + Count(start) + ".." + Count(end - 1) + " here"));
            w.WriteLine("// z" + Sup(l) + "ⱼ = Σₖ w" + Sup(l) + "ⱼₖ a" + Sup(l - 1) + "ₖ + b" + Sup(l) + "ⱼ");
            var sums = new List<WeightedSum>(end - start);
            for (int j = start; j < end; j++)
            {
                var products = new List<(string, string)>(c.Size(l - 1));
                for (int k = 0; k < c.Size(l - 1); k++)
                {
                    products.Add((c.Weight(l, j, k), c.A(l - 1, k)));
                }

                sums.Add(new WeightedSum(c.Define(c.Z(l, j)), products, c.Bias(l, j)));
            }

            ExpressionWriter.WriteDots(w, c.Algebra, sums);
        }

        /// <summary>aˡⱼ = σ(zˡⱼ) for the neurons j in [<paramref name="start"/>, <paramref name="end"/>) (nothing for a Softmax layer).</summary>
        public static void EmitActivations(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            if (c.ActivationOf(l) == Activation.Softmax)
            {
                return;
            }

            w.WriteLine("// a" + Sup(l) + "ⱼ = σ(z" + Sup(l) + "ⱼ), " + ActivationMath.Formula(c, c.ActivationOf(l)));
            for (int j = start; j < end; j++)
            {
                w.WriteLine(c.Define(c.A(l, j)) + " = " + ActivationMath.Apply(c, c.ActivationOf(l), c.Z(l, j)) + ";");
            }
        }

        /// <summary>
        /// aˡⱼ = e^(zˡⱼ − m) / Σₖ e^(zˡₖ − m) with m = maxₖ zˡₖ: subtracting the largest logit keeps every
        /// exponential in (0, 1], so large logits cannot overflow to ∞ (and ∞/∞ to NaN).
        /// </summary>
        public static void EmitSoftmax(SourceWriter w, EmitContext c, int l)
        {
            string up = Sup(l);
            w.WriteLine("// a" + up + "ⱼ = softmax(z" + up + ")ⱼ = e^(z" + up + "ⱼ − m) / Σₖ e^(z" + up + "ₖ − m), m = maxₖ z" + up + "ₖ (so no e^… exceeds 1)");
            w.WriteLine(c.Define(c.SoftmaxMax(l)) + " = " + c.Z(l, 0) + ";");
            for (int j = 1; j < c.Size(l); j++)
            {
                w.WriteLine(c.SoftmaxMax(l) + " = " + c.Algebra.Max(c.SoftmaxMax(l), c.Z(l, j)) + ";");
            }

            var exponentials = new List<string>(c.Size(l));
            for (int j = 0; j < c.Size(l); j++)
            {
                w.WriteLine(c.Local(SoftmaxExp(l, j)) + " = " + c.Algebra.Exp(c.Z(l, j) + " - " + c.SoftmaxMax(l)) + ";");
                exponentials.Add(SoftmaxExp(l, j));
            }

            ExpressionWriter.WriteSum(w, c.Define(c.SoftmaxSum(l)), exponentials);
            for (int j = 0; j < c.Size(l); j++)
            {
                w.WriteLine(c.Define(c.A(l, j)) + " = " + SoftmaxExp(l, j) + " / " + c.SoftmaxSum(l) + ";");
            }
        }
    }
}
