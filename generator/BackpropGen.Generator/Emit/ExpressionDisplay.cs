using System.Collections.Generic;
using System.Text;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// Reads an expression exactly as the emitters wrote it (names from <see cref="EmitContext"/>,
    /// literals, + − × ÷, System.Math calls) and renders it two ways for <c>ExplainStep</c>: in MATH.md's
    /// notation (<c>w¹₀₀·a⁰₀ + b¹₀</c>) and as C# that writes the same expression with every value
    /// replaced by its number at run time. Nothing is computed twice: the trace shows the very
    /// expression the step evaluates.
    /// </summary>
    internal static class ExpressionDisplay
    {
        /// <summary>One piece of a rendered expression: fixed text, or a C# expression whose value is printed.</summary>
        private readonly struct Piece
        {
            public Piece(string text, bool isValue)
            {
                Text = text;
                IsValue = isValue;
            }

            public string Text { get; }

            public bool IsValue { get; }
        }

        /// <summary>The expression in MATH.md's notation.</summary>
        public static string Notation(string expression)
        {
            var text = new StringBuilder();
            foreach (Piece piece in Parse(expression))
            {
                text.Append(piece.IsValue ? NameOf(piece.Text) : piece.Text);
            }

            return Tidy(text.ToString());
        }

        /// <summary>True when the expression reads at least one value (a name), so printing its numbers says something.</summary>
        public static bool HasValues(string expression)
        {
            foreach (Piece piece in Parse(expression))
            {
                if (piece.IsValue)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when the expression is a single name (a⁰₀ = x₀): its numbers would only repeat its value.</summary>
        public static bool IsSingleValue(string expression)
        {
            List<Piece> pieces = Parse(expression);
            return pieces.Count == 1 && pieces[0].IsValue;
        }

        /// <summary>
        /// A C# string expression that, evaluated where <paramref name="expression"/> is, gives the
        /// expression with each value as its number: <c>"0.15·0.05 + 0.35"</c>.
        /// </summary>
        public static string Numbers(string expression)
        {
            var parts = new List<string>();
            var text = new StringBuilder();
            foreach (Piece piece in Parse(expression))
            {
                if (piece.IsValue)
                {
                    if (text.Length > 0)
                    {
                        parts.Add(Quote(Tidy(text.ToString())));
                        text.Clear();
                    }

                    parts.Add(Term(piece.Text));
                }
                else
                {
                    text.Append(piece.Text);
                }
            }

            if (text.Length > 0)
            {
                parts.Add(Quote(Tidy(text.ToString())));
            }

            return string.Join(" + ", parts);
        }

        /// <summary>The run-time text of one value.</summary>
        public static string Number(string value) => "global::BackpropGen.Explanation.Number(" + value + ")";

        /// <summary>The run-time text of a value inside an expression: a negative one in parentheses, so "0.5·(-0.25)" reads as a product.</summary>
        public static string Term(string value) => "global::BackpropGen.Explanation.Term(" + value + ")";

        /// <summary>A C# string literal.</summary>
        public static string Quote(string text)
        {
            var quoted = new StringBuilder(text.Length + 2).Append('"');
            foreach (char ch in text)
            {
                quoted.Append(ch switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    _ => ch.ToString(),
                });
            }

            return quoted.Append('"').ToString();
        }

        /// <summary>The notation of a name the emitters use (a field, a signal, a span element), or the name itself.</summary>
        public static string NameOf(string name)
        {
            if (name == LossEmitter.LossLocal)
            {
                return "C";
            }

            if (name == "learningRate")
            {
                return "α";
            }

            if (TryIndexed(name, "input[", out int input))
            {
                return "x" + Sub(input);
            }

            if (TryIndexed(name, "target[", out int target))
            {
                return "y" + Sub(target);
            }

            int[]? numbers;
            if ((numbers = Indexes(name, "_bpgInputOffset")) is { Length: 1 })
            {
                return "μ" + Sub(numbers[0]);
            }

            if ((numbers = Indexes(name, "_bpgInputScale")) is { Length: 1 })
            {
                return "s" + Sub(numbers[0]);
            }

            // The read of a scale field that reads a stored 0 as 1 (StoredScale): still sₖ.
            if (name.StartsWith("(_bpgInputScale", System.StringComparison.Ordinal) &&
                Indexes(name.Substring(1, name.IndexOf(' ') - 1), "_bpgInputScale") is { Length: 1 } scale)
            {
                return "s" + Sub(scale[0]);
            }

            if ((numbers = Indexes(name, "_w")) is { Length: 3 })
            {
                return "w" + Sup(numbers[0]) + Sub(numbers[1], numbers[2]);
            }

            if ((numbers = Indexes(name, "_b")) is { Length: 2 })
            {
                return "b" + Sup(numbers[0]) + Sub(numbers[1]);
            }

            foreach ((string prefix, string symbol) in s_signals)
            {
                if ((numbers = Indexes(name, prefix)) is { Length: 2 })
                {
                    return symbol + Sup(numbers[0]) + Sub(numbers[1]);
                }
            }

            if ((numbers = Indexes(name, "e")) is { Length: 1 })
            {
                return "e" + Sub(numbers[0]);
            }

            if ((numbers = Indexes(name, "y")) is { Length: 1 })
            {
                return "y" + Sub(numbers[0]);
            }

            // A softmax layer's max, Σ of exponentials and its log.
            if ((numbers = Indexes(name, "m")) is { Length: 1 })
            {
                return "m" + Sup(numbers[0]);
            }

            if ((numbers = Indexes(name, "sum")) is { Length: 1 })
            {
                return "S" + Sup(numbers[0]);
            }

            if ((numbers = Indexes(name, "lnsum")) is { Length: 1 })
            {
                return "ln S" + Sup(numbers[0]);
            }

            return name;
        }

        // z, a and δ of neuron j in layer l; s is e^(zˡⱼ − m) of a softmax layer.
        private static readonly (string Prefix, string Symbol)[] s_signals =
        {
            ("z", "z"), ("a", "a"), ("d", "δ"), ("s", "s"),
        };

        private static List<Piece> Parse(string expression)
        {
            var pieces = new List<Piece>();
            int i = 0;
            while (i < expression.Length)
            {
                char ch = expression[i];
                if (char.IsLetter(ch) || ch == '_')
                {
                    int start = i;
                    while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] is '_' or '.' or ':'))
                    {
                        i++;
                    }

                    // input[k], target[j], gradient[i]: an element is one value.
                    if (i < expression.Length && expression[i] == '[')
                    {
                        int close = expression.IndexOf(']', i);
                        i = close < 0 ? expression.Length : close + 1;
                    }

                    string name = expression.Substring(start, i - start);
                    pieces.Add(Function(name) is { } function ? new Piece(function, isValue: false) : IsConstant(name) ? new Piece(name, false) : new Piece(name, true));
                }
                else if (char.IsDigit(ch))
                {
                    int start = i;
                    while (i < expression.Length && (char.IsDigit(expression[i]) || expression[i] == '.'
                        || ((expression[i] is 'E' or 'e') && i + 1 < expression.Length)
                        || ((expression[i] is '+' or '-') && expression[i - 1] is 'E' or 'e')))
                    {
                        i++;
                    }

                    // The literal's type suffix says nothing to a reader.
                    if (i < expression.Length && expression[i] is 'f' or 'd')
                    {
                        i++;
                    }

                    pieces.Add(new Piece(expression.Substring(start, i - start).TrimEnd('f', 'd'), false));
                }
                else if (ch == '(' && StoredScale(expression, i) is { } scale)
                {
                    // sₖ as EmitContext.InputScale reads its field (a stored 0 reads as 1): one value, printed as it is used.
                    pieces.Add(new Piece(scale, true));
                    i += scale.Length;
                }
                else if (ch == '(' && Cast(expression, i) is { } cast)
                {
                    // (float)global::System.Math.Exp(…) on targets without MathF: the cast is not mathematics.
                    i += cast.Length;
                }
                else
                {
                    pieces.Add(new Piece(ch switch
                    {
                        '*' => "·",
                        '-' => "−",
                        _ => ch.ToString(),
                    }, false));
                    i++;
                }
            }

            return pieces;
        }

        /// <summary>
        /// <c>(_bpgInputScaleₖ == 0 ? 1 : _bpgInputScaleₖ)</c> at <paramref name="at"/>, the whole
        /// parenthesized read of one scale field (<see cref="EmitContext.InputScale"/>), or null.
        /// </summary>
        private static string? StoredScale(string expression, int at)
        {
            string field = EmitContext.InputScaleName(0).TrimEnd('0');
            if (string.CompareOrdinal(expression, at + 1, field, 0, field.Length) != 0)
            {
                return null;
            }

            int close = expression.IndexOf(')', at);
            string read = close < 0 ? string.Empty : expression.Substring(at, close - at + 1);
            return read.IndexOf(" ? ", System.StringComparison.Ordinal) > 0 ? read : null;
        }

        private static string? Cast(string expression, int at)
        {
            foreach (string cast in new[] { "(float)", "(double)" })
            {
                if (string.CompareOrdinal(expression, at, cast, 0, cast.Length) == 0)
                {
                    return cast;
                }
            }

            return null;
        }

        /// <summary>System.Math/MathF calls and FastActivation, named as a reader knows them.</summary>
        private static string? Function(string name)
        {
            foreach (string prefix in new[] { "global::System.MathF.", "global::System.Math." })
            {
                if (name.StartsWith(prefix, System.StringComparison.Ordinal))
                {
                    string function = name.Substring(prefix.Length);
                    return function switch
                    {
                        "Log" => "ln",
                        "Sqrt" => "√",
                        _ => function.ToLowerInvariant(),
                    };
                }
            }

            const string Fast = "global::BackpropGen.";
            return name.StartsWith(Fast, System.StringComparison.Ordinal) ? name.Substring(Fast.Length) : null;
        }

        private static bool IsConstant(string name) => name is "float.MaxValue" or "double.MaxValue";

        /// <summary>Spaces around × are noise in notation: w¹₀₀·a⁰₀.</summary>
        private static string Tidy(string text) => text.Replace(" · ", "·");

        private static bool TryIndexed(string name, string prefix, out int index)
        {
            index = 0;
            return name.StartsWith(prefix, System.StringComparison.Ordinal) && name.EndsWith("]", System.StringComparison.Ordinal)
                && int.TryParse(name.Substring(prefix.Length, name.Length - prefix.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
        }

        /// <summary>The numbers of a name like <c>_w1_0_2</c> after <paramref name="prefix"/>, or null when it is not one.</summary>
        private static int[]? Indexes(string name, string prefix)
        {
            if (!name.StartsWith(prefix, System.StringComparison.Ordinal) || name.Length == prefix.Length)
            {
                return null;
            }

            string[] parts = name.Substring(prefix.Length).Split('_');
            var numbers = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length == 0 || !int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out numbers[i]))
                {
                    return null;
                }
            }

            return numbers;
        }
    }
}
