using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// <c>Explain = true</c>: the chain-rule comment of every parameter, and ExplainStep, which must do
    /// exactly what TrainStep does (bit for bit) while writing the step out with its numbers.
    /// </summary>
    public class ExplainTests
    {
        /// <summary>The 2-2-2 worked example of docs/math.md, in double, as the Walkthrough sample declares it.</summary>
        private const string WorkedExample = """
            using BackpropGen;

            namespace Teach
            {
                [Network(2, Precision = Precision.Double, Explain = true)]
                [Layer(2, Activation.Sigmoid)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Walk { }
            }
            """;

        private static readonly double[] s_parameters = { 0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60 };

        /// <summary>
        /// Every activation (hidden and output), every optimizer, both precisions, every loss, weight
        /// decay, and a fan-in of 16 (vector code without Explain): the lists come from the enums.
        /// </summary>
        private static readonly (string Name, string Declaration)[] s_networks = Declarations().ToArray();

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(
            "using BackpropGen;\nnamespace Teach\n{\n" + string.Join("\n", s_networks.Select(n => n.Declaration)) + "\n}\n"));

        private static readonly Lazy<Assembly> s_workedExample = new(() => GeneratorHarness.CompileAndLoad(WorkedExample));

        public static IEnumerable<object[]> NetworkNames => s_networks.Select(n => new object[] { n.Name });

        private static IEnumerable<(string, string)> Declarations()
        {
            Optimizer[] optimizers = (Optimizer[])Enum.GetValues(typeof(Optimizer));
            int i = 0;
            foreach (Activation activation in (Activation[])Enum.GetValues(typeof(Activation)))
            {
                Optimizer optimizer = optimizers[i % optimizers.Length];
                string precision = i % 2 == 0 ? "Single" : "Double";
                string name = activation + "With" + optimizer + precision;
                yield return activation == Activation.Softmax
                    ? (name, "[Network(3, Explain = true, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer." + optimizer + ", Precision = Precision." + precision + ")] [Layer(4, Activation.Tanh)] [Layer(3, Activation.Softmax)] public partial class " + name + " { }")
                    : (name, "[Network(3, Explain = true, Optimizer = Optimizer." + optimizer + ", Precision = Precision." + precision + ")] [Layer(4, Activation." + activation + ")] [Layer(2, Activation." + activation + ")] public partial class " + name + " { }");
                i++;
            }

            yield return ("BinaryWithDecay", "[Network(2, Explain = true, Loss = LossFunction.BinaryCrossEntropy, Optimizer = Optimizer.Momentum, WeightDecay = 0.01)] [Layer(3, Activation.ReLU)] [Layer(2, Activation.Sigmoid)] public partial class BinaryWithDecay { }");
            yield return ("MeanSquaredWithDecay", "[Network(2, Explain = true, Loss = LossFunction.MeanSquaredError, WeightDecay = 0.001, Precision = Precision.Double)] [Layer(3, Activation.LeakyReLU)] [Layer(3, Activation.Linear)] public partial class MeanSquaredWithDecay { }");
            yield return ("AdamWithDecay", "[Network(2, Explain = true, Optimizer = Optimizer.Adam, WeightDecay = 0.01)] [Layer(2, Activation.Tanh)] [Layer(1, Activation.Sigmoid)] public partial class AdamWithDecay { }");
            yield return ("SixteenWide", "[Network(16, Explain = true, FastMath = true)] [Layer(4, Activation.Tanh)] [Layer(1, Activation.Sigmoid)] public partial class SixteenWide { }");
            yield return ("SixteenWideTwin", "[Network(16, FastMath = true)] [Layer(4, Activation.Tanh)] [Layer(1, Activation.Sigmoid)] public partial class SixteenWideTwin { }");
        }

        [Theory]
        [MemberData(nameof(NetworkNames))]
        public void ExplainStep_leaves_the_network_exactly_as_TrainStep_does(string name)
        {
            if (name.EndsWith("Twin", StringComparison.Ordinal))
            {
                Assert.Null(s_assembly.Value.GetType("Teach." + name)!.GetMethod("ExplainStep"));
                return;
            }

            Type type = s_assembly.Value.GetType("Teach." + name, throwOnError: true)!;
            if (type.GetInterface("INetwork`1")!.GetGenericArguments()[0] == typeof(float))
            {
                Compare<float>(type, x => (float)x);
            }
            else
            {
                Compare<double>(type, x => x);
            }
        }

        private static void Compare<T>(Type type, Func<double, T> from)
            where T : struct
        {
            var explained = (INetwork<T>)Activator.CreateInstance(type)!;
            var trained = (INetwork<T>)Activator.CreateInstance(type)!;
            explained.InitializeParameters(seed: 11);
            trained.InitializeParameters(seed: 11);
            var random = new Random(5);
            for (int step = 0; step < 4; step++)
            {
                T[] input = Enumerable.Range(0, explained.InputCount).Select(_ => from((random.NextDouble() * 4) - 2)).ToArray();
                T[] target = Distribution(Enumerable.Range(0, explained.OutputCount).Select(_ => random.NextDouble()).ToArray()).Select(from).ToArray();
                T rate = from(0.1);
                var writer = new StringWriter(CultureInfo.InvariantCulture);
                T loss = Call(explained, input, target, rate, writer);

                Assert.Equal(trained.TrainStep(input, target, rate), loss);
                Assert.Equal(Networks.Parameters(trained), Networks.Parameters(explained));
                Assert.Contains("∂C/∂", writer.ToString(), StringComparison.Ordinal);
            }
        }

        /// <summary>Targets that sum to 1 suit every loss (cross-entropy needs it).</summary>
        private static double[] Distribution(double[] values)
        {
            double sum = values.Sum();
            return values.Select(v => v / sum).ToArray();
        }

        private delegate T ExplainStepCall<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate, TextWriter writer);

        /// <summary>ExplainStep is not on an interface; reflection cannot pass spans, a delegate can.</summary>
        private static T Call<T>(object network, T[] input, T[] target, T learningRate, TextWriter writer)
            where T : struct =>
            ((ExplainStepCall<T>)network.GetType().GetMethod("ExplainStep")!.CreateDelegate(typeof(ExplainStepCall<T>), network))(input, target, learningRate, writer);

        [Fact]
        public void The_worked_example_prints_the_published_numbers()
        {
            string text = Explain(s_workedExample.Value, "Teach.Walk", rate: 0.5);

            Assert.Contains("z¹₀ = w¹₀₀·a⁰₀ + w¹₀₁·a⁰₁ + b¹₀ = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775", text, StringComparison.Ordinal);
            Assert.Contains("a¹₀ = 1 / (1 + exp(−z¹₀)) = 1 / (1 + exp(−0.3775)) = ", text, StringComparison.Ordinal);

            // The published numbers (docs/math.md), to their nine digits.
            Assert.Equal(0.593269992, Result(text, "a¹₀ = "), 9);
            Assert.Equal(0.596884378, Result(text, "a¹₁ = "), 9);
            Assert.Equal(0.75136507, Result(text, "a²₀ = "), 8);
            Assert.Equal(0.298371109, Result(text, "C = ("), 9);
            Assert.Equal(0.35891648, Result(text, "w²₀₀ ← "), 8);
            Assert.Equal(0.408666186, Result(text, "w²₀₁ ← "), 9);
            Assert.Equal(0.149780716, Result(text, "w¹₀₀ ← "), 9);
            Assert.Equal(0.29950229, Result(text, "w¹₁₁ ← "), 8);

            // The hidden weight's two paths, then the product the code computes.
            Assert.Contains("∂C/∂w¹₀₀ = ∂z¹₀/∂w¹₀₀ · ∂a¹₀/∂z¹₀ · Σₘ ∂z²ₘ/∂a¹₀ · δ²ₘ = a⁰₀ · σ'(z¹₀) · (w²₀₀ δ²₀ + w²₁₀ δ²₁)", text, StringComparison.Ordinal);
            Assert.Contains("∂C/∂w¹₀₀ = a⁰₀·δ¹₀ = 0.05·", text, StringComparison.Ordinal);

            // Every number printed reads back as the value computed: the last one of each line of w¹₀₀ is the parameter now.
            var network = (INetwork<double>)Activator.CreateInstance(s_workedExample.Value.GetType("Teach.Walk")!)!;
            network.LoadParameters(s_parameters);
            network.TrainStep(new[] { 0.05, 0.10 }, new[] { 0.01, 0.99 }, 0.5);
            Assert.Equal(Networks.Parameters(network)[0], Result(text, "w¹₀₀ ← "));
        }

        /// <summary>The number after the last " = " of the first line that starts with <paramref name="prefix"/>.</summary>
        private static double Result(string text, string prefix)
        {
            string line = text.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal)).TrimEnd('\r');
            return double.Parse(line.Substring(line.LastIndexOf(" = ", StringComparison.Ordinal) + 3), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        [Fact]
        public void Walkthrough_sample_prints_the_step_and_answers_the_question()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Walkthrough"), "Walkthrough");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Equal(0.593269992, Result(run.Output, "a¹₀ = "), 9);
            Assert.Equal(0.596884378, Result(run.Output, "a¹₁ = "), 9);
            Assert.Equal(0.298371109, Result(run.Output, "C = ("), 9);
            Assert.Equal(0.35891648, Result(run.Output, "w²₀₀ ← "), 8);
            Assert.Contains("path 1: a¹₀ → z²₀ (weight w²₀₀)", run.Output, StringComparison.Ordinal);
            Assert.Contains("path 2: a¹₀ → z²₁ (weight w²₁₀)", run.Output, StringComparison.Ordinal);
            Assert.Contains("Loss before the step: 0.29837110876", run.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void The_numbers_do_not_depend_on_the_culture()
        {
            CultureInfo culture = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
                string text = Explain(s_workedExample.Value, "Teach.Walk", rate: 0.5);
                Assert.Contains("= 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775", text, StringComparison.Ordinal);
                Assert.DoesNotContain("0,15", text, StringComparison.Ordinal);
            }
            finally
            {
                Thread.CurrentThread.CurrentCulture = culture;
            }
        }

        [Fact]
        public void Every_parameter_has_its_chain_rule_above_its_update()
        {
            string generated = Generated(WorkedExample);

            Assert.Contains("// ∂C/∂w¹₀₀ = ∂z¹₀/∂w¹₀₀ · ∂a¹₀/∂z¹₀ · Σₘ ∂z²ₘ/∂a¹₀ · δ²ₘ = a⁰₀ · σ'(z¹₀) · (w²₀₀ δ²₀ + w²₁₀ δ²₁), σ'(z¹₀) = a¹₀ (1 − a¹₀)", generated, StringComparison.Ordinal);
            Assert.Contains("// ∂C/∂w²₀₁ = a¹₁ · δ²₀, δ²₀ = ∂C/∂a²₀ · σ'(z²₀) = (a²₀ − y₀) · a²₀ (1 − a²₀)", generated, StringComparison.Ordinal);
            Assert.Contains("// ∂C/∂b¹₁ = ∂z¹₁/∂b¹₁ · ∂a¹₁/∂z¹₁ · Σₘ ∂z²ₘ/∂a¹₁ · δ²ₘ = 1 · σ'(z¹₁) · (w²₀₁ δ²₀ + w²₁₁ δ²₁)", generated, StringComparison.Ordinal);
            Assert.DoesNotContain("∂w/∂", generated, StringComparison.Ordinal);

            // In TrainStep, AccumulateGradient and ExplainStep, the comment stands above each of the 12 statements
            // (in ExplainStep only the lines that write the explanation come between).
            string[] lines = generated.Split('\n').Select(l => l.Trim()).ToArray();
            int statements = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                if (Regex.IsMatch(lines[i], @"^(_[wb][\d_]+ -= learningRate \* \((?!gradient)|_[wb][\d_]+ -= learningRate \* [ad]|gradient\[\d+\] \+= )"))
                {
                    int above = i - 1;
                    while (lines[above].StartsWith("writer.", StringComparison.Ordinal))
                    {
                        above--;
                    }

                    Assert.StartsWith("// ∂C/∂", lines[above], StringComparison.Ordinal);
                    statements++;
                }
            }

            Assert.Equal(12 * 3, statements);
            Assert.Equal(12 * 3, Regex.Matches(generated, @"(?m)^\s*// ∂C/∂[wb][⁰¹²³⁴⁵⁶⁷⁸⁹]+[₀₁₂₃₄₅₆₇₈₉]").Count);
        }

        [Fact]
        public void The_fused_losses_say_so()
        {
            string softmax = Generated("using BackpropGen;\n[Network(2, Explain = true, Loss = LossFunction.CrossEntropy)][Layer(2, Activation.Tanh)][Layer(2, Activation.Softmax)] public partial class Soft { }");
            string binary = Generated("using BackpropGen;\n[Network(2, Explain = true, Loss = LossFunction.BinaryCrossEntropy)][Layer(3, Activation.Sigmoid)] public partial class Binary { }");

            Assert.Contains("// ∂C/∂w²₁₀ = a¹₀ · δ²₁, δ²₁ = a²₁ − y₁ (softmax and cross-entropy fused)", softmax, StringComparison.Ordinal);
            Assert.Contains("σ'(z¹₀) = 1 − a¹₀·a¹₀", softmax, StringComparison.Ordinal);
            Assert.Contains("// ∂C/∂b¹₂ = δ¹₂, δ¹₂ = (a¹₂ − y₂) / 3 (sigmoid and binary cross-entropy fused: σ' cancels)", binary, StringComparison.Ordinal);
        }

        [Fact]
        public void A_refused_step_says_so_and_changes_nothing()
        {
            var network = (INetwork<double>)Activator.CreateInstance(s_workedExample.Value.GetType("Teach.Walk")!)!;
            network.LoadParameters(s_parameters);
            var writer = new StringWriter(CultureInfo.InvariantCulture);
            double loss = Call(network, new[] { double.NaN, 0.1 }, new[] { 0.01, 0.99 }, 0.5, writer);

            Assert.True(double.IsNaN(loss));
            Assert.Equal(s_parameters, Networks.Parameters(network));
            Assert.Contains("The step is refused", writer.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Explain_changes_no_code_of_the_other_members()
        {
            string explained = Generated("using BackpropGen;\n[Network(3, Explain = true, Optimizer = Optimizer.Adam)][Layer(4, Activation.Tanh)][Layer(2, Activation.Sigmoid)] public partial class Net { }");
            string plain = Generated("using BackpropGen;\n[Network(3, Optimizer = Optimizer.Adam)][Layer(4, Activation.Tanh)][Layer(2, Activation.Sigmoid)] public partial class Net { }");

            Assert.Equal(Code(plain), Code(WithoutMethod(explained, "ExplainStep")));
            Assert.DoesNotContain("ExplainStep", plain, StringComparison.Ordinal);
        }

        [Fact]
        public void An_explained_wide_network_is_written_as_scalar_statements()
        {
            string explained = Generated("using BackpropGen;\n[Network(16, Explain = true)][Layer(4, Activation.Tanh)][Layer(1, Activation.Sigmoid)] public partial class Wide { }");
            string plain = Generated("using BackpropGen;\n[Network(16)][Layer(4, Activation.Tanh)][Layer(1, Activation.Sigmoid)] public partial class Wide { }");

            Assert.Contains("BpgVector256", plain, StringComparison.Ordinal);
            // No vector steps across neurons and no split (the batch members, SIMD across samples, are extra members).
            Assert.DoesNotContain("BpgForwardV256", explained, StringComparison.Ordinal);
            Assert.DoesNotContain("_bpgParameters", explained, StringComparison.Ordinal);
            Assert.Contains("_w1_3_15 -= learningRate * (a0_15 * d1_3);", explained, StringComparison.Ordinal);
        }

        [Fact]
        public void Snapshot_of_an_explained_network()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(WorkedExample);
            GeneratorHarness.AssertClean(outcome);
            GeneratedSourceResult generated = Assert.Single(outcome.GeneratedSources);
            Snapshot.Verify(generated.SourceText.ToString(), generated.HintName);
        }

        private static string Explain(Assembly assembly, string typeName, double rate)
        {
            var network = (INetwork<double>)Activator.CreateInstance(assembly.GetType(typeName)!)!;
            network.LoadParameters(s_parameters);
            var writer = new StringWriter(CultureInfo.InvariantCulture);
            Call(network, new[] { 0.05, 0.10 }, new[] { 0.01, 0.99 }, rate, writer);
            return writer.ToString();
        }

        private static string Generated(string source)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(source);
            GeneratorHarness.AssertClean(outcome);
            return Assert.Single(outcome.GeneratedSources).SourceText.ToString();
        }

        /// <summary>The code without its comments: what Explain may add to the other members.</summary>
        private static string Code(string generated) =>
            string.Join("\n", generated.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));

        /// <summary>The file without the method called <paramref name="name"/> (from its attribute to its closing brace).</summary>
        private static string WithoutMethod(string generated, string name)
        {
            List<string> lines = generated.Split('\n').ToList();
            int signature = lines.FindIndex(l => l.Contains(" " + name + "(", StringComparison.Ordinal));
            int start = signature;
            while (lines[start - 1].TrimStart().StartsWith("///", StringComparison.Ordinal) || lines[start - 1].TrimStart().StartsWith("[", StringComparison.Ordinal))
            {
                start--;
            }

            string indent = lines[signature].Substring(0, lines[signature].Length - lines[signature].TrimStart().Length);
            int end = lines.FindIndex(signature, l => l == indent + "}");
            lines.RemoveRange(start - 1, end - start + 2); // and the blank line before it
            return string.Join("\n", lines);
        }
    }
}
