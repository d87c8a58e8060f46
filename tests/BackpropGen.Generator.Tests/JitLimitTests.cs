using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The size limit (BPG0010) is there so that no generated method is compiled in MinOpts. This
    /// checks it with the JIT's own report: networks at the limits are compiled to disk, run once in a
    /// child process with tiering off (every method goes straight to full optimization unless the JIT
    /// gives up on it), and the DOTNET_JitStdOutFile summary must show no MinOpts method.
    /// </summary>
    public class JitLimitTests
    {
        private const int NetworkCount = 18;

        internal static readonly string NetworksAtTheLimits = $$"""
            using BackpropGen;
            namespace Limits
            {
                // The most parameters in wide layers: (27 + 1) * 26 + (26 + 1) * 1 = 755 parameters.
                [Network(27)]
                [Layer(26, Activation.Sigmoid)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Wide { }

                // The most inputs in one method per member: {{NetworkLimits.UnsplitMaxInputs}} → 1.
                [Network({{NetworkLimits.UnsplitMaxInputs}})]
                [Layer(1, Activation.Tanh)]
                public partial class ManyInputs { }

                // Many inputs and nearly the most parameters: (381 + 1) * 2 + (2 + 1) * 1 = 767 parameters.
                [Network(381)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class ManyInputsAndParameters { }

                // Nearly the most parameters in double over four layers: 198 + 304 + 204 + 52 = 758 parameters.
                [Network(10, Precision = Precision.Double)]
                [Layer(18, Activation.ReLU)]
                [Layer(16, Activation.LeakyReLU)]
                [Layer(12, Activation.Tanh)]
                [Layer(4, Activation.Linear)]
                public partial struct Deep { }

                // The most ReLU neurons (a branch each) in one layer: 1 → {{NetworkLimits.UnsplitMaxNeurons - 1}} → 1.
                [Network(1)]
                [Layer({{NetworkLimits.UnsplitMaxNeurons - 1}}, Activation.ReLU)]
                [Layer(1, Activation.Linear)]
                public partial class WideReLU { }

                // A wide softmax output (max, exponentials and log-softmax per output): 300 + 312 = 612 parameters.
                [Network(24, Loss = LossFunction.CrossEntropy)]
                [Layer(12, Activation.Tanh)]
                [Layer(24, Activation.Softmax)]
                public partial class WideSoftmax { }

                // The most parameters with Adam and weight decay: ApplyGradient split into 128-parameter blocks.
                [Network(27, Optimizer = Optimizer.Adam, WeightDecay = 1e-4)]
                [Layer(26, Activation.Sigmoid)]
                [Layer(1, Activation.Sigmoid)]
                public partial class WideAdam { }

                // Many inputs with momentum in double.
                [Network(381, Optimizer = Optimizer.Momentum, Precision = Precision.Double)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct ManyInputsMomentum { }

                // The most neurons and layers in one method per member: {{NetworkLimits.UnsplitMaxNeurons}} layers of one LeakyReLU neuron.
                [Network(1)]
                {{string.Concat(Enumerable.Repeat("[Layer(1, Activation.LeakyReLU)]", NetworkLimits.UnsplitMaxNeurons))}}
                public partial class Chain { }

                // Split into private steps from here on.
                // Issue #4's 64-32-10.
                [Network(64)]
                [Layer(32, Activation.Sigmoid)]
                [Layer(10, Activation.Sigmoid)]
                public partial class Split64x32x10 { }

                // The most parameters: (127 + 1) * 127 + (127 + 1) * 1 = {{NetworkLimits.MaxParameters}}.
                [Network(127)]
                [Layer(127, Activation.Sigmoid)]
                [Layer(1, Activation.Sigmoid)]
                public partial class SplitWide { }

                // The most parameters with Adam and weight decay.
                [Network(127, Optimizer = Optimizer.Adam, WeightDecay = 1e-4)]
                [Layer(127, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct SplitWideAdam { }

                // The most inputs: {{NetworkLimits.MaxInputs}} → 15 → 1, with momentum in double.
                [Network({{NetworkLimits.MaxInputs}}, Optimizer = Optimizer.Momentum, Precision = Precision.Double)]
                [Layer(15, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class SplitManyInputs { }

                // The most ReLU neurons in one layer: 1 → {{NetworkLimits.MaxNeurons - 1}} → 1.
                [Network(1)]
                [Layer({{NetworkLimits.MaxNeurons - 1}}, Activation.ReLU)]
                [Layer(1, Activation.Linear)]
                public partial class SplitWideReLU { }

                // The widest softmax output: 32 → 16 → {{NetworkLimits.MaxOutputs}}.
                [Network(32, Loss = LossFunction.CrossEntropy)]
                [Layer(16, Activation.Tanh)]
                [Layer({{NetworkLimits.MaxOutputs}}, Activation.Softmax)]
                public partial class SplitWideSoftmax { }

                // The widest sigmoid output with binary cross-entropy: 32 → 16 → {{NetworkLimits.MaxOutputs}}.
                [Network(32, Loss = LossFunction.BinaryCrossEntropy, Precision = Precision.Double)]
                [Layer(16, Activation.Tanh)]
                [Layer({{NetworkLimits.MaxOutputs}}, Activation.Sigmoid)]
                public partial class SplitWideBinary { }

                // Deep and wide in double: 6060 + 3660 + 3660 + 610 = 13990 parameters.
                [Network(100, Precision = Precision.Double)]
                [Layer(60, Activation.ReLU)]
                [Layer(60, Activation.LeakyReLU)]
                [Layer(60, Activation.Tanh)]
                [Layer(10, Activation.Linear)]
                public partial struct SplitDeep { }

                // The most neurons and layers: {{NetworkLimits.MaxNeurons}} layers of one neuron.
                [Network(1)]
                {{string.Concat(Enumerable.Repeat("[Layer(1, Activation.Tanh)]", NetworkLimits.MaxNeurons))}}
                public partial class SplitChain { }
            }
            """;

        [Fact]
        public void Networks_at_the_limits_are_accepted()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(NetworksAtTheLimits);
            GeneratorHarness.AssertClean(outcome);
            Assert.Equal(NetworkCount, outcome.GeneratedSources.Count());
        }

        [Fact]
        public void No_generated_method_of_a_network_at_the_limits_runs_in_MinOpts()
        {
            using (JitProbe probe = JitProbe.Compile(NetworksAtTheLimits, "Limits"))
            {
                // Twice: as this machine runs it (the Vector256 steps where Vector256 is accelerated), and
                // with AVX off, when wide networks take their Vector128 steps (as on ARM64).
                foreach (bool disableAvx in new[] { false, true })
                {
                    string report = Path.Combine(probe.Directory, disableAvx ? "jit-vector128.txt" : "jit.txt");
                    var environment = new Dictionary<string, string>
                    {
                        ["DOTNET_TieredCompilation"] = "0",
                        ["DOTNET_ReadyToRun"] = "1",
                        ["DOTNET_JitDisasmSummary"] = "1",
                        ["DOTNET_JitStdOutFile"] = report,
                    };
                    if (disableAvx)
                    {
                        environment["DOTNET_EnableAVX"] = "0";
                    }

                    ChildProcess.Result run = probe.Run(environment);
                    Assert.Contains("exercised " + NetworkCount + " networks", run.Output, StringComparison.Ordinal);

                    string[] generated = File.ReadAllLines(report).Where(l => l.Contains("Limits.", StringComparison.Ordinal)).ToArray();
                    foreach (string method in new[] { "TrainStep", "AccumulateGradient", "Forward", "ComputeLoss", "ApplyGradient", "LoadParameters", "InitializeParameters" })
                    {
                        Assert.Equal(NetworkCount, generated.Count(l => l.Contains(":" + method + "(", StringComparison.Ordinal)));
                    }

                    // The split networks' steps were compiled too, in the width this run takes (small
                    // steps, such as those of a chain of one-neuron layers, are inlined into their caller).
                    Assert.Contains(generated, l => l.Contains(disableAvx ? ":BpgForwardV128_1_0(" : ":BpgForwardV256_1_0(", StringComparison.Ordinal));

                    string[] minOpts = generated.Where(l => l.Contains("MinOpts", StringComparison.Ordinal)).ToArray();
                    Assert.True(minOpts.Length == 0, "Compiled in MinOpts:" + Environment.NewLine + string.Join(Environment.NewLine, minOpts));
                    Assert.All(generated, l => Assert.Contains("FullOpts", l, StringComparison.Ordinal));
                }
            }
        }
    }
}
