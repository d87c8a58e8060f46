using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The loss C of one sample (one per lane in the batch shape: written against <see cref="EmitContext.Algebra"/>)
    /// and the output layer's error signal δᴸ. For cross-entropy losses the
    /// generator writes the fused form (δᴸ = aᴸ − y, or (aᴸ − y)/n), never a softmax Jacobian.
    /// </summary>
    internal static class LossEmitter
    {
        public const string LossLocal = "loss";

        /// <summary>The smallest probability the cross-entropy takes the log of: ln never sees 0.</summary>
        public static double ProbabilityFloor(EmitContext c) => c.IsDouble ? 1e-15 : 1e-7;

        public static string Formula(LossFunction loss) => loss switch
        {
            LossFunction.HalfSquaredError => "C = ½ Σⱼ (yⱼ − aᴸⱼ)²",
            LossFunction.MeanSquaredError => "C = (1/n) Σⱼ (yⱼ − aᴸⱼ)²",
            LossFunction.BinaryCrossEntropy => "C = −(1/n) Σⱼ [yⱼ ln aᴸⱼ + (1 − yⱼ) ln(1 − aᴸⱼ)]",
            LossFunction.CrossEntropy => "C = −Σⱼ yⱼ ln aᴸⱼ",
            _ => throw Unreachable(loss),
        };

        /// <summary>Writes yⱼ, eⱼ = aᴸⱼ − yⱼ for every output and <c>loss</c> = C.</summary>
        public static void Emit(SourceWriter w, EmitContext c)
        {
            int l = c.L;
            int n = c.Size(l);
            w.WriteLine();
            w.WriteLine("// y = the target; eⱼ = a" + Sup(l) + "ⱼ − yⱼ, the output error");
            for (int j = 0; j < n; j++)
            {
                w.WriteLine(c.Local(Target(j)) + " = " + c.TargetValue(j) + ";");
            }

            for (int j = 0; j < n; j++)
            {
                w.WriteLine(c.Local(Error(j)) + " = " + c.A(l, j) + " - " + Target(j) + ";");
            }

            string formula = Formula(c.Spec.Loss).Replace("ᴸ", Sup(l));
            Algebra x = c.Algebra;
            var terms = new List<string>(n);
            switch (c.Spec.Loss)
            {
                case LossFunction.HalfSquaredError:
                case LossFunction.MeanSquaredError:
                    w.WriteLine("// " + formula + ", n = " + Count(n));
                    for (int j = 0; j < n; j++)
                    {
                        terms.Add(Error(j) + " * " + Error(j));
                    }

                    ExpressionWriter.WriteSum(w, c.Local(LossLocal), terms, x.Constant(c.Spec.Loss == LossFunction.HalfSquaredError ? 0.5 : 1.0 / n));
                    w.WriteLine("// A huge output error saturates at " + c.T + ".MaxValue instead of overflowing to ∞ (NaN stays NaN).");
                    w.WriteLine(LossLocal + " = " + x.Min(LossLocal, x.MaxValue) + ";");
                    break;

                case LossFunction.BinaryCrossEntropy:
                    // Written from the logits: ln a = −ln(1 + e⁻ᶻ) and ln(1 − a) = −z − ln(1 + e⁻ᶻ), so each
                    // term is max(z, 0) − z y + ln(1 + e^(−|z|)): exact, and finite for any finite z.
                    w.WriteLine("// " + formula + ", n = " + Count(n));
                    w.WriteLine("//   = (1/n) Σⱼ [max(z" + Sup(l) + "ⱼ, 0) − z" + Sup(l) + "ⱼ yⱼ + ln(1 + e^(−|z" + Sup(l) + "ⱼ|))], from the logits: never ln 0");
                    for (int j = 0; j < n; j++)
                    {
                        terms.Add(x.Max(c.Z(l, j), x.Constant(0)) + " - " + c.Z(l, j) + " * " + Target(j) + " + " + x.Log(x.Constant(1) + " + " + x.Exp("-" + x.Abs(c.Z(l, j)))));
                    }

                    ExpressionWriter.WriteSum(w, c.Local(LossLocal), terms, x.Constant(1.0 / n));
                    break;

                case LossFunction.CrossEntropy:
                    // Log-softmax: ln aⱼ = zⱼ − m − ln Σₖ e^(zₖ − m), exact where aⱼ itself would round to 0.
                    string lnSum = "lnsum" + Count(l);
                    double floor = ProbabilityFloor(c);
                    w.WriteLine("// " + formula + ", with ln a" + Sup(l) + "ⱼ = z" + Sup(l) + "ⱼ − m − ln Σₖ e^(z" + Sup(l) + "ₖ − m) (log-softmax),");
                    w.WriteLine("// floored at ln " + (c.IsDouble ? "1e-15" : "1e-7") + " so a saturated output gives a large finite loss, never ∞");
                    w.WriteLine(c.Local(lnSum) + " = " + x.Log(c.SoftmaxSum(l)) + ";");
                    for (int j = 0; j < n; j++)
                    {
                        terms.Add(Target(j) + " * " + x.Max(c.Z(l, j) + " - " + c.SoftmaxMax(l) + " - " + lnSum, x.Constant(System.Math.Log(floor))));
                    }

                    ExpressionWriter.WriteSum(w, c.Local(LossLocal), terms, x.Constant(-1));
                    break;

                default:
                    throw Unreachable(c.Spec.Loss);
            }
        }

        /// <summary>The comment line that explains δᴸ.</summary>
        public static string OutputDeltaFormula(EmitContext c)
        {
            string up = Sup(c.L);
            string delta = "// δ" + up + "ⱼ = ";
            return c.Spec.Loss switch
            {
                LossFunction.HalfSquaredError => delta + "∂C/∂a" + up + "ⱼ · σ'(z" + up + "ⱼ), ∂C/∂a" + up + "ⱼ = eⱼ, " + ActivationMath.DerivativeFormula(c.ActivationOf(c.L)),
                LossFunction.MeanSquaredError => delta + "∂C/∂a" + up + "ⱼ · σ'(z" + up + "ⱼ), ∂C/∂a" + up + "ⱼ = 2 eⱼ / n, " + ActivationMath.DerivativeFormula(c.ActivationOf(c.L)),
                LossFunction.BinaryCrossEntropy => delta + "(a" + up + "ⱼ − yⱼ) / n = eⱼ / n: sigmoid and binary cross-entropy fused (σ' cancels)",
                LossFunction.CrossEntropy => delta + "a" + up + "ⱼ − yⱼ = eⱼ: softmax and cross-entropy fused (no Jacobian; needs Σⱼ yⱼ = 1)",
                _ => throw Unreachable(c.Spec.Loss),
            };
        }

        /// <summary>δᴸⱼ as an expression of eⱼ and the output layer's z and a.</summary>
        public static string OutputDelta(EmitContext c, int j)
        {
            int n = c.Size(c.L);
            switch (c.Spec.Loss)
            {
                case LossFunction.HalfSquaredError:
                case LossFunction.MeanSquaredError:
                    string gradient = c.Spec.Loss == LossFunction.MeanSquaredError && n != 2
                        ? c.Algebra.Constant(2.0 / n) + " * " + Error(j)
                        : Error(j);
                    string? sigmaPrime = ActivationMath.Derivative(c.Algebra, c.ActivationOf(c.L), c.Z(c.L, j), c.A(c.L, j));
                    return sigmaPrime is null ? gradient : ExpressionWriter.Parenthesize(gradient) + " * (" + sigmaPrime + ")";
                case LossFunction.BinaryCrossEntropy:
                    return n == 1 ? Error(j) : Error(j) + " * " + c.Algebra.Constant(1.0 / n);
                case LossFunction.CrossEntropy:
                    return Error(j);
                default:
                    throw Unreachable(c.Spec.Loss);
            }
        }
    }
}
