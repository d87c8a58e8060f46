using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>The loss C of one sample and the output errors eⱼ = aᴸⱼ − yⱼ it is built from.</summary>
    internal static class LossEmitter
    {
        public const string LossLocal = "loss";

        public static string Formula(LossKind loss) => loss switch
        {
            LossKind.HalfSquaredError => "C = ½ Σⱼ (yⱼ − aᴸⱼ)²",
            LossKind.MeanSquaredError => "C = (1/n) Σⱼ (yⱼ − aᴸⱼ)²",
            _ => throw Unreachable(loss),
        };

        /// <summary>∂C/∂aᴸⱼ in terms of eⱼ, for the comments.</summary>
        public static string OutputGradientFormula(LossKind loss) => loss switch
        {
            LossKind.HalfSquaredError => "∂C/∂aᴸⱼ = eⱼ",
            LossKind.MeanSquaredError => "∂C/∂aᴸⱼ = 2 eⱼ / n",
            _ => throw Unreachable(loss),
        };

        /// <summary>Writes eⱼ = aᴸⱼ − yⱼ for every output and <c>loss</c> = C.</summary>
        public static void Emit(SourceWriter w, EmitContext c)
        {
            int n = c.Size(c.L);
            w.WriteLine();
            w.WriteLine("// e" + "ⱼ = a" + Sup(c.L) + "ⱼ − yⱼ, the output error");
            for (int j = 0; j < n; j++)
            {
                w.WriteLine(c.T + " " + Error(j) + " = " + A(c.L, j) + " - target[" + Count(j) + "];");
            }

            var squares = new List<string>(n);
            for (int j = 0; j < n; j++)
            {
                squares.Add(Error(j) + " * " + Error(j));
            }

            w.WriteLine("// " + Formula(c.Spec.Loss).Replace("ᴸ", Sup(c.L)) + ", n = " + Count(n));
            double scale = c.Spec.Loss switch
            {
                LossKind.HalfSquaredError => 0.5,
                LossKind.MeanSquaredError => 1.0 / n,
                _ => throw Unreachable(c.Spec.Loss),
            };

            ExpressionWriter.WriteSum(w, c.T + " " + LossLocal, squares, c.Literal(scale));
        }

        /// <summary>∂C/∂aᴸⱼ as an expression of eⱼ.</summary>
        public static string OutputGradient(EmitContext c, int j) => c.Spec.Loss switch
        {
            LossKind.HalfSquaredError => Error(j),
            LossKind.MeanSquaredError => c.Size(c.L) == 2 ? Error(j) : c.Literal(2.0 / c.Size(c.L)) + " * " + Error(j),
            _ => throw Unreachable(c.Spec.Loss),
        };
    }
}
