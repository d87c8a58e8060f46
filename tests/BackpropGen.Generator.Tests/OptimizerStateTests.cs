using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// CopyOptimizerStateTo / LoadOptimizerState for every optimizer, both precisions and every shape:
    /// unsplit fields (a small network), split structs moved as spans (netstandard2.1: CreateSpan but no
    /// Vector256), split structs moved one statement at a time in blocks (netstandard2.0), and vector
    /// networks (the same wide network on .NET 10). A network trained 5 steps, copied into a fresh one
    /// (parameters and optimizer state), then both trained 5 more steps end with the same bits.
    /// </summary>
    public class OptimizerStateTests
    {
        private static readonly string SmallSource = BuildSource(wide: false);

        private static readonly string WideSource = BuildSource(wide: true);

        private static readonly Lazy<Assembly> s_small = new(() => GeneratorHarness.CompileAndLoad(SmallSource, TargetProfile.Net10));

        // The wide networks are compiled once per target, and only by the Category=Slow tests.
        private static readonly Dictionary<TargetProfile, Lazy<Assembly>> s_wide = new()
        {
            [TargetProfile.Net10] = new(() => GeneratorHarness.CompileAndLoad(WideSource, TargetProfile.Net10)),
            [TargetProfile.NetStandard21] = new(() => GeneratorHarness.CompileAndLoad(WideSource, TargetProfile.NetStandard21)),
            [TargetProfile.NetStandard20] = new(() => GeneratorHarness.CompileAndLoad(WideSource, TargetProfile.NetStandard20)),
        };

        private static string BuildSource(bool wide)
        {
            var source = new StringBuilder("using BackpropGen;\nnamespace OptimizerState\n{\n");
            foreach (Optimizer optimizer in Enum.GetValues<Optimizer>())
            {
                foreach (string precision in new[] { "Single", "Double" })
                {
                    // Small: unsplit fields everywhere. Wide (36-22-2, 860 parameters, past the unsplit 768):
                    // split, and a vector network on .NET 10 with scalar tails (36 and 22 are not multiples of 8).
                    if (!wide)
                    {
                        source.Append("    [Network(3, Precision = Precision.").Append(precision).Append(", Optimizer = Optimizer.").Append(optimizer).Append(")]\n")
                            .Append("    [Layer(4, Activation.Tanh)]\n    [Layer(2, Activation.Sigmoid)]\n")
                            .Append("    public partial class Small").Append(optimizer).Append(precision).Append(" { }\n\n");
                    }
                    else
                    {
                        source.Append("    [Network(36, Precision = Precision.").Append(precision).Append(", Optimizer = Optimizer.").Append(optimizer).Append(", WeightDecay = 1e-3)]\n")
                            .Append("    [Layer(22, Activation.ReLU)]\n    [Layer(2, Activation.Sigmoid)]\n")
                            .Append("    public partial struct Wide").Append(optimizer).Append(precision).Append(" { }\n\n");
                    }
                }
            }

            return source.Append("}\n").ToString();
        }

        private static Assembly Compiled(string type, TargetProfile profile) =>
            type.StartsWith("OptimizerState.Small", StringComparison.Ordinal) ? s_small.Value : s_wide[profile].Value;

        public static IEnumerable<object[]> SmallCases() => Cases(wide: false);

        public static IEnumerable<object[]> WideCases() => Cases(wide: true);

        private static IEnumerable<object[]> Cases(bool wide)
        {
            foreach (Optimizer optimizer in Enum.GetValues<Optimizer>())
            {
                foreach (bool isDouble in new[] { false, true })
                {
                    if (!wide)
                    {
                        yield return new object[] { optimizer, isDouble, "Small", TargetProfile.Net10 };
                        continue;
                    }

                    yield return new object[] { optimizer, isDouble, "Wide", TargetProfile.Net10 };
                    yield return new object[] { optimizer, isDouble, "Wide", TargetProfile.NetStandard21 };
                    yield return new object[] { optimizer, isDouble, "Wide", TargetProfile.NetStandard20 };
                }
            }
        }

        private static string TypeName(Optimizer optimizer, bool isDouble, string size) =>
            "OptimizerState." + size + optimizer + (isDouble ? "Double" : "Single");

        [Fact]
        public void The_shapes_are_the_ones_named()
        {
            string Generated(TargetProfile profile, string type) =>
                GeneratorHarness.Run(type.StartsWith("Small", StringComparison.Ordinal) ? SmallSource : WideSource, profile).GeneratedSources.Single(s => s.HintName.Contains(type, StringComparison.Ordinal)).SourceText.ToString();

            Assert.DoesNotContain("_bpgMoment1", Generated(TargetProfile.Net10, "SmallAdamSingle"), StringComparison.Ordinal);
            Assert.Contains("Vector256", Generated(TargetProfile.Net10, "WideAdamSingle"), StringComparison.Ordinal);
            string span = Generated(TargetProfile.NetStandard21, "WideAdamSingle");
            Assert.DoesNotContain("Vector256", span, StringComparison.Ordinal);
            Assert.Contains("MemoryMarshal.CreateSpan(ref _bpgMoment2.", span, StringComparison.Ordinal);
            Assert.Contains("BpgCopyState1_0(destination);", Generated(TargetProfile.NetStandard20, "WideAdamSingle"), StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(SmallCases))]
        public void A_copied_state_continues_with_the_same_bits(Optimizer optimizer, bool isDouble, string size, TargetProfile profile) =>
            CopiedStateContinues(optimizer, isDouble, size, profile);

        [Theory]
        [MemberData(nameof(WideCases))]
        [Trait("Category", "Slow")]
        public void A_copied_state_of_a_split_network_continues_with_the_same_bits(Optimizer optimizer, bool isDouble, string size, TargetProfile profile) =>
            CopiedStateContinues(optimizer, isDouble, size, profile);

        private static void CopiedStateContinues(Optimizer optimizer, bool isDouble, string size, TargetProfile profile)
        {
            string type = TypeName(optimizer, isDouble, size);
            Assembly assembly = Compiled(type, profile);
            if (isDouble)
            {
                RoundTrip<double>(assembly, type, optimizer, x => x);
            }
            else
            {
                RoundTrip<float>(assembly, type, optimizer, x => (float)x);
            }
        }

        private static void RoundTrip<T>(Assembly assembly, string type, Optimizer optimizer, Func<double, T> number)
            where T : struct, IEquatable<T>
        {
            INetwork<T> trained = Networks.Create<T>(assembly, type);
            int expectedCount = optimizer switch
            {
                Optimizer.Sgd => 0,
                Optimizer.Momentum => trained.ParameterCount,
                _ => (2 * trained.ParameterCount) + 3,
            };
            Assert.Equal(expectedCount, trained.OptimizerStateCount);
            trained.InitializeParameters(11);
            Train(trained, number, 0);

            T[] parameters = Networks.Parameters(trained);
            var state = new T[trained.OptimizerStateCount];
            trained.CopyOptimizerStateTo(state);
            if (optimizer != Optimizer.Sgd)
            {
                Assert.Contains(state, s => !s.Equals(default));
            }

            if (optimizer == Optimizer.Adam)
            {
                // t after 5 steps, after both moment vectors.
                Assert.Equal(number(5), state[2 * trained.ParameterCount]);
            }

            INetwork<T> resumed = Networks.Create<T>(assembly, type);
            resumed.InitializeParameters(99);
            resumed.LoadParameters(parameters);
            resumed.LoadOptimizerState(state);
            var reloaded = new T[state.Length];
            resumed.CopyOptimizerStateTo(reloaded);
            Assert.Equal(state, reloaded);

            // Without the state the next steps differ (so the comparison below can fail).
            INetwork<T> restarted = Networks.Create<T>(assembly, type);
            restarted.LoadParameters(parameters);

            Train(trained, number, 5);
            Train(resumed, number, 5);
            Train(restarted, number, 5);
            T[] expected = Networks.Parameters(trained);
            Assert.Equal(expected, Networks.Parameters(resumed));
            Assert.NotEqual(parameters, expected);
            if (optimizer != Optimizer.Sgd)
            {
                Assert.NotEqual(expected, Networks.Parameters(restarted));
            }

            trained.CopyOptimizerStateTo(state);
            resumed.CopyOptimizerStateTo(reloaded);
            Assert.Equal(state, reloaded);
        }

        /// <summary>Five TrainSteps on fixed samples (<paramref name="first"/> on).</summary>
        private static void Train<T>(INetwork<T> network, Func<double, T> number, int first)
            where T : struct
        {
            var input = new T[network.InputCount];
            var target = new T[network.OutputCount];
            for (int step = first; step < first + 5; step++)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = number(Math.Sin((step * 7) + i));
                }

                for (int j = 0; j < target.Length; j++)
                {
                    target[j] = number((step + j) % 2);
                }

                network.TrainStep(input, target, number(0.05));
            }
        }

        [Theory]
        [InlineData("OptimizerState.SmallAdamSingle", TargetProfile.Net10)]
        [InlineData("OptimizerState.SmallSgdSingle", TargetProfile.Net10)]
        public void Wrong_lengths_throw_naming_the_span(string type, TargetProfile profile) => WrongLengthsThrow(type, profile);

        [Theory]
        [InlineData("OptimizerState.WideMomentumSingle", TargetProfile.Net10)]
        [InlineData("OptimizerState.WideAdamSingle", TargetProfile.NetStandard20)]
        [Trait("Category", "Slow")]
        public void Wrong_lengths_throw_naming_the_span_in_split_networks(string type, TargetProfile profile) => WrongLengthsThrow(type, profile);

        private static void WrongLengthsThrow(string type, TargetProfile profile)
        {
            INetwork<float> network = Networks.Create<float>(Compiled(type, profile), type);
            int count = network.OptimizerStateCount;
            var copy = Assert.Throws<ArgumentException>(() => network.CopyOptimizerStateTo(new float[count + 1]));
            Assert.Equal("destination", copy.ParamName);
            var load = Assert.Throws<ArgumentException>(() => network.LoadOptimizerState(new float[count + 1]));
            Assert.Equal("source", load.ParamName);
            if (count > 0)
            {
                Assert.Throws<ArgumentException>(() => network.LoadOptimizerState(new float[count - 1]));
            }
        }

        [Theory]
        [InlineData("OptimizerState.SmallAdamDouble", TargetProfile.Net10)]
        public void Copying_and_loading_the_state_allocate_nothing(string type, TargetProfile profile) => AllocateNothing(type, profile);

        [Theory]
        [InlineData("OptimizerState.WideAdamDouble", TargetProfile.Net10)]
        [InlineData("OptimizerState.WideMomentumDouble", TargetProfile.NetStandard21)]
        [InlineData("OptimizerState.WideAdamDouble", TargetProfile.NetStandard20)]
        [Trait("Category", "Slow")]
        public void Copying_and_loading_the_state_of_split_networks_allocate_nothing(string type, TargetProfile profile) => AllocateNothing(type, profile);

        private static void AllocateNothing(string type, TargetProfile profile)
        {
            INetwork<double> network = Networks.Create<double>(Compiled(type, profile), type);
            var state = new double[network.OptimizerStateCount];
            network.CopyOptimizerStateTo(state);
            network.LoadOptimizerState(state);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                network.CopyOptimizerStateTo(state);
                network.LoadOptimizerState(state);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }
}
