using System.Collections.Generic;
using System.Globalization;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.ExpressionDisplay;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// <c>Explain = true</c>: each parameter's chain rule as a comment above its gradient, and
    /// <c>ExplainStep</c>, which runs TrainStep's own statements (<see cref="NetworkEmitter.EmitSampleStatements"/>)
    /// with a line written after each one: the quantity, its equation, the equation with the numbers
    /// it was computed from, and the result. The statements are TrainStep's, unchanged, so the step
    /// leaves the parameters exactly as TrainStep does; the lines only read what the step computed.
    /// An explained network is always unsplit and scalar (see <see cref="EmitContext.IsVector"/>).
    /// </summary>
    internal static class ExplainEmitter
    {
        private const string Writer = "writer";
        private const string Before = "explainBefore";

        public static void EmitExplainStep(SourceWriter w, EmitContext c, string remarks)
        {
            if (c.IsSplit)
            {
                throw Unreachable("ExplainStep of a split network");
            }

            GradientUse use = NetworkEmitter.TrainStepUse(c);
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            w.WriteLine();
            w.WriteLine("/// <summary>");
            w.WriteLine("/// Performs exactly <see cref=\"TrainStep\"/> (the same parameters and optimizer state afterwards, bit for bit)");
            w.WriteLine("/// and writes every quantity to <paramref name=\"writer\"/> as it is computed: each zˡⱼ with its terms, each aˡⱼ,");
            w.WriteLine("/// the loss, each δˡⱼ, each gradient and each updated parameter, as its equation, the same equation with");
            w.WriteLine("/// the numbers it was computed from, and the result (invariant culture, shortest round-trip text).");
            w.WriteLine("/// </summary>");
            w.WriteLine("/// <param name=\"input\">The input x, of length <see cref=\"InputCount\"/>.</param>");
            w.WriteLine("/// <param name=\"target\">The target y, of length <see cref=\"OutputCount\"/>.</param>");
            w.WriteLine("/// <param name=\"learningRate\">The step size α.</param>");
            w.WriteLine("/// <param name=\"writer\">Receives the explanation, one line per quantity.</param>");
            w.WriteLine("/// <returns>What <see cref=\"TrainStep\"/> returns: the loss C of the step's forward pass, or NaN when the step was refused (then nothing changed, and the explanation says why).</returns>");
            w.WriteLine(remarks);
            NetworkEmitter.OpenMethod(w, "public " + c.T + " ExplainStep(" + readOnlySpan + " input, " + readOnlySpan + " target, " + c.T + " learningRate, global::System.IO.TextWriter " + Writer + ")");
            NetworkEmitter.CheckLength(w, "input", "InputCount");
            NetworkEmitter.CheckLength(w, "target", "OutputCount");
            w.WriteLine("if (" + Writer + " is null) throw new global::System.ArgumentNullException(nameof(" + Writer + "));");
            WriteLine(w, "One training step of " + c.Spec.TypeName + " (" + c.Spec.Optimizer.Kind + ", " + LossEmitter.Formula(c.Spec.Loss) + "), α = ", Number("learningRate"));
            if (use == GradientUse.Store)
            {
                // ApplyGradient updates every parameter at once; the old values are kept to show each change.
                w.WriteLine("global::System.Span<" + c.T + "> " + Before + " = stackalloc " + c.T + "[ParameterCount];");
                w.WriteLine("CopyParametersTo(" + Before + ");");
            }

            var body = new SourceWriter();
            NetworkEmitter.EmitSampleStatements(body, c, use);
            var names = new Dictionary<int, string>();
            foreach ((string name, int index, _) in c.Parameters())
            {
                names[index] = name;
            }

            foreach (string statement in Statements(body.ToString().TrimEnd('\n')))
            {
                Trace(w, c, statement, names);
            }

            w.CloseBrace();
        }

        /// <summary>The comment above the gradient (or update) statement of w^l_jk: its chain rule with concrete indices.</summary>
        public static string WeightComment(EmitContext c, int l, int j, int k) =>
            "// " + ChainRule(c, l, j, "w" + Sup(l) + Sub(j, k), "a" + Sup(l - 1) + Sub(k));

        /// <summary>The comment above the gradient (or update) statement of b^l_j.</summary>
        public static string BiasComment(EmitContext c, int l, int j) =>
            "// " + ChainRule(c, l, j, "b" + Sup(l) + Sub(j), null);

        /// <summary>
        /// ∂C/∂θ for a parameter of neuron j in layer l, where <paramref name="input"/> is ∂zˡⱼ/∂θ (aˡ⁻¹ₖ for a
        /// weight, 1 for a bias): through δ of the next layer for a hidden neuron, every path to the loss
        /// written out (a weight is a constant of the pass, so no ∂w/∂a term); through δᴸ for an output.
        /// </summary>
        private static string ChainRule(EmitContext c, int l, int j, string parameter, string? input)
        {
            string z = "z" + Sup(l) + Sub(j);
            string a = "a" + Sup(l) + Sub(j);
            string delta = "δ" + Sup(l) + Sub(j);
            string decay = c.Spec.Optimizer.WeightDecay > 0 ? "; the step adds λ " + parameter + " (weight decay)" : string.Empty;
            if (l == c.L)
            {
                return "∂C/∂" + parameter + " = " + (input is null ? delta : input + " · " + delta) + ", " + delta + " = " + OutputDelta(c, j) + decay;
            }

            string up = Sup(l + 1);
            var paths = new List<string>(c.Size(l + 1));
            for (int m = 0; m < c.Size(l + 1); m++)
            {
                paths.Add("w" + up + Sub(m, j) + " δ" + up + Sub(m));
            }

            string? sigmaPrime = Derivative(c, l, j);
            return "∂C/∂" + parameter + " = ∂" + z + "/∂" + parameter + " · ∂" + a + "/∂" + z + " · Σₘ ∂z" + up + "ₘ/∂" + a + " · δ" + up + "ₘ = "
                + (input ?? "1") + " · σ'(" + z + ") · (" + string.Join(" + ", paths) + ")"
                + ", σ'(" + z + ") = " + (sigmaPrime ?? "1") + decay;
        }

        /// <summary>δᴸⱼ in terms of aᴸⱼ and yⱼ, saying when the loss and the output activation are fused.</summary>
        private static string OutputDelta(EmitContext c, int j)
        {
            string up = Sup(c.L);
            string a = "a" + up + Sub(j);
            string y = "y" + Sub(j);
            string n = Count(c.Size(c.L));
            string chain = "∂C/∂" + a + " · σ'(z" + up + Sub(j) + ") = ";
            return c.Spec.Loss switch
            {
                LossFunction.HalfSquaredError => chain + "(" + a + " − " + y + ") · " + (Derivative(c, c.L, j) ?? "1"),
                LossFunction.MeanSquaredError => chain + "2 (" + a + " − " + y + ") / " + n + " · " + (Derivative(c, c.L, j) ?? "1"),
                LossFunction.BinaryCrossEntropy => "(" + a + " − " + y + ") / " + n + " (sigmoid and binary cross-entropy fused: σ' cancels)",
                LossFunction.CrossEntropy => a + " − " + y + " (softmax and cross-entropy fused)",
                _ => throw Unreachable(c.Spec.Loss),
            };
        }

        /// <summary>σ'(zˡⱼ) of this neuron in notation, from the activation's one rule; null when it is 1.</summary>
        private static string? Derivative(EmitContext c, int l, int j) =>
            ActivationMath.Derivative(NotationAlgebra.Instance, c.ActivationOf(l), "z" + Sup(l) + Sub(j), "a" + Sup(l) + Sub(j)) is { } text
                ? text.Replace(" * (", " (").Replace(" * ", "·").Replace(" - ", " − ")
                : null;

        /// <summary>The sample body's text as statements: comments and blank lines as they are, wrapped sums joined.</summary>
        private static IEnumerable<string> Statements(string body)
        {
            string pending = string.Empty;
            foreach (string raw in body.Split('\n'))
            {
                string line = raw.Trim();
                if (pending.Length == 0 && (line.Length == 0 || line.StartsWith("//", System.StringComparison.Ordinal)))
                {
                    yield return line;
                    continue;
                }

                pending = pending.Length == 0 ? line : pending + " " + line;
                if (line.EndsWith(";", System.StringComparison.Ordinal))
                {
                    yield return pending;
                    pending = string.Empty;
                }
            }

            if (pending.Length > 0)
            {
                throw Unreachable("an unfinished statement in the sample body: " + pending);
            }
        }

        /// <summary>Writes one of TrainStep's statements into ExplainStep, with what it computes written out around it.</summary>
        private static void Trace(SourceWriter w, EmitContext c, string statement, Dictionary<int, string> names)
        {
            if (statement.Length == 0)
            {
                // The step's sections stay apart in the explanation too.
                w.WriteLine();
                w.WriteLine(Writer + ".WriteLine();");
                return;
            }

            if (statement.StartsWith("//", System.StringComparison.Ordinal))
            {
                w.WriteLine(statement);

                // Equations and section headers are part of the explanation; remarks on the code are not.
                string text = statement.Substring(2).Trim();
                if (text.Contains(" = ") || text.StartsWith("Layer ", System.StringComparison.Ordinal))
                {
                    w.WriteLine(Writer + ".WriteLine(" + Quote(text) + ");");
                }

                return;
            }

            string refusal = ") return " + c.T + ".NaN;";
            if (statement.StartsWith("if (", System.StringComparison.Ordinal) && statement.EndsWith(refusal, System.StringComparison.Ordinal))
            {
                bool apply = statement.Contains("ApplyGradient(");
                w.OpenBlock(statement.Substring(0, statement.Length - refusal.Length + 1));
                w.WriteLine(Writer + ".WriteLine(" + Quote(apply
                    ? "The step is refused: the gradient or α holds NaN or ±∞ (or, with Adam, a g² that overflows). Nothing changed; the result is NaN."
                    : "The step is refused: an input, a target, an activation or a δ holds NaN or ±∞, or the change would overflow. Nothing changed; the result is NaN.") + ");");
                w.WriteLine("return " + c.T + ".NaN;");
                w.CloseBrace();
                if (apply)
                {
                    TraceOptimizerStep(w, c);
                }

                return;
            }

            const string Descend = " -= learningRate * ";
            int descend = statement.IndexOf(Descend, System.StringComparison.Ordinal);
            if (descend > 0)
            {
                // θ ← θ − α ∂C/∂θ in place: the gradient with its numbers, then the old value, the statement, the new value.
                string field = statement.Substring(0, descend);
                string gradient = statement.Substring(descend + Descend.Length).TrimEnd(';');
                string parameter = NameOf(field);
                Gradient(w, parameter, Unwrap(gradient), gradient);
                Write(w, parameter + " ← " + parameter + " − α·∂C/∂" + parameter + " = ", Number(field), " − ", Term("learningRate"), "·", Term(gradient));
                w.WriteLine(statement);
                WriteLine(w, " = ", Number(field));
                return;
            }

            const string Store = "gradient[";
            if (statement.StartsWith(Store, System.StringComparison.Ordinal) && statement.Contains("] = "))
            {
                int close = statement.IndexOf(']');
                int index = int.Parse(statement.Substring(Store.Length, close - Store.Length), CultureInfo.InvariantCulture);
                string gradient = statement.Substring(close + 4).TrimEnd(';');
                w.WriteLine(statement);
                Gradient(w, NameOf(names[index]), gradient, statement.Substring(0, close + 1));
                return;
            }

            string declaration = c.T + " ";
            if (statement.StartsWith(declaration, System.StringComparison.Ordinal) || IsReassignment(statement))
            {
                string rest = statement.StartsWith(declaration, System.StringComparison.Ordinal) ? statement.Substring(declaration.Length) : statement;
                int equals = rest.IndexOf(" = ", System.StringComparison.Ordinal);
                string name = rest.Substring(0, equals);
                string expression = rest.Substring(equals + 3).TrimEnd(';');
                if (IsExplained(name, expression))
                {
                    // y₀ = target[0] reads "y₀ = 0.01", not "y₀ = y₀ = 0.01".
                    string notation = Notation(expression);
                    var pieces = new List<string> { Quote(NameOf(name) + (notation == NameOf(name) ? string.Empty : " = " + notation)) };
                    if (!IsSingleValue(expression) && HasValues(expression))
                    {
                        pieces.Add(Quote(" = "));
                        pieces.Add(Numbers(expression));
                    }

                    w.WriteLine(Writer + ".Write(" + string.Join(" + ", pieces) + ");");
                    w.WriteLine(statement);
                    WriteLine(w, " = ", Number(name));
                    return;
                }
            }

            w.WriteLine(statement);
        }

        /// <summary>The quantities of the step; the guard's sums and the loss's saturation are code, not mathematics.</summary>
        private static bool IsExplained(string name, string expression) =>
            !name.StartsWith("guard", System.StringComparison.Ordinal)
            && name != "bound"
            && !(name == LossEmitter.LossLocal && expression.StartsWith("global::System.Math.Min(", System.StringComparison.Ordinal))
            && name.IndexOf('.') < 0 && name.IndexOf('[') < 0;

        /// <summary>A signal assigned again (a softmax layer's running max, the loss's saturation).</summary>
        private static bool IsReassignment(string statement)
        {
            int equals = statement.IndexOf(" = ", System.StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            foreach (char ch in statement.Substring(0, equals))
            {
                if (!(char.IsLetterOrDigit(ch) || ch == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>∂C/∂θ = its expression = the numbers = its value.</summary>
        private static void Gradient(SourceWriter w, string parameter, string expression, string value)
        {
            var pieces = new List<string> { Quote("∂C/∂" + parameter + " = " + Notation(expression)) };
            if (!IsSingleValue(expression))
            {
                pieces.Add(Quote(" = "));
                pieces.Add(Numbers(expression));
            }

            pieces.Add(Quote(" = "));
            pieces.Add(Number(value));
            w.WriteLine(Writer + ".WriteLine(" + string.Join(" + ", pieces) + ");");
        }

        /// <summary>After ApplyGradient of a stateful optimizer: every parameter's old and new value.</summary>
        private static void TraceOptimizerStep(SourceWriter w, EmitContext c)
        {
            w.WriteLine("// Each parameter before and after the " + c.Spec.Optimizer.Kind + " step of ApplyGradient.");
            WriteLine(w, Quote(c.Spec.Optimizer.Kind + " step (ApplyGradient), θ before → after:"));
            foreach ((string name, int index, _) in c.Parameters())
            {
                WriteLine(w, Quote(NameOf(name) + ": "), Number(Before + "[" + Count(index) + "]"), Quote(" → "), Number(name));
            }
        }

        /// <summary>A gradient without its outer parentheses, for reading.</summary>
        private static string Unwrap(string expression)
        {
            if (!expression.StartsWith("(", System.StringComparison.Ordinal) || !expression.EndsWith(")", System.StringComparison.Ordinal))
            {
                return expression;
            }

            // "(a) * (b)" starts and ends with parentheses that are not one pair.
            int depth = 0;
            for (int i = 0; i < expression.Length - 1; i++)
            {
                depth += expression[i] == '(' ? 1 : expression[i] == ')' ? -1 : 0;
                if (depth == 0)
                {
                    return expression;
                }
            }

            return expression.Substring(1, expression.Length - 2);
        }

        private static void Write(SourceWriter w, string text, params string[] values) =>
            w.WriteLine(Writer + ".Write(" + Concatenate(text, values) + ");");

        private static void WriteLine(SourceWriter w, string text, params string[] values) =>
            w.WriteLine(Writer + ".WriteLine(" + Concatenate(text, values) + ");");

        /// <summary>Plain text (quoted here unless it already is) followed by C# string expressions and more text.</summary>
        private static string Concatenate(string text, string[] values)
        {
            var parts = new List<string> { text.StartsWith("\"", System.StringComparison.Ordinal) ? text : Quote(text) };
            foreach (string value in values)
            {
                parts.Add(value.StartsWith("global::", System.StringComparison.Ordinal) || value.StartsWith("\"", System.StringComparison.Ordinal) ? value : Quote(value));
            }

            return string.Join(" + ", parts);
        }

        /// <summary>Renders a rule (σ') in MATH.md's notation, for the chain-rule comments.</summary>
        private sealed class NotationAlgebra : Algebra
        {
            public static readonly NotationAlgebra Instance = new();

            public override string Constant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

            public override string IfPositive(string x, string then, string otherwise) => "(" + then + " if " + x + " > 0 else " + otherwise + ")";

            public override bool HasFunctions => true;

            public override string Exp(string x) => "exp(" + x + ")";

            public override string Tanh(string x) => "tanh(" + x + ")";

            public override string Log(string x) => "ln(" + x + ")";

            public override string Sqrt(string x) => "√(" + x + ")";
        }
    }
}
