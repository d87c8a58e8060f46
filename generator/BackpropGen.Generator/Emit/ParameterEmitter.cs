using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The parameters θ: one field per weight and bias, and the members that move them as a vector
    /// in canonical order (layer by layer; each layer's weights row by row, w[j][k] as in PyTorch's
    /// nn.Linear.weight, then its biases).
    /// </summary>
    internal static class ParameterEmitter
    {
        public static void EmitFields(SourceWriter w, EmitContext c)
        {
            w.WriteLine("// The parameters θ, one field each. [i] is the index in canonical order, used by");
            w.WriteLine("// CopyParametersTo, LoadParameters, AccumulateGradient and ApplyGradient.");
            for (int l = 1; l <= c.L; l++)
            {
                w.WriteLine("// Layer " + Count(l) + ": w" + Sup(l) + "ⱼₖ at [" + Count(c.LayerStart(l)) + ".." + Count(c.BiasIndex(l, 0)) + "), b" + Sup(l) + "ⱼ at [" + Count(c.BiasIndex(l, 0)) + ".." + Count(c.LayerEnd(l)) + ")");
                for (int j = 0; j < c.Size(l); j++)
                {
                    for (int k = 0; k < c.Size(l - 1); k++)
                    {
                        w.WriteLine("private " + c.T + " " + W(l, j, k) + "; // [" + Count(c.WeightIndex(l, j, k)) + "] w" + Sup(l) + Sub(j, k));
                    }
                }

                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine("private " + c.T + " " + B(l, j) + "; // [" + Count(c.BiasIndex(l, j)) + "] b" + Sup(l) + Sub(j));
                }
            }
        }

        /// <summary>Writes one statement per parameter: <paramref name="statement"/>(field, index), layer by layer.</summary>
        public static void ForEachParameter(SourceWriter w, EmitContext c, System.Func<string, int, string> statement)
        {
            int layer = 0;
            foreach (var (field, index, l) in c.Parameters())
            {
                if (l != layer)
                {
                    w.WriteLine("// Layer " + Count(l));
                    layer = l;
                }

                w.WriteLine(statement(field, index));
            }
        }

        public static void EmitInitializeBody(SourceWriter w, EmitContext c)
        {
            w.WriteLine("global::BackpropGen.ParameterRandom random = new global::BackpropGen.ParameterRandom(seed);");
            for (int l = 1; l <= c.L; l++)
            {
                var (name, formula, limit) = ActivationMath.Initialization(c.ActivationOf(l), c.Size(l - 1), c.Size(l));
                w.WriteLine();
                w.WriteLine("// Layer " + Count(l) + " (" + c.ActivationOf(l) + "): " + name + ", w" + Sup(l) + "ⱼₖ ~ U(−r, r), " + formula + " = " + limit.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "; b" + Sup(l) + "ⱼ = 0");
                for (int j = 0; j < c.Size(l); j++)
                {
                    for (int k = 0; k < c.Size(l - 1); k++)
                    {
                        string draw = "random.NextUniform(" + limit.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ")";
                        w.WriteLine(W(l, j, k) + " = " + (c.IsDouble ? draw : "(float)" + draw) + ";");
                    }
                }

                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine(B(l, j) + " = " + c.Literal(0) + ";");
                }
            }
        }
    }
}
