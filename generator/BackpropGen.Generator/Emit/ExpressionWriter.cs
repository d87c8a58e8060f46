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

        /// <summary>How many fused weighted sums <see cref="WriteDots"/> runs side by side, each in its own local (<see cref="DotLocals"/>).</summary>
        public const int InterleavedDots = 4;

        /// <summary>The locals of the fused sums of a network whose widest layer has <paramref name="widest"/> neurons: dot, dot1, … (at most <see cref="InterleavedDots"/>).</summary>
        public static string DotLocals(int widest)
        {
            var names = new List<string>(InterleavedDots);
            for (int i = 0; i < System.Math.Min(widest, InterleavedDots); i++)
            {
                names.Add(DotLocalOf(i));
            }

            return string.Join(", ", names);
        }

        public static string DotLocalOf(int i) => i == 0 ? DotLocal : DotLocal + EmitContext.Count(i);

        /// <summary>
        /// The weighted sums of a layer's neurons (<see cref="WriteDot"/> each). Where the algebra fuses multiply-adds,
        /// up to <see cref="InterleavedDots"/> neighbours' chains are written term by term side by side, each in its
        /// own local: one chain is a multiply-add waiting on the one before, and four let the processor run four at
        /// once (8-16-8's ForwardBatch: 2.3 → 1.6 µs). Each sum still adds its terms in the same order.
        /// </summary>
        public static void WriteDots(SourceWriter w, Algebra x, IReadOnlyList<(string Declaration, IReadOnlyList<(string Left, string Right)> Products, string? Bias, string? Factor)> dots)
        {
            if (!x.FusesMultiplyAdd)
            {
                foreach (var dot in dots)
                {
                    WriteDot(w, x, dot.Declaration, dot.Products, dot.Bias, dot.Factor);
                }

                return;
            }

            for (int start = 0; start < dots.Count; start += InterleavedDots)
            {
                int count = System.Math.Min(InterleavedDots, dots.Count - start);
                for (int i = 0; i < count; i++)
                {
                    var dot = dots[start + i];
                    w.WriteLine(DotLocalOf(i) + " = " + (dot.Bias ?? dot.Products[0].Left + " * " + dot.Products[0].Right) + ";");
                }

                int terms = dots[start].Products.Count;
                for (int t = dots[start].Bias is null ? 1 : 0; t < terms; t++)
                {
                    for (int i = 0; i < count; i++)
                    {
                        var (left, right) = dots[start + i].Products[t];
                        w.WriteLine(DotLocalOf(i) + " = " + x.MultiplyAdd(left, right, DotLocalOf(i)) + ";");
                    }
                }

                for (int i = 0; i < count; i++)
                {
                    var dot = dots[start + i];
                    w.WriteLine(dot.Declaration + " = " + (dot.Factor is null ? DotLocalOf(i) : DotLocalOf(i) + " * " + Parenthesize(dot.Factor)) + ";");
                }
            }
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
