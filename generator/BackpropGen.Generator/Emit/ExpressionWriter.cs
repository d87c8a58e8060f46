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

        /// <summary>The first local a fused weighted sum accumulates in (<see cref="WriteDots"/>), declared by the shape that fuses.</summary>
        public const string DotLocal = "dot";

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

        private static string DotLocalOf(int i) => i == 0 ? DotLocal : DotLocal + EmitContext.Count(i);

        /// <summary>
        /// Writes each sum's <c>declaration = start + Σ left × right</c> (the sum starting from its first product when
        /// <see cref="WeightedSum.Start"/> is null), times its factor when it has one. Where the algebra fuses multiply-adds,
        /// each is a chain of <see cref="Algebra.MultiplyAdd"/>, one per product in order, and up to
        /// <see cref="InterleavedDots"/> neighbours' chains are written term by term side by side, each in its own local:
        /// one chain is a multiply-add waiting on the one before, and four let the processor run four at once (8-16-8's
        /// ForwardBatch: 2.3 → 1.6 µs). Elsewhere each is <see cref="WriteSum"/> of the products' text and the start, as
        /// every scalar shape writes it.
        /// </summary>
        public static void WriteDots(SourceWriter w, Algebra x, IReadOnlyList<WeightedSum> sums)
        {
            if (!x.FusesMultiplyAdd)
            {
                foreach (WeightedSum sum in sums)
                {
                    var terms = new List<string>(sum.Products.Count + 1);
                    foreach ((string left, string right) in sum.Products)
                    {
                        terms.Add(left + " * " + right);
                    }

                    if (sum.Start is not null)
                    {
                        terms.Add(sum.Start);
                    }

                    WriteSum(w, sum.Declaration ?? throw EmitContext.Unreachable("a stored sum in a shape that does not fuse"), terms, sum.Factor);
                }

                return;
            }

            for (int first = 0; first < sums.Count; first += InterleavedDots)
            {
                int count = System.Math.Min(InterleavedDots, sums.Count - first);
                for (int i = 0; i < count; i++)
                {
                    WeightedSum sum = sums[first + i];
                    w.WriteLine(DotLocalOf(i) + " = " + (sum.Start ?? sum.Products[0].Left + " * " + sum.Products[0].Right) + ";");
                }

                for (int t = sums[first].Start is null ? 1 : 0; t < sums[first].Products.Count; t++)
                {
                    for (int i = 0; i < count; i++)
                    {
                        var (left, right) = sums[first + i].Products[t];
                        w.WriteLine(DotLocalOf(i) + " = " + x.MultiplyAdd(left, right, DotLocalOf(i)) + ";");
                    }
                }

                for (int i = 0; i < count; i++)
                {
                    WeightedSum sum = sums[first + i];
                    string value = sum.Factor is null ? DotLocalOf(i) : DotLocalOf(i) + " * " + Parenthesize(sum.Factor);
                    w.WriteLine((sum.Store is null ? sum.Declaration + " = " + value : sum.Store(value)) + ";");
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

    /// <summary>
    /// One weighted sum for <see cref="ExpressionWriter.WriteDots"/>: <paramref name="Start"/> (a bias, or the value the
    /// products add to; null: none) plus Σ left × right of <paramref name="Products"/> (all sums written together have as
    /// many), times <paramref name="Factor"/>; written as <paramref name="Declaration"/> = value, or as the statement
    /// <paramref name="Store"/> makes of the value (the batch shape's weight gradients, stored into gradient).
    /// </summary>
    internal sealed record WeightedSum(
        string? Declaration,
        IReadOnlyList<(string Left, string Right)> Products,
        string? Start,
        string? Factor = null,
        System.Func<string, string>? Store = null);
}
