using System.Collections.Generic;
using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The Forward overload of a network with InputNames/OutputNames: the values as named arguments
    /// (<c>Forward(float speed, float distance, out float jump)</c>), passed through stack spans to
    /// the span-based Forward: no allocation, one source of truth.
    /// </summary>
    internal static class NamedForwardEmitter
    {
        private const string InputBuffer = "backpropGenInput";
        private const string OutputBuffer = "backpropGenOutput";

        public static void Emit(SourceWriter w, EmitContext c, string remarks, string generatedCode)
        {
            IReadOnlyList<string> inputs = c.Spec.InputNames;
            IReadOnlyList<string> outputs = c.Spec.OutputNames;
            if (inputs.Count == 0 && outputs.Count == 0)
            {
                return;
            }

            var parameters = new List<string>();
            w.WriteLine();
            w.WriteLine("/// <summary>Runs the network on named values (the span-based Forward does the work).</summary>");
            if (inputs.Count > 0)
            {
                for (int k = 0; k < inputs.Count; k++)
                {
                    w.WriteLine("/// <param name=\"" + inputs[k] + "\">Input " + Count(k) + ", a⁰" + Notation.Sub(k) + ".</param>");
                    parameters.Add(c.T + " " + inputs[k]);
                }
            }
            else
            {
                w.WriteLine("/// <param name=\"input\">The input x, of length <see cref=\"InputCount\"/>.</param>");
                parameters.Add("global::System.ReadOnlySpan<" + c.T + "> input");
            }

            if (outputs.Count > 0)
            {
                for (int j = 0; j < outputs.Count; j++)
                {
                    w.WriteLine("/// <param name=\"" + outputs[j] + "\">Receives output " + Count(j) + ", aᴸ" + Notation.Sub(j) + ".</param>");
                    parameters.Add("out " + c.T + " " + outputs[j]);
                }
            }
            else
            {
                w.WriteLine("/// <param name=\"output\">Receives aᴸ; of length <see cref=\"OutputCount\"/>.</param>");
                parameters.Add("global::System.Span<" + c.T + "> output");
            }

            w.WriteLine(remarks);
            w.WriteLine(generatedCode);
            w.OpenBlock("public void Forward(" + string.Join(", ", parameters) + ")");
            string input = "input";
            if (inputs.Count > 0)
            {
                w.WriteLine("global::System.Span<" + c.T + "> " + InputBuffer + " = stackalloc " + c.T + "[" + Count(inputs.Count) + "] { " + string.Join(", ", inputs) + " };");
                input = InputBuffer;
            }

            string output = "output";
            if (outputs.Count > 0)
            {
                w.WriteLine("global::System.Span<" + c.T + "> " + OutputBuffer + " = stackalloc " + c.T + "[" + Count(outputs.Count) + "];");
                output = OutputBuffer;
            }

            w.WriteLine("Forward(" + input + ", " + output + ");");
            for (int j = 0; j < outputs.Count; j++)
            {
                w.WriteLine(outputs[j] + " = " + OutputBuffer + "[" + Count(j) + "];");
            }

            w.CloseBrace();
        }
    }
}
