using System.Collections.Generic;
using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// <c>InputScaling = true</c>: the fields of the offset μ and scale s (not parameters: outside θ,
    /// untouched by gradients and InitializeParameters) and <c>SetInputScaling</c>/<c>CopyInputScalingTo</c>.
    /// Where they are applied, a⁰ₖ = (xₖ − μₖ)·sₖ, is <see cref="ForwardEmitter.EmitInputs"/>; how sₖ is
    /// read is <see cref="EmitContext.InputScale"/>, which CopyInputScalingTo shares.
    /// </summary>
    internal static class InputScalingEmitter
    {
        /// <summary>Inputs per private block method of a split network's SetInputScaling and CopyInputScalingTo.</summary>
        public const int BlockSize = 256;

        public static void EmitFields(SourceWriter w, EmitContext c)
        {
            if (!c.Spec.InputScaling || c.Spec.IsBaked)
            {
                return;
            }

            w.WriteLine("// The input scaling, a⁰ₖ = (xₖ − μₖ)·sₖ: offsets μₖ and scales sₖ (not parameters; no gradient reaches them).");
            w.WriteLine("// A scale holds 0 until SetInputScaling sets it (the default of every field), which reads as sₖ = 1.");
            var offsets = new List<string>(c.Size(0));
            var scales = new List<string>(c.Size(0));
            for (int k = 0; k < c.Size(0); k++)
            {
                offsets.Add(InputOffsetName(k));
                scales.Add(InputScaleName(k));
            }

            w.WriteLine("private " + c.T + " " + string.Join(", ", offsets) + ";");
            w.WriteLine("private " + c.T + " " + string.Join(", ", scales) + ";");
        }

        public static void EmitMembers(SourceWriter w, EmitContext c, string remarks, string span, string readOnlySpan)
        {
            if (!c.Spec.InputScaling)
            {
                return;
            }

            if (!c.Spec.IsBaked)
            {
                w.WriteLine();
                w.WriteLine("/// <summary>");
                w.WriteLine("/// Sets the input scaling: every member then computes a⁰ₖ = (xₖ − μₖ)·sₖ before layer 1, with μ from");
                w.WriteLine("/// <paramref name=\"offset\"/> and s from <paramref name=\"scale\"/>. The parameters are left as they are.");
                w.WriteLine("/// </summary>");
                w.WriteLine("/// <param name=\"offset\">μ, one finite value per input; of length <see cref=\"InputCount\"/>.</param>");
                w.WriteLine("/// <param name=\"scale\">s, one finite value other than 0 per input; of length <see cref=\"InputCount\"/>.</param>");
                w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, an offset is NaN or ±∞, or a scale is NaN, ±∞ or 0; nothing changed.</exception>");
                w.WriteLine(remarks);
                NetworkEmitter.OpenMethod(w, "public void SetInputScaling(" + readOnlySpan + " offset, " + readOnlySpan + " scale)");
                w.WriteLine("global::BackpropGen.NetworkThrowHelper.CheckInputScaling(offset, scale, InputCount);");
                ForEachInput(w, c, k => new[] { InputOffsetName(k) + " = offset[" + Count(k) + "];", InputScaleName(k) + " = scale[" + Count(k) + "];" }, "BpgSetInputScaling", readOnlySpan + " offset, " + readOnlySpan + " scale");
                w.CloseBrace();
            }

            w.WriteLine();
            w.WriteLine("/// <summary>Writes the input scaling's μ into <paramref name=\"offset\"/> and s into <paramref name=\"scale\"/> (a⁰ₖ = (xₖ − μₖ)·sₖ).</summary>");
            w.WriteLine("/// <param name=\"offset\">Receives μ; of length <see cref=\"InputCount\"/>.</param>");
            w.WriteLine("/// <param name=\"scale\">Receives s; of length <see cref=\"InputCount\"/>.</param>");
            w.WriteLine(remarks);
            NetworkEmitter.OpenMethod(w, "public void CopyInputScalingTo(" + span + " offset, " + span + " scale)");
            NetworkEmitter.CheckLength(w, "offset", "InputCount");
            NetworkEmitter.CheckLength(w, "scale", "InputCount");
            ForEachInput(w, c, k => new[] { "offset[" + Count(k) + "] = " + c.InputOffset(k) + ";", "scale[" + Count(k) + "] = " + c.InputScale(k) + ";" }, "BpgCopyInputScaling", span + " offset, " + span + " scale");
            w.CloseBrace();
        }

        /// <summary>The statements of every input, in private blocks of <see cref="BlockSize"/> inputs for a split network.</summary>
        private static void ForEachInput(SourceWriter w, EmitContext c, System.Func<int, string[]> statements, string blockName, string blockParameters)
        {
            int inputs = c.Size(0);
            if (!c.IsSplit)
            {
                Write(w, statements, 0, inputs);
                return;
            }

            for (int start = 0, block = 0; start < inputs; start += BlockSize, block++)
            {
                int first = start;
                int end = System.Math.Min(inputs, start + BlockSize);
                string name = blockName + Count(block);
                w.WriteLine(name + "(offset, scale);");
                c.AddMethod("// Inputs [" + Count(first) + ".." + Count(end) + ")", "private void " + name + "(" + blockParameters + ")", body => Write(body, statements, first, end));
            }
        }

        private static void Write(SourceWriter w, System.Func<int, string[]> statements, int start, int end)
        {
            for (int k = start; k < end; k++)
            {
                foreach (string statement in statements(k))
                {
                    w.WriteLine(statement);
                }
            }
        }
    }
}
