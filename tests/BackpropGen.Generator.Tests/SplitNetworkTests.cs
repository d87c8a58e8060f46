using System;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// A split network moves θ as a span where the target has MemoryMarshal.CreateSpan (.NET, Unity)
    /// and one statement per parameter where it does not (netstandard2.0): both forms must give the
    /// same parameters from a seed, round-trip every parameter, and train alike. On .NET 10 both
    /// networks are also vector networks (Adam and momentum updating whole vectors of θ), so training
    /// alike checks those against the scalar updates that OptimizerTests checks against the textbook.
    /// </summary>
    [Trait("Category", "Slow")]
    public class SplitNetworkTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Split
            {
                [Network(400, Optimizer = Optimizer.Adam, WeightDecay = 1e-3)]
                [Layer(3, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class ManyInputs { }

                [Network(36, Optimizer = Optimizer.Momentum, WeightDecay = 1e-3)]
                [Layer(22, Activation.ReLU)]
                [Layer(10, Activation.Sigmoid)]
                public partial struct Wide { }

                // SGD updates inside TrainStep's steps, in rows longer than a step holds: netstandard2.0's
                // scalar steps cut each first-layer row at 512 columns (.NET 10's vector rows are 75 vectors).
                [Network(600)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class LongRows { }
            }
            """;

        private static readonly Lazy<Assembly> s_net10 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.Net10));
        private static readonly Lazy<Assembly> s_netStandard20 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.NetStandard20));

        [Fact]
        public void The_two_forms_are_what_the_targets_get()
        {
            string net10 = string.Concat(GeneratorHarness.Run(Source, TargetProfile.Net10).GeneratedSources.Select(s => s.SourceText.ToString()));
            string netStandard20 = string.Concat(GeneratorHarness.Run(Source, TargetProfile.NetStandard20).GeneratedSources.Select(s => s.SourceText.ToString()));
            Assert.Contains("random.FillUniform(global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(", net10, StringComparison.Ordinal);
            Assert.DoesNotContain("MemoryMarshal.CreateSpan", netStandard20, StringComparison.Ordinal);
            Assert.Contains("BpgInitialize0(ref random);", netStandard20, StringComparison.Ordinal);
            Assert.Contains("BpgDescend1_0_k0(ref s, learningRate);", netStandard20, StringComparison.Ordinal);
            Assert.Contains("BpgDescend1_1_k512(ref s, learningRate);", netStandard20, StringComparison.Ordinal);
            Assert.DoesNotContain("_k0(", net10, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Split.ManyInputs")]
        [InlineData("Split.Wide")]
        [InlineData("Split.LongRows")]
        public void Both_forms_initialize_the_same_parameters_from_a_seed(string typeName)
        {
            INetwork<float> modern = Networks.Create<float>(s_net10.Value, typeName);
            INetwork<float> legacy = Networks.Create<float>(s_netStandard20.Value, typeName);
            modern.InitializeParameters(42);
            legacy.InitializeParameters(42);
            float[] parameters = Networks.Parameters(modern);
            Assert.Equal(parameters, Networks.Parameters(legacy));
            Assert.Contains(parameters, p => p != 0);

            // Biases start at 0, weights do not.
            var topology = modern.Topology;
            Assert.Equal(0f, parameters[(topology.InputCount * topology.Layers[0].Size) + 1]);
        }

        [Theory]
        [InlineData("Split.ManyInputs")]
        [InlineData("Split.Wide")]
        [InlineData("Split.LongRows")]
        public void LoadParameters_and_CopyParametersTo_round_trip_every_parameter(string typeName)
        {
            foreach (Assembly assembly in new[] { s_net10.Value, s_netStandard20.Value })
            {
                INetwork<float> network = Networks.Create<float>(assembly, typeName);
                float[] expected = Enumerable.Range(0, network.ParameterCount).Select(i => (float)i + 0.5f).ToArray();
                network.LoadParameters(expected);
                Assert.Equal(expected, Networks.Parameters(network));
            }
        }

        [Theory]
        [InlineData("Split.ManyInputs")]
        [InlineData("Split.Wide")]
        [InlineData("Split.LongRows")]
        public void Both_forms_train_alike(string typeName)
        {
            INetwork<float> modern = Networks.Create<float>(s_net10.Value, typeName);
            INetwork<float> legacy = Networks.Create<float>(s_netStandard20.Value, typeName);
            modern.InitializeParameters(3);
            legacy.InitializeParameters(3);
            var random = new ParameterRandom(9);
            float[] input = Enumerable.Range(0, modern.InputCount).Select(_ => (float)random.NextUniform(1)).ToArray();
            float[] target = Enumerable.Range(0, modern.OutputCount).Select(_ => (float)random.NextDouble()).ToArray();
            float first = 0;
            float last = 0;
            for (int step = 0; step < 20; step++)
            {
                last = modern.TrainStep(input, target, 0.05f);
                float legacyLoss = legacy.TrainStep(input, target, 0.05f);
                Assert.True(Math.Abs(last - legacyLoss) <= 1e-4f * Math.Max(1, last), $"step {step}: {last} vs {legacyLoss}");
                first = step == 0 ? last : first;
            }

            Assert.True(last < first, $"loss went from {first} to {last}");
            float[] modernParameters = Networks.Parameters(modern);
            float[] legacyParameters = Networks.Parameters(legacy);
            for (int i = 0; i < modernParameters.Length; i++)
            {
                Assert.True(Math.Abs(modernParameters[i] - legacyParameters[i]) <= 1e-4f, $"[{i}] {modernParameters[i]} vs {legacyParameters[i]}");
            }
        }
    }
}
