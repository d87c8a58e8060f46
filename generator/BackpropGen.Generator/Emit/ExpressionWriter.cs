using System.Collections.Generic;

namespace BackpropGen.Generator.Emit
{
    internal static class ExpressionWriter
    {
        private const int TermsPerLine = 8;

        /// <summary>
        /// Writes <c>declaration = t0 + t1 + …;</c>, eight terms to a line, so wide layers stay readable.
        /// <paramref name="factor"/> turns the sum into <c>(sum) * factor</c>.
        /// </summary>
        public static void WriteSum(SourceWriter w, string declaration, IReadOnlyList<string> terms, string? factor = null)
        {
            string open = factor is null ? string.Empty : "(";
            string close = factor is null ? ";" : ") * " + Parenthesize(factor) + ";";
            if (terms.Count <= TermsPerLine)
            {
                w.WriteLine(declaration + " = " + open + string.Join(" + ", terms) + close);
                return;
            }

            w.WriteLine(declaration + " = " + open + string.Join(" + ", Slice(terms, 0)));
            w.Indent();
            for (int start = TermsPerLine; start < terms.Count; start += TermsPerLine)
            {
                bool last = start + TermsPerLine >= terms.Count;
                w.WriteLine("+ " + string.Join(" + ", Slice(terms, start)) + (last ? close : string.Empty));
            }

            w.Unindent();
        }

        /// <summary>The local a fused weighted sum accumulates in (<see cref="WriteDot"/>), declared once per method by the shape that fuses.</summary>
        public const string DotLocal = "dot";

        /// <summary>
        /// Writes <c>declaration = Σ left × right (+ bias)</c>, times <paramref name="factor"/> when given. Where the
        /// algebra fuses multiply-adds, as a chain of them in <see cref="DotLocal"/> (the bias first, then one
        /// <see cref="Algebra.MultiplyAdd"/> per product, in order); elsewhere as <see cref="WriteSum"/> of the
        /// products' text and the bias, as every scalar shape writes it.
        /// </summary>
        public static void WriteDot(SourceWriter w, Algebra x, string declaration, IReadOnlyList<(string Left, string Right)> products, string? bias, string? factor = null)
        {
            if (!x.FusesMultiplyAdd)
            {
                var terms = new List<string>(products.Count + 1);
                foreach ((string left, string right) in products)
                {
                    terms.Add(left + " * " + right);
                }

                if (bias is not null)
                {
                    terms.Add(bias);
                }

                WriteSum(w, declaration, terms, factor);
                return;
            }

            int first = 0;
            if (bias is not null)
            {
                w.WriteLine(DotLocal + " = " + bias + ";");
            }
            else
            {
                w.WriteLine(DotLocal + " = " + products[0].Left + " * " + products[0].Right + ";");
                first = 1;
            }

            for (int i = first; i < products.Count; i++)
            {
                w.WriteLine(DotLocal + " = " + x.MultiplyAdd(products[i].Left, products[i].Right, DotLocal) + ";");
            }

            w.WriteLine(declaration + " = " + (factor is null ? DotLocal : DotLocal + " * " + Parenthesize(factor)) + ";");
        }

        /// <summary>Wraps an expression in parentheses unless it is a single name or literal.</summary>
        public static string Parenthesize(string expression)
        {
            foreach (char c in expression)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '.'))
                {
                    return "(" + expression + ")";
                }
            }

            return expression;
        }

        private static IEnumerable<string> Slice(IReadOnlyList<string> terms, int start)
        {
            for (int i = start; i < terms.Count && i < start + TermsPerLine; i++)
            {
                yield return terms[i];
            }
        }
    }
}
