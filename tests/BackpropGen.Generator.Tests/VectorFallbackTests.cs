using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// A wide network on .NET 8+ comes as Vector256 steps and Vector128 steps, chosen by
    /// Vector256.IsHardwareAccelerated. In-process tests run whichever path this machine takes; this
    /// runs the same networks in child processes: as the machine runs them, with AVX off (Vector256
    /// not accelerated: the Vector128 steps, as on ARM64), and with hardware intrinsics off altogether
    /// (Vector128 emulated in software, as on a platform without SIMD), and requires all to agree.
    /// </summary>
    [Trait("Category", "Slow")]
    public class VectorFallbackTests
    {
        // Each has a fan-in of 16 or more; the sizes leave remainders (21 = 2·8 + 5, 19 = 4·4 + 3, 17, 9)
        // so the scalar tails of the vector steps run too. EveryActivation has a hidden layer of 17 of
        // each per-neuron activation (from the enum), so each σ' runs in every vector shape.
        private static readonly string Source = """
            using BackpropGen;
            namespace Vectors
            {
                [Network(16)]
                [Layer(16, Activation.Sigmoid)]
                [Layer(4, Activation.Sigmoid)]
                public partial struct Net16164 { }

                [Network(64)]
                [Layer(32, Activation.Sigmoid)]
                [Layer(10, Activation.Sigmoid)]
                public partial class Net643210 { }

                [Network(30, Loss = LossFunction.CrossEntropy, Precision = Precision.Double, Optimizer = Optimizer.Adam, WeightDecay = 1e-3)]
                [Layer(20, Activation.ReLU)]
                [Layer(19, Activation.LeakyReLU)]
                [Layer(5, Activation.Softmax)]
                public partial class DoubleAdam { }

                [Network(21, Optimizer = Optimizer.Momentum, WeightDecay = 1e-4)]
                [Layer(17, Activation.Tanh)]
                [Layer(3, Activation.Linear)]
                public partial struct Momentum { }

                [Network(18, Loss = LossFunction.BinaryCrossEntropy, Precision = Precision.Double)]
                [Layer(9, Activation.Linear)]
                [Layer(2, Activation.Sigmoid)]
                public partial struct Binary { }

            """ + EveryActivation() + """
            }
            """;

        private static string EveryActivation() =>
            "    [Network(16, Precision = Precision.Double)]\n"
            + string.Concat(Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).Select(a => "    [Layer(17, Activation." + a + ")]\n"))
            + "    [Layer(3, Activation.Linear)]\n    public partial class EveryActivation { }\n";

        [Fact]
        public void Wide_networks_get_vector_steps_behind_the_hardware_check()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(Source);
            GeneratorHarness.AssertClean(outcome);
            Assert.Equal(6, outcome.GeneratedSources.Count());
            Assert.All(outcome.GeneratedSources, s =>
            {
                string text = s.SourceText.ToString();
                Assert.Contains("if (BpgVector256.IsHardwareAccelerated)", text, StringComparison.Ordinal);
                Assert.Contains("using BpgVector256 = global::System.Runtime.Intrinsics.Vector256;", text, StringComparison.Ordinal);
                Assert.Contains("BpgForwardV256_1_0(ref s);", text, StringComparison.Ordinal);
                Assert.Contains("BpgForwardV128_1_0(ref s);", text, StringComparison.Ordinal);
                Assert.DoesNotContain("BpgForward1_0(ref s);", text, StringComparison.Ordinal);
            });
        }

        [Fact]
        public void The_Vector128_steps_and_the_software_fallback_give_what_the_Vector256_steps_give()
        {
            using (JitProbe probe = JitProbe.Compile(Source, "Vectors"))
            {
                Dictionary<string, double[]> vector = Probe(probe, "DOTNET_EnableHWIntrinsic", "1", out bool accelerated);
                Dictionary<string, double[]> narrow = Probe(probe, "DOTNET_EnableAVX", "0", out bool narrowAccelerated);
                Dictionary<string, double[]> software = Probe(probe, "DOTNET_EnableHWIntrinsic", "0", out bool softwareAccelerated);
                Assert.False(narrowAccelerated, "With AVX off, Vector256 should not be accelerated.");
                Assert.False(softwareAccelerated, "With hardware intrinsics off, Vector256 should not be accelerated.");
                Assert.Equal(6 * 6, vector.Count);
                Compare(vector, narrow, accelerated);
                Compare(vector, software, accelerated);
            }
        }

        private static void Compare(Dictionary<string, double[]> vector, Dictionary<string, double[]> other, bool accelerated)
        {
            Assert.Equal(vector.Keys.OrderBy(k => k, StringComparer.Ordinal), other.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (label, expected) in other)
            {
                double[] actual = vector[label];
                Assert.Equal(expected.Length, actual.Length);
                Assert.Contains(expected, x => x != 0);
                bool isDouble = label.StartsWith("Vectors.Double", StringComparison.Ordinal) || label.StartsWith("Vectors.Binary", StringComparison.Ordinal) || label.StartsWith("Vectors.EveryActivation", StringComparison.Ordinal);
                double tolerance = isDouble ? 1e-10 : 2e-4;
                for (int i = 0; i < expected.Length; i++)
                {
                    double error = Math.Abs(actual[i] - expected[i]) / Math.Max(1e-2, Math.Max(Math.Abs(actual[i]), Math.Abs(expected[i])));
                    Assert.True(error < tolerance, $"{label}[{i}]: as this machine runs it {actual[i]:R}, other path {expected[i]:R} (Vector256 accelerated here: {accelerated})");
                }
            }
        }

        private static Dictionary<string, double[]> Probe(JitProbe probe, string variable, string value, out bool accelerated)
        {
            ChildProcess.Result run = probe.Run(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0", [variable] = value }, dump: true);
            string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            accelerated = lines.Contains("Vector256.IsHardwareAccelerated=True");
            return lines
                .Where(l => l.StartsWith("Vectors.", StringComparison.Ordinal))
                .Select(l => l.Split(": ", 2))
                .ToDictionary(p => p[0], p => p[1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
    }
}
