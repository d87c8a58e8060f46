using System.Collections.Generic;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>What the backward pass does with each gradient once it has it.</summary>
    internal enum GradientUse
    {
        /// <summary>θ ← θ − α ∂C/∂θ in place (TrainStep).</summary>
        Descend,

        /// <summary>gradient[i] += ∂C/∂θᵢ (AccumulateGradient).</summary>
        Accumulate,

        /// <summary>gradient[i] = ∂C/∂θᵢ into a stack buffer that ApplyGradient then consumes (TrainStep of a stateful optimizer).</summary>
        Store,
    }

    /// <summary>
    /// The backward pass, unrolled: the error signal δ of every neuron from the output down, and
    /// each parameter's gradient. A layer's weights are used (for the δ of the layer below) before
    /// they are updated, so every gradient comes from the parameters as they were before the step.
    /// </summary>
    internal static class BackwardEmitter
    {
        public static void Emit(SourceWriter w, EmitContext c, GradientUse use)
        {
            // Every δ first (they read the weights as they were), then the guard, then the gradients.
            EmitOutputDeltas(w, c);
            for (int l = c.L - 1; l >= 1; l--)
            {
                EmitHiddenDeltas(w, c, l, 0, c.Size(l));
            }

            if (use != GradientUse.Store)
            {
                // A stored gradient is checked by ApplyGradient instead.
                EmitGuard(w, c, use);
            }

            for (int l = c.L; l >= 1; l--)
            {
                EmitGradients(w, c, l, 0, c.Size(l), use);
            }
        }

        /// <summary>
        /// One bad sample must not wreck a trained network. Every gradient component is aˡ⁻¹ₖ δˡⱼ or
        /// δˡⱼ, so (1 + Σₖ |aˡ⁻¹ₖ|) · Σⱼ |δˡⱼ| bounds them all: if the bound (times |α| for an update,
        /// plus |C|) is finite, so is every change about to be made; if any input, target, activation
        /// or δ is NaN or ±∞, or a change would overflow, it is not, and nothing is touched.
        /// </summary>
        private static void EmitGuard(SourceWriter w, EmitContext c, GradientUse use)
        {
            w.WriteLine();
            EmitGuardComment(w, c, use);
            string sum = EmitGuardSums(w, c);
            EmitGuardCheck(w, c, use, "(" + sum + ")");
        }

        /// <summary>Writes Σₖ |aˡ⁻¹ₖ| and Σⱼ |δˡⱼ| of every layer; returns Σₗ of their products, the bound on |∂C/∂θ|.</summary>
        public static string EmitGuardSums(SourceWriter w, EmitContext c)
        {
            var products = new List<string>(c.L);
            for (int l = 1; l <= c.L; l++)
            {
                var activations = new List<string>(c.Size(l - 1) + 1) { c.Algebra.Constant(1) };
                for (int k = 0; k < c.Size(l - 1); k++)
                {
                    activations.Add(c.Algebra.Abs(c.A(l - 1, k)));
                }

                var deltas = new List<string>(c.Size(l));
                for (int j = 0; j < c.Size(l); j++)
                {
                    deltas.Add(c.Algebra.Abs(c.Delta(l, j)));
                }

                ExpressionWriter.WriteSum(w, c.Local("guardA" + Count(l - 1)), activations);
                ExpressionWriter.WriteSum(w, c.Local("guardD" + Count(l)), deltas);
                products.Add("guardA" + Count(l - 1) + " * guardD" + Count(l));
            }

            return string.Join(" + ", products);
        }

        public static void EmitGuardComment(SourceWriter w, EmitContext c, GradientUse use)
        {
            w.WriteLine("// Guard: NaN or ±∞ anywhere (input, target, activation, δ), or a change too large for " + c.T + ", makes");
            w.WriteLine("// this bound on |" + (use == GradientUse.Descend ? "α " : string.Empty) + "∂C/∂θ| non-finite: then nothing is changed and the result is NaN.");
        }

        /// <summary>The check itself: |C| plus the bound <paramref name="sum"/> (times |α| for an update) must be finite.</summary>
        public static void EmitGuardCheck(SourceWriter w, EmitContext c, GradientUse use, string sum)
        {
            EmitGuardBound(w, c, use, sum);
            if (c.Batch is not null)
            {
                BatchEmitter.EmitGuardCheck(w, c);
                return;
            }

            w.WriteLine("if (!(" + GuardBound + " <= " + c.Algebra.MaxValue + ")) return " + c.T + ".NaN;");
        }

        /// <summary>The guard's bound on every change, the value <see cref="EmitGuardCheck"/> (or the batch shape, per lane) requires finite.</summary>
        public const string GuardBound = "bound";

        /// <summary><see cref="GuardBound"/> = |C| plus the bound <paramref name="sum"/> (times |α| for an update).</summary>
        public static void EmitGuardBound(SourceWriter w, EmitContext c, GradientUse use, string sum)
        {
            w.WriteLine(c.Local(GuardBound) + " = " + c.Algebra.Abs(LossEmitter.LossLocal) + " + " + (use == GradientUse.Descend ? Abs("learningRate") + " * " + sum : sum) + ";");
        }

        public static void EmitOutputDeltas(SourceWriter w, EmitContext c)
        {
            w.WriteLine();
            w.WriteLine("// Backward pass: δˡⱼ = ∂C/∂zˡⱼ, from the output layer down");
            w.WriteLine(LossEmitter.OutputDeltaFormula(c));
            for (int j = 0; j < c.Size(c.L); j++)
            {
                w.WriteLine(c.Define(c.Delta(c.L, j)) + " = " + LossEmitter.OutputDelta(c, j) + ";");
            }
        }

        /// <summary>δˡⱼ for the neurons j in [<paramref name="start"/>, <paramref name="end"/>) of hidden layer <paramref name="l"/>.</summary>
        public static void EmitHiddenDeltas(SourceWriter w, EmitContext c, int l, int start, int end)
        {
            w.WriteLine();
            w.WriteLine("// δ" + Sup(l) + "ⱼ = (Σₘ w" + Sup(l + 1) + "ₘⱼ δ" + Sup(l + 1) + "ₘ) · σ'(z" + Sup(l) + "ⱼ), " + ActivationMath.DerivativeFormula(c.ActivationOf(l)));
            var sums = new List<WeightedSum>(end - start);
            for (int j = start; j < end; j++)
            {
                var products = new List<(string, string)>(c.Size(l + 1));
                for (int m = 0; m < c.Size(l + 1); m++)
                {
                    products.Add((c.Weight(l + 1, m, j), c.Delta(l + 1, m)));
                }

                sums.Add(new WeightedSum(c.Define(c.Delta(l, j)), products, null, ActivationMath.Derivative(c.Algebra, c.ActivationOf(l), c.Z(l, j), c.A(l, j))));
            }

            ExpressionWriter.WriteDots(w, c.Algebra, sums);
        }

        /// <summary>The gradient (or update) of the weights and biases of neurons [<paramref name="start"/>, <paramref name="end"/>) of layer <paramref name="l"/>.</summary>
        public static void EmitGradients(SourceWriter w, EmitContext c, int l, int start, int end, GradientUse use) =>
            EmitGradients(w, c, l, start, end, 0, c.Size(l - 1), use);

        /// <summary>
        /// The gradient (or update) of the weights in columns [<paramref name="columnStart"/>,
        /// <paramref name="columnEnd"/>) of neurons [<paramref name="start"/>, <paramref name="end"/>), and
        /// their biases with the last columns: a split network's step holds part of a row that is too long for one method.
        /// </summary>
        public static void EmitGradients(SourceWriter w, EmitContext c, int l, int start, int end, int columnStart, int columnEnd, GradientUse use)
        {
            string up = Sup(l);
            string below = Sup(l - 1);
            w.WriteLine();
            if (use == GradientUse.Descend)
            {
                w.WriteLine("// Layer " + Count(l) + " update: w" + up + "ⱼₖ ← w" + up + "ⱼₖ − α ∂C/∂w" + up + "ⱼₖ, with ∂C/∂w" + up + "ⱼₖ = a" + below + "ₖ δ" + up + "ⱼ"
                    + (c.Spec.Optimizer.WeightDecay > 0 ? " (+ λ w" + up + "ⱼₖ: weight decay)" : string.Empty));
            }
            else
            {
                w.WriteLine("// Layer " + Count(l) + " gradient, gradient[" + Count(c.LayerStart(l)) + ".." + Count(c.LayerEnd(l)) + "): ∂C/∂w" + up + "ⱼₖ = a" + below + "ₖ δ" + up + "ⱼ");
            }

            ParameterWriter writer = c.Batch is not null ? new BatchParameterWriter(c) : new ScalarParameterWriter(c);
            int perWeight = c.Batch is not null ? System.Math.Max(columnStart, BatchEmitter.EmitWeightTiles(w, c, l, start, end)) : columnStart;
            for (int j = start; j < end; j++)
            {
                for (int k = perWeight; k < columnEnd; k++)
                {
                    if (c.Spec.Explain && c.Batch is null)
                    {
                        w.WriteLine(ExplainEmitter.WeightComment(c, l, j, k));
                    }

                    OptimizerEmitter.UseGradient(writer, w, c, use, c.W(l, j, k), c.WeightIndex(l, j, k), c.A(l - 1, k), c.Delta(l, j));
                }
            }

            if (columnEnd < c.Size(l - 1))
            {
                return;
            }

            w.WriteLine(use == GradientUse.Descend
                ? "// b" + up + "ⱼ ← b" + up + "ⱼ − α ∂C/∂b" + up + "ⱼ, with ∂C/∂b" + up + "ⱼ = δ" + up + "ⱼ"
                : "// ∂C/∂b" + up + "ⱼ = δ" + up + "ⱼ");
            for (int j = start; j < end; j++)
            {
                if (c.Spec.Explain && c.Batch is null)
                {
                    w.WriteLine(ExplainEmitter.BiasComment(c, l, j));
                }

                OptimizerEmitter.UseGradient(writer, w, c, use, c.B(l, j), c.BiasIndex(l, j), c.Delta(l, j));
            }
        }
    }
}
