using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Seeded random declarations, valid and invalid, and source cut off mid-typing. For every case
    /// the generator must not throw; a declaration the fuzzer knows to be invalid must get at least
    /// one BPG diagnostic (and no code); a valid one must compile without errors; and generated code
    /// must never carry an error of its own, whatever state the user's code is in.
    /// Set BACKPROPGEN_FUZZ_CASES and BACKPROPGEN_FUZZ_SEED to run more or other cases locally.
    /// </summary>
    public class GeneratorFuzzTests(ITestOutputHelper output)
    {
        private static readonly string[] s_activations = Enum.GetNames<Activation>();
        private static readonly string[] s_losses = Enum.GetNames<LossFunction>();

        private sealed record FuzzCase(int Index, string Source, bool? Valid, string Reason);

        /// <summary>The cases the fast subset runs; the rest are <c>Category=Slow</c>.</summary>
        private const int FastCases = 100;

        [Fact]
        public void Random_declarations_never_crash_and_are_diagnosed_or_compile() => Fuzz(0, FastCases);

        [Fact]
        [Trait("Category", "Slow")]
        public void More_random_declarations_never_crash_and_are_diagnosed_or_compile() => Fuzz(FastCases, int.MaxValue);

        /// <summary>Checks cases [<paramref name="from"/>, <paramref name="to"/>) of the seeded sequence (600 cases unless BACKPROPGEN_FUZZ_CASES says otherwise).</summary>
        private void Fuzz(int from, int to)
        {
            int total = int.TryParse(Environment.GetEnvironmentVariable("BACKPROPGEN_FUZZ_CASES"), out int n) ? n : 600;
            int seed = int.TryParse(Environment.GetEnvironmentVariable("BACKPROPGEN_FUZZ_SEED"), out int s) ? s : 20261122;
            var random = new Random(seed);
            to = Math.Min(to, total);
            FuzzCase[] all = Enumerable.Range(0, total).Select(i => Generate(random, i)).Skip(from).Take(Math.Max(0, to - from)).ToArray();
            int cases = all.Length;
            if (cases == 0)
            {
                // BACKPROPGEN_FUZZ_CASES asked for no more cases than the fast part has.
                return;
            }
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var started = System.Diagnostics.Stopwatch.StartNew();

            Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, fuzz =>
            {
                string? failure = Check(fuzz);
                if (failure is not null)
                {
                    failures.Add($"case {fuzz.Index} ({fuzz.Reason}): {failure}\n{fuzz.Source}");
                }
            });

            output.WriteLine($"cases {from}..{to} (seed {seed}): {all.Count(c => c.Valid == true)} valid, {all.Count(c => c.Valid == false)} invalid, {all.Count(c => c.Valid is null)} truncated, in {started.Elapsed.TotalSeconds:F1} s");
            Assert.True(all.Count(c => c.Valid == true) > cases / 5, "too few valid cases to mean anything");
            Assert.True(all.Count(c => c.Valid == false) > cases / 5, "too few invalid cases to mean anything");
            Assert.True(failures.IsEmpty, failures.Count + " failing cases, e.g.\n" + string.Join("\n\n", failures.Take(5)));
        }

        private static string? Check(FuzzCase fuzz)
        {
            CSharpCompilation input = GeneratorHarness.CreateCompilation(new[] { fuzz.Source });
            GeneratorDriver driver = GeneratorHarness.CreateDriver((CSharpParseOptions)input.SyntaxTrees.First().Options)
                .RunGeneratorsAndUpdateCompilation(input, out Compilation compilation, out _);
            GeneratorDriverRunResult run = driver.GetRunResult();
            if (run.Results.Any(r => r.Exception is not null))
            {
                return "the generator threw " + run.Results.First(r => r.Exception is not null).Exception;
            }

            Diagnostic[] all = compilation.GetDiagnostics().AddRange(run.Diagnostics).ToArray();
            if (all.Any(d => d.Id is "CS8785" or "AD0001"))
            {
                return "the generator failed: " + all.First(d => d.Id is "CS8785" or "AD0001");
            }

            // Errors only: a warning (BPG0019, an unused hyperparameter) does not make a declaration invalid.
            Diagnostic[] ours = run.Diagnostics.Where(d => d.Id.StartsWith("BPG", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToArray();
            if (ours.Any(d => d.Id == "BPG0015"))
            {
                return "internal failure " + ours.First(d => d.Id == "BPG0015").GetMessage();
            }

            var generatedTrees = new HashSet<SyntaxTree>(run.GeneratedTrees);
            Diagnostic? inGenerated = all.FirstOrDefault(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree));
            if (inGenerated is not null)
            {
                return "generated code has " + inGenerated;
            }

            switch (fuzz.Valid)
            {
                case true when ours.Length > 0:
                    return "a valid declaration got " + ours[0];
                case true when run.GeneratedTrees.Length != 1:
                    return "a valid declaration generated " + run.GeneratedTrees.Length + " files";
                case true when all.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error:
                    return "a valid declaration does not compile: " + error;
                case false when ours.Length == 0:
                    return "an invalid declaration got no BPG diagnostic (compiler: " + string.Join("; ", all.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)) + ")";
                case false when run.GeneratedTrees.Length > 0:
                    return "an invalid declaration generated code";
                default:
                    return null;
            }
        }

        private static FuzzCase Generate(Random random, int index)
        {
            var reasons = new List<string>();
            bool Chance(double p) => random.NextDouble() < p;
            T Pick<T>(params T[] items) => items[random.Next(items.Length)];
            void Invalid(string reason) => reasons.Add(reason);

            // The type.
            string keyword = "class";
            string modifiers = "public partial";
            if (Chance(0.25))
            {
                keyword = "struct";
            }

            if (Chance(0.1))
            {
                (string kw, string mods, string why) = Pick(
                    ("record", "public partial", "record"),
                    ("class", "public static partial", "static class"),
                    ("interface", "public partial", "interface"),
                    ("enum", "public", "enum"),
                    ("struct", "public readonly partial", "readonly struct"),
                    ("struct", "public ref partial", "ref struct"));
                (keyword, modifiers) = (kw, mods);
                Invalid(why);
            }

            if (Chance(0.05))
            {
                modifiers = modifiers.Replace(" partial", string.Empty, StringComparison.Ordinal);
                Invalid("not partial");
            }

            string typeParameters = string.Empty;
            if (keyword != "enum" && Chance(0.05))
            {
                typeParameters = "<T>";
                Invalid("generic");
            }

            // [Network].
            int inputs = random.Next(1, 13);
            string inputText = inputs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (random.Next(40))
            {
                case 0: inputText = "0"; Invalid("zero inputs"); break;
                case 1: inputText = "-3"; Invalid("negative inputs"); break;
                case 2: inputText = "100000"; inputs = 100000; Invalid("too many inputs"); break;
                case 3: inputText = "Holder.NonConstant"; Invalid("non-constant inputs"); break;
                case 4: inputText = "\"two\""; Invalid("string inputs"); break;
                case 5: inputText = string.Empty; Invalid("missing inputs"); break;
                case 6: inputText = "int.MaxValue"; inputs = int.MaxValue; Invalid("huge inputs"); break;
                case 7: inputText = "2 * 3"; inputs = 6; break;
                case 8: inputText = "inputs: " + inputText; break;
            }

            var named = new List<string>();
            string loss = "HalfSquaredError";
            if (Chance(0.6))
            {
                loss = Pick(s_losses);
                named.Add("Loss = LossFunction." + loss);
            }
            else if (Chance(0.05))
            {
                named.Add("Loss = (LossFunction)9");
                Invalid("undefined loss");
            }

            if (Chance(0.3))
            {
                named.Add("Precision = " + Pick("Precision.Single", "Precision.Double"));
            }
            else if (Chance(0.03))
            {
                named.Add("Precision = (Precision)5");
                Invalid("undefined precision");
            }

            if (Chance(0.3))
            {
                named.Add("Optimizer = " + Pick("Optimizer.Sgd", "Optimizer.Momentum", "Optimizer.Adam"));
            }
            else if (Chance(0.03))
            {
                named.Add("Optimizer = (Optimizer)3");
                Invalid("undefined optimizer");
            }

            foreach (string hyper in new[] { "Momentum", "Beta1", "Beta2", "Epsilon", "WeightDecay" })
            {
                if (Chance(0.05))
                {
                    bool positiveOnly = hyper is "Epsilon";
                    string value = Pick("0.5", "0", "1", "-0.1", "double.NaN", "1e-3");
                    named.Add(hyper + " = " + value);
                    bool ok = value switch
                    {
                        "0.5" or "1e-3" => true,
                        "0" => !positiveOnly,
                        "1" => hyper is "Epsilon" or "WeightDecay",
                        _ => false,
                    };
                    if (!ok)
                    {
                        Invalid(hyper + " out of range");
                    }
                }
            }

            string arguments = string.Join(", ", new[] { inputText }.Where(t => t.Length > 0).Concat(named));
            string network = "[Network(" + arguments + ")]";
            if (inputText.Length == 0 && named.Count == 0)
            {
                network = Pick("[Network]", "[Network()]");
            }

            // [Layer]s.
            int layerCount = Chance(0.05) ? 0 : random.Next(1, 5);
            if (layerCount == 0)
            {
                Invalid("no layers");
            }

            var layers = new List<(int Size, string Activation)>();
            var layerText = new StringBuilder();
            for (int l = 0; l < layerCount; l++)
            {
                int size = random.Next(1, 13);
                string sizeText = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
                switch (random.Next(40))
                {
                    case 0: sizeText = "0"; Invalid("empty layer"); break;
                    case 1: sizeText = "-1"; Invalid("negative layer"); break;
                    case 2: sizeText = "5000"; size = 5000; Invalid("layer too large"); break;
                }

                string activation = Pick(s_activations.Where(a => a != "Softmax").ToArray());
                bool last = l == layerCount - 1;
                if (last && loss == "CrossEntropy" && Chance(0.9))
                {
                    activation = "Softmax";
                }
                else if (last && loss == "BinaryCrossEntropy" && Chance(0.9))
                {
                    activation = "Sigmoid";
                }
                else if (Chance(0.05))
                {
                    activation = "Softmax";
                }

                string activationText = "Activation." + activation;
                switch (random.Next(50))
                {
                    case 0: activationText = "(Activation)42"; Invalid("undefined activation"); break;
                    case 1: activationText = string.Empty; Invalid("missing activation"); break;
                }

                if (activation == "Softmax" && !last && activationText.StartsWith("Activation", StringComparison.Ordinal))
                {
                    Invalid("hidden softmax");
                }

                layers.Add((size, activationText.StartsWith("Activation", StringComparison.Ordinal) ? activation : "?"));
                layerText.Append("[Layer(").Append(sizeText).Append(activationText.Length > 0 ? ", " + activationText : string.Empty).Append(")]\n");
            }

            if (layers.Count > 0)
            {
                string output = layers[^1].Activation;
                if ((loss == "CrossEntropy" && output is not ("Softmax" or "?")) ||
                    (loss == "BinaryCrossEntropy" && output is not ("Sigmoid" or "?")) ||
                    (output == "Softmax" && loss != "CrossEntropy"))
                {
                    Invalid("loss does not fit output");
                }

                long parameters = 0, previous = inputs, neurons = 0;
                foreach (var (size, _) in layers)
                {
                    parameters += (previous + 1) * size;
                    previous = size;
                    neurons += size;
                }

                if (inputs > NetworkLimits.MaxInputs || parameters > NetworkLimits.MaxParameters || neurons > NetworkLimits.MaxNeurons)
                {
                    Invalid("too large");
                }
            }

            string extraNetwork = string.Empty;
            if (Chance(0.03))
            {
                extraNetwork = "[Network(2)]\n";
                Invalid("duplicate network");
            }

            string body = keyword == "enum" ? "{ A }" : "{ }";
            string declaration = extraNetwork + network + "\n" + layerText + modifiers + " " + keyword + " Net" + typeParameters + " " + body;
            string second = string.Empty;
            if (Chance(0.03) && layerCount > 0 && keyword is "class" or "struct" && modifiers.Contains("partial", StringComparison.Ordinal))
            {
                second = "\n[Layer(2, Activation.Tanh)]\n" + modifiers + " " + keyword + " Net" + typeParameters + " { }";
                Invalid("layers on two declarations");
            }

            string container = Chance(0.2) ? Pick("public partial class Outer", "public partial struct Outer", "public class Outer") : string.Empty;
            if (container == "public class Outer")
            {
                Invalid("containing type not partial");
            }

            string nested = container.Length > 0 ? container + "\n{\n" + declaration + second + "\n}" : declaration + second;
            string source = "using BackpropGen;\nnamespace Fuzz\n{\npublic static class Holder { public static int NonConstant = 3; }\n" + nested + "\n}\n";

            bool? valid = reasons.Count == 0;
            if (Chance(0.1))
            {
                // Code mid-typing: cut anywhere in the declaration.
                int start = source.IndexOf("public static class Holder", StringComparison.Ordinal);
                source = source.Substring(0, random.Next(start, source.Length));
                valid = null;
                reasons.Add("truncated");
            }

            return new FuzzCase(index, source, valid, reasons.Count == 0 ? "valid" : string.Join(", ", reasons));
        }
    }
}
