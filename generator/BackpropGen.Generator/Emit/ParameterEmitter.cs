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
        /// <summary>Parameters per private block method of a split network (CopyParametersTo, LoadParameters, InitializeParameters).</summary>
        public const int BlockSize = 512;

        public static void EmitFields(SourceWriter w, EmitContext c)
        {
            if (c.IsSplit)
            {
                w.WriteLine("// The parameters θ, one field each of " + ParameterType + " (declared below, in canonical order).");
                w.WriteLine("private " + ParameterType + " " + ParameterField + ";");
                return;
            }

            w.WriteLine("// The parameters θ, one field each. [i] is the index in canonical order, used by");
            w.WriteLine("// CopyParametersTo, LoadParameters, AccumulateGradient and ApplyGradient.");
            EmitFieldList(w, c, "private ");
        }

        /// <summary>
        /// The struct of a split network's parameters, one field each in canonical order (so that θ
        /// is contiguous: the optimizer's state vectors are the same struct). Sequential layout.
        /// </summary>
        public static void EmitParameterType(SourceWriter w, EmitContext c, string generatedCode)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>The parameters θ of " + c.Spec.TypeName + " in canonical order ([i] in each comment); also the shape of each optimizer state vector.</summary>");
            w.WriteLine(generatedCode);
            w.WriteLine("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]");
            w.OpenBlock("private struct " + ParameterType);
            EmitFieldList(w, c, "public ");
            w.CloseBrace();
        }

        private static void EmitFieldList(SourceWriter w, EmitContext c, string modifier)
        {
            for (int l = 1; l <= c.L; l++)
            {
                w.WriteLine("// Layer " + Count(l) + ": w" + Sup(l) + "ⱼₖ at [" + Count(c.LayerStart(l)) + ".." + Count(c.BiasIndex(l, 0)) + "), b" + Sup(l) + "ⱼ at [" + Count(c.BiasIndex(l, 0)) + ".." + Count(c.LayerEnd(l)) + ")");
                for (int j = 0; j < c.Size(l); j++)
                {
                    for (int k = 0; k < c.Size(l - 1); k++)
                    {
                        w.WriteLine(modifier + c.T + " " + WName(l, j, k) + "; // [" + Count(c.WeightIndex(l, j, k)) + "] w" + Sup(l) + Sub(j, k));
                    }
                }

                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine(modifier + c.T + " " + BName(l, j) + "; // [" + Count(c.BiasIndex(l, j)) + "] b" + Sup(l) + Sub(j));
                }
            }
        }

        /// <summary>
        /// Writes one statement per parameter: <paramref name="statement"/>(field, index), layer by
        /// layer, where field is how the code reads the parameter. A split network gets them in
        /// private methods <paramref name="blockName"/>0, 1, … of <see cref="BlockSize"/> parameters,
        /// declared with <paramref name="blockParameters"/> and called with <paramref name="blockArguments"/>;
        /// where θ moves as a span (<see cref="MovesAsSpan"/>), <paramref name="spanStatement"/>(θ as a span)
        /// replaces them all, when given. <paramref name="fieldOf"/> maps a parameter's name to the field
        /// the statements move (default θ's own, <see cref="EmitContext.Field"/>; the optimizer passes its
        /// state vectors, which have θ's shape).
        /// </summary>
        public static void ForEachParameter(SourceWriter w, EmitContext c, System.Func<string, int, string> statement, string blockName, string blockParameters, string blockArguments, System.Func<System.Func<bool, string>, string>? spanStatement = null, System.Func<string, string>? fieldOf = null)
        {
            System.Func<string, string> field = fieldOf ?? c.Field;
            if (spanStatement is not null && MovesAsSpan(c))
            {
                w.WriteLine(fieldOf is null ? "// θ is one sequential struct in canonical order: one block copy." : "// One sequential struct of θ's shape in canonical order: one block copy.");
                w.WriteLine(spanStatement(readOnly => Span(c, field(WName(1, 0, 0)), "ParameterCount", readOnly)));
                return;
            }

            var parameters = new System.Collections.Generic.List<(string Name, int Index, int Layer)>(c.Parameters());
            if (!c.IsSplit)
            {
                WriteStatements(w, parameters, statement, field);
                return;
            }

            for (int start = 0, block = 0; start < parameters.Count; start += BlockSize, block++)
            {
                var slice = parameters.GetRange(start, System.Math.Min(BlockSize, parameters.Count - start));
                string name = blockName + Count(block);
                w.WriteLine(name + "(" + blockArguments + ");");
                c.AddMethod(
                    "// Parameters [" + Count(start) + ".." + Count(start + slice.Count) + ")",
                    "private void " + name + "(" + blockParameters + ")",
                    body => WriteStatements(body, slice, statement, field));
            }
        }

        private static void WriteStatements(SourceWriter w, System.Collections.Generic.List<(string Name, int Index, int Layer)> parameters, System.Func<string, int, string> statement, System.Func<string, string> field)
        {
            int layer = 0;
            foreach (var (name, index, l) in parameters)
            {
                if (l != layer)
                {
                    w.WriteLine("// Layer " + Count(l));
                    layer = l;
                }

                w.WriteLine(statement(field(name), index));
            }
        }

        /// <summary>
        /// A split network's θ is one sequential struct in canonical order; where the target has
        /// MemoryMarshal.CreateSpan it is moved as a span (one statement instead of one per parameter,
        /// which is most of a large network's code).
        /// </summary>
        public static bool MovesAsSpan(EmitContext c) => c.IsSplit && !c.Spec.IsBaked && c.Features.HasCreateSpan;

        /// <summary>The span of <paramref name="count"/> parameters from <paramref name="field"/> on.</summary>
        public static string Span(EmitContext c, string field, string count, bool readOnly) =>
            "global::System.Runtime.InteropServices.MemoryMarshal.Create" + (readOnly ? "ReadOnly" : string.Empty) + "Span(ref " + field + ", " + count + ")";

        public static void EmitInitializeBody(SourceWriter w, EmitContext c)
        {
            w.WriteLine("global::BackpropGen.ParameterRandom random = new global::BackpropGen.ParameterRandom(seed);");
            if (MovesAsSpan(c))
            {
                // The same draws in the same order as one statement per parameter.
                for (int l = 1; l <= c.L; l++)
                {
                    w.WriteLine(InitializationComment(c, l));
                    w.WriteLine("random.FillUniform(" + Span(c, c.W(l, 0, 0), Count(c.Size(l) * c.Size(l - 1)), readOnly: false) + ", " + Number(Limit(c, l)) + ");");
                    w.WriteLine(Span(c, c.B(l, 0), Count(c.Size(l)), readOnly: false) + ".Clear();");
                }

                return;
            }

            if (c.IsSplit)
            {
                // The same draws in the same order as the unsplit form, in blocks that share the generator.
                for (int l = 1; l <= c.L; l++)
                {
                    w.WriteLine(InitializationComment(c, l));
                }

                ForEachParameter(
                    w,
                    c,
                    (field, i) => field + " = " + (IsWeight(c, i, out int layer) ? Draw(c, layer) : c.Literal(0)) + ";",
                    "BpgInitialize",
                    "ref global::BackpropGen.ParameterRandom random",
                    "ref random");
                return;
            }

            for (int l = 1; l <= c.L; l++)
            {
                w.WriteLine();
                w.WriteLine(InitializationComment(c, l));
                for (int j = 0; j < c.Size(l); j++)
                {
                    for (int k = 0; k < c.Size(l - 1); k++)
                    {
                        w.WriteLine(c.W(l, j, k) + " = " + Draw(c, l) + ";");
                    }
                }

                for (int j = 0; j < c.Size(l); j++)
                {
                    w.WriteLine(c.B(l, j) + " = " + c.Literal(0) + ";");
                }
            }
        }

        /// <summary>The comment above layer <paramref name="l"/>'s initialization: the scheme and its r.</summary>
        private static string InitializationComment(EmitContext c, int l)
        {
            var (name, formula, limit) = ActivationMath.Initialization(c.ActivationOf(l), c.Size(l - 1), c.Size(l));
            return "// Layer " + Count(l) + " (" + c.ActivationOf(l) + "): " + name + ", w" + Sup(l) + "ⱼₖ ~ U(−r, r), " + formula + " = " + Number(limit) + "; b" + Sup(l) + "ⱼ = 0";
        }

        private static double Limit(EmitContext c, int l) => ActivationMath.Initialization(c.ActivationOf(l), c.Size(l - 1), c.Size(l)).Limit;

        private static bool IsWeight(EmitContext c, int index, out int layer)
        {
            for (layer = 1; layer <= c.L; layer++)
            {
                if (index < c.LayerEnd(layer))
                {
                    return index < c.BiasIndex(layer, 0);
                }
            }

            throw Unreachable(index);
        }

        private static string Draw(EmitContext c, int l)
        {
            string draw = "random.NextUniform(" + Number(Limit(c, l)) + ")";
            return c.IsDouble ? draw : "(float)" + draw;
        }

        private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
