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
    /// The size limits (BPG0010) are there so that no generated method is compiled in MinOpts. This
    /// checks them with the JIT's own report: networks at the limits are compiled to disk, run once in
    /// a child process with tiering off (every method goes straight to full optimization unless the
    /// JIT gives up on it), and the DOTNET_JitStdOutFile summary must show no MinOpts method.
    /// </summary>
    /// <remarks>
    /// Two sets, each the largest network of its shape once (the cost is the Roslyn compile and the
    /// JIT of tens of thousands of straight-line statements, so nothing is compiled twice):
    /// the one-method-per-member limits are compiled for netstandard2.0, where no network is split for
    /// Vector256, so every member really is one method (on .NET 8+ a network with a wide layer is split
    /// whatever its size; netstandard2.0 code run by CoreCLR is what keeps the unsplit form); the split
    /// limits are compiled for .NET 10 and run twice, as the machine runs them (Vector256 steps) and with
    /// AVX off (the Vector128 steps, as on ARM64).
    /// </remarks>
    [Trait("Category", "Slow")]
    public class JitLimitTests : IClassFixture<JitLimitTests.CompiledLimits>
    {
        private const int UnsplitCount = 7;

        /// <summary>The one network of the netstandard2.0 set that is split (scalar steps).</summary>
        private const string ScalarSplit = "ScalarSplitManyInputs";
        private const int SplitCount = 6;

        private static readonly string[] s_members = { "TrainStep", "AccumulateGradient", "Forward", "ComputeLoss", "ApplyGradient", "LoadParameters", "InitializeParameters" };

        private readonly CompiledLimits _compiled;

        public JitLimitTests(CompiledLimits compiled) => _compiled = compiled;

        /// <summary>Both sets compiled once for the class (deleted with it).</summary>
        public sealed class CompiledLimits : IDisposable
        {
            public JitProbe Unsplit { get; } = JitProbe.Compile(UnsplitAtTheLimits, "UnsplitLimits", TargetProfile.NetStandard20);

            public JitProbe Split { get; } = JitProbe.Compile(SplitAtTheLimits, "SplitLimits", TargetProfile.Net10);

            public JitProbe Batch { get; } = JitProbe.Compile(BatchAtTheLimits, "BatchLimits", TargetProfile.Net10);

            public void Dispose()
            {
                Unsplit.Dispose();
                Split.Dispose();
                Batch.Dispose();
            }
        }

        internal static readonly string UnsplitAtTheLimits = $$"""
            using BackpropGen;
            namespace Limits
            {
                // A network is unsplit only while every layer reads fewer than 16 signals (EmitContext.VectorFanIn;
                // a wider layer splits it on every target), so these are 15 wide.
                // The most parameters, in double over four layers, with input scaling (more code per input):
                // 3 * (15 + 1) * 15 + (15 + 1) * 3 = {{NetworkLimits.UnsplitMaxParameters}} parameters.
                [Network(15, Precision = Precision.Double, InputScaling = true)]
                [Layer(15, Activation.ReLU)]
                [Layer(15, Activation.LeakyReLU)]
                [Layer(15, Activation.Tanh)]
                [Layer(3, Activation.Linear)]
                public partial struct Deep { }

                // The widest layer of ReLU neurons (a branch each): (15 + 1) * 47 = 752 parameters.
                [Network(15)]
                [Layer(47, Activation.ReLU)]
                public partial class WideReLU { }

                // A wide softmax output (max, exponentials and log-softmax per output): 240 + 512 = 752 parameters.
                [Network(15, Loss = LossFunction.CrossEntropy)]
                [Layer(15, Activation.Tanh)]
                [Layer(32, Activation.Softmax)]
                public partial class WideSoftmax { }

                // Nearly the most parameters with Adam and weight decay (ApplyGradient unrolled): 3 * 240 + 16 = 736.
                [Network(15, Optimizer = Optimizer.Adam, WeightDecay = 1e-4)]
                [Layer(15, Activation.Sigmoid)]
                [Layer(15, Activation.Sigmoid)]
                [Layer(15, Activation.Sigmoid)]
                [Layer(1, Activation.Sigmoid)]
                public partial class WideAdam { }

                // Momentum in double: (15 + 1) * 47 = 752 parameters.
                [Network(15, Optimizer = Optimizer.Momentum, Precision = Precision.Double)]
                [Layer(47, Activation.Tanh)]
                public partial struct WideMomentum { }

                // The most neurons and layers in one method per member: {{NetworkLimits.UnsplitMaxNeurons}} layers of one LeakyReLU neuron.
                [Network(1)]
                {{string.Concat(Enumerable.Repeat("[Layer(1, Activation.LeakyReLU)]", NetworkLimits.UnsplitMaxNeurons))}}
                public partial class Chain { }

                // Not unsplit: the split scalar form netstandard code (Unity) gets for a large network, at
                // its longest step: a first-layer row of {{NetworkLimits.MaxInputs}} updates with weight decay, in double.
                [Network({{NetworkLimits.MaxInputs}}, Precision = Precision.Double, WeightDecay = 1e-4, InputScaling = true)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class {{ScalarSplit}} { }
            }
            """;

        // Split steps hold at most SplitEmitter.TermsPerMethod terms (ApplyGradient blocks a number of
        // parameters chosen per optimizer) whatever the size, so what grows with a split network is the
        // members that call its steps (one call per block) and the steps that cannot be split (the loss
        // and δᴸ over all outputs, the gradient bound over all neurons): one network at each limit, and
        // each optimizer's steps once (SGD's updates inside TrainStep, momentum's and Adam's blocks).
        internal static readonly string SplitAtTheLimits = $$"""
            using BackpropGen;
            namespace Limits
            {
                // The most inputs, in double with SGD and weight decay (the longest update per weight, inside
                // TrainStep's steps): a step cannot split a neuron's row, so each first-layer neuron's update
                // is {{NetworkLimits.MaxInputs}} terms in one method (256 Vector256 or 512 Vector128 updates, so a
                // step holds fewer neurons than a vector has lanes); two neurons show it as well as fifteen,
                // at an eighth of the code: (1024 + 1) * 2 + (2 + 1) * 1 = 2053 parameters. With input scaling,
                // whose BpgInput steps and SetInputScaling blocks grow with the inputs too.
                [Network({{NetworkLimits.MaxInputs}}, Precision = Precision.Double, WeightDecay = 1e-4, InputScaling = true)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class SplitManyInputs { }

                // The most parameters, with SGD (updates inside TrainStep's steps): (127 + 1) * 127 + (127 + 1) * 1 = {{NetworkLimits.MaxParameters}}.
                [Network(127)]
                [Layer(127, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class SplitWide { }

                // The most ReLU neurons in one layer, with Adam and weight decay (the largest update per
                // parameter, so the fewest parameters per ApplyGradient block): 1 → {{NetworkLimits.MaxNeurons - 1}} → 1.
                [Network(1, Optimizer = Optimizer.Adam, WeightDecay = 1e-4)]
                [Layer({{NetworkLimits.MaxNeurons - 1}}, Activation.ReLU)]
                [Layer(1, Activation.Linear)]
                public partial struct SplitWideReLU { }

                // The widest softmax output, with momentum (its ApplyGradient blocks): 32 → 16 → {{NetworkLimits.MaxOutputs}}.
                [Network(32, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Momentum)]
                [Layer(16, Activation.Tanh)]
                [Layer({{NetworkLimits.MaxOutputs}}, Activation.Softmax)]
                public partial class SplitWideSoftmax { }

                // The widest sigmoid output with binary cross-entropy: 32 → 16 → {{NetworkLimits.MaxOutputs}}.
                [Network(32, Loss = LossFunction.BinaryCrossEntropy, Precision = Precision.Double)]
                [Layer(16, Activation.Tanh)]
                [Layer({{NetworkLimits.MaxOutputs}}, Activation.Sigmoid)]
                public partial class SplitWideBinary { }

                // The most neurons and layers: {{NetworkLimits.MaxNeurons}} layers of one neuron.
                [Network(1)]
                {{string.Concat(Enumerable.Repeat("[Layer(1, Activation.Tanh)]", NetworkLimits.MaxNeurons))}}
                public partial class SplitChain { }
            }
            """;

        // The batch shape writes a whole block of samples per width into one method
        // (BpgForwardBatchV256, BpgAccumulateGradientBatchV256, …), every z, a and δ a vector local:
        // one network at each of NetworkLimits.BatchMaxParameters and BatchMaxSignals, and the
        // heaviest rules (softmax with cross-entropy, GELU's tanh, binary cross-entropy in double).
        internal static readonly string BatchAtTheLimits = $$"""
            using BackpropGen;
            namespace Limits
            {
                // Nearly the most parameters, with input scaling: (19 + 1) * 18 + (18 + 1) * 1 = 379 of {{NetworkLimits.BatchMaxParameters}}.
                [Network(19, InputScaling = true)]
                [Layer(18, Activation.Sigmoid)]
                [Layer(1, Activation.Sigmoid)]
                public partial class BatchWide { }

                // The most inputs and neurons, of the costliest activation (GELU: a tanh per σ, an
                // exponential per σ'): 1 + {{NetworkLimits.BatchMaxSignals - 2}} + 1 = {{NetworkLimits.BatchMaxSignals}}.
                [Network(1)]
                [Layer({{NetworkLimits.BatchMaxSignals - 2}}, Activation.GELU)]
                [Layer(1, Activation.Linear)]
                public partial class BatchManyNeurons { }

                // Nearly the most parameters with GELU: 4 → 42 → 4, 382 parameters.
                [Network(4)]
                [Layer(42, Activation.GELU)]
                [Layer(4, Activation.Linear)]
                public partial class BatchGelu { }

                // A wide softmax output with cross-entropy: 8 → 10 → 24, 354 parameters.
                [Network(8, Loss = LossFunction.CrossEntropy)]
                [Layer(10, Activation.Tanh)]
                [Layer(24, Activation.Softmax)]
                public partial class BatchSoftmax { }

                // Double, binary cross-entropy, four layers: 10 → 12 SiLU → 10 LeakyReLU → 8 sigmoid, 350 parameters.
                [Network(10, Loss = LossFunction.BinaryCrossEntropy, Precision = Precision.Double)]
                [Layer(12, Activation.SiLU)]
                [Layer(10, Activation.LeakyReLU)]
                [Layer(8, Activation.Sigmoid)]
                public partial struct BatchDeepBinary { }

                // The most layers: {{NetworkLimits.BatchMaxSignals - 1}} layers of one neuron.
                [Network(1)]
                {{string.Concat(Enumerable.Repeat("[Layer(1, Activation.Tanh)]", NetworkLimits.BatchMaxSignals - 1))}}
                public partial class BatchChain { }
            }
            """;

        private const int BatchCount = 6;

        [Fact]
        public void Networks_at_the_limits_are_accepted_and_compile_clean()
        {
            // JitProbe.Compile required both compilations free of diagnostics, warnings included.
            Assert.Equal(UnsplitCount, _compiled.Unsplit.Outcome.GeneratedSources.Count());
            Assert.Equal(SplitCount, _compiled.Split.Outcome.GeneratedSources.Count());
            Assert.Equal(BatchCount, _compiled.Batch.Outcome.GeneratedSources.Count());
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void No_batch_method_of_a_network_at_the_batch_limits_runs_in_MinOpts(bool disableAvx)
        {
            Assert.All(_compiled.Batch.Outcome.GeneratedSources, s => Assert.Contains("BpgAccumulateGradientBatchV256(", s.SourceText.ToString(), StringComparison.Ordinal));
            string[] generated = JitReport(_compiled.Batch, BatchCount, disableAvx);

            // The width this run takes, for every network, both members (JitReport checked them all FullOpts).
            string width = disableAvx ? "V128(" : "V256(";
            Assert.Equal(BatchCount, generated.Count(l => l.Contains(":BpgForwardBatch" + width, StringComparison.Ordinal)));
            Assert.Equal(BatchCount, generated.Count(l => l.Contains(":BpgAccumulateGradientBatch" + width, StringComparison.Ordinal)));
        }

        [Fact]
        public void No_member_of_an_unsplit_network_at_the_limits_runs_in_MinOpts()
        {
            string[] generated = JitReport(_compiled.Unsplit, UnsplitCount, disableAvx: false);

            // One method per member: nothing but the split scalar network was split into private steps,
            // and its longest steps (a row of 1024 updates each) were compiled on their own.
            Assert.DoesNotContain(generated, l => l.Contains(":Bpg", StringComparison.Ordinal) && !l.Contains(ScalarSplit + ":", StringComparison.Ordinal));
            Assert.Contains(generated, l => l.Contains(ScalarSplit + ":BpgDescend1_0_k0(", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void No_generated_method_of_a_split_network_at_the_limits_runs_in_MinOpts(bool disableAvx)
        {
            string[] generated = JitReport(_compiled.Split, SplitCount, disableAvx);

            // The split networks' steps were compiled too, in the width this run takes (small steps,
            // such as those of a chain of one-neuron layers, are inlined into their caller).
            Assert.Contains(generated, l => l.Contains(disableAvx ? ":BpgForwardV128_1_0(" : ":BpgForwardV256_1_0(", StringComparison.Ordinal));
        }

        /// <summary>
        /// Runs the probe on <paramref name="probe"/>'s networks with tiering off and returns the JIT's
        /// summary lines for generated methods, having checked that every member of every network was
        /// compiled, all in FullOpts.
        /// </summary>
        private static string[] JitReport(JitProbe probe, int networkCount, bool disableAvx)
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
            Assert.Contains("exercised " + networkCount + " networks", run.Output, StringComparison.Ordinal);

            string[] generated = File.ReadAllLines(report).Where(l => l.Contains("Limits.", StringComparison.Ordinal)).ToArray();
            foreach (string method in s_members)
            {
                Assert.Equal(networkCount, generated.Count(l => l.Contains(":" + method + "(", StringComparison.Ordinal)));
            }

            // The networks with input scaling (one per set at least) had their setter compiled too.
            Assert.Contains(generated, l => l.Contains(":SetInputScaling(", StringComparison.Ordinal));
            Assert.Contains(generated, l => l.Contains(":CopyInputScalingTo(", StringComparison.Ordinal));

            string[] minOpts = generated.Where(l => l.Contains("MinOpts", StringComparison.Ordinal)).ToArray();
            Assert.True(minOpts.Length == 0, "Compiled in MinOpts:" + Environment.NewLine + string.Join(Environment.NewLine, minOpts));
            Assert.All(generated, l => Assert.Contains("FullOpts", l, StringComparison.Ordinal));
            return generated;
        }
    }
}
