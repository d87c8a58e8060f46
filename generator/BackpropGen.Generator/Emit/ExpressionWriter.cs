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
