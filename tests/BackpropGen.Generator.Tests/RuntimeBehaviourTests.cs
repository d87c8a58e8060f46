using System;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>What a user's program sees at run time: no allocation, clear argument errors, deterministic initialization.</summary>
    public class RuntimeBehaviourTests
    {
        private const string Source = """
            using System;
            using BackpropGen;

            namespace Runtime
            {
                [Network(2)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class ClassNet { }

                [Network(3, Precision = Precision.Double, Loss = LossFunction.MeanSquaredError)]
                [Layer(5, Activation.ReLU)]
                [Layer(4, Activation.LeakyReLU)]
                [Layer(2, Activation.Linear)]
                public partial struct StructNet { }

                // Split into private steps with vector steps, Adam (a stack gradient inside TrainStep).
                [Network(36, Optimizer = Optimizer.Adam)]
                [Layer(22, Activation.Sigmoid)]
                [Layer(10, Activation.Sigmoid)]
                public partial class WideNet { }

                public static class Loop
                {
                    // Called through a generic constraint, as a game would, so the struct is never boxed.
                    public static long TrainBytes<TNet>(ref TNet network, int steps)
                        where TNet : struct, INetwork<double>
                    {
                        Span<double> x = stackalloc double[3] { 0.1, -0.2, 0.3 };
                        Span<double> y = stackalloc double[2] { 0.5, -0.5 };
                        Span<double> gradient = stackalloc double[StructNet.ParameterCount];
                        network.TrainStep(x, y, 0.01);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int i = 0; i < steps; i++)
                        {
                            network.TrainStep(x, y, 0.01);
                            network.AccumulateGradient(x, y, gradient);
                            network.ApplyGradient(gradient, 0.001);
                            network.Forward(x, y);
                        }

                        return GC.GetAllocatedBytesForCurrentThread() - before;
                    }
                }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

        [Theory]
        [InlineData("Runtime.ClassNet")]
        [InlineData("Runtime.WideNet")]
        public void Training_a_class_network_allocates_nothing(string typeName)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, typeName);
            network.InitializeParameters(3);
            float[] x = Enumerable.Range(0, network.InputCount).Select(i => i % 2 == 0 ? 1f : 0f).ToArray();
            float[] y = Enumerable.Range(0, network.OutputCount).Select(_ => 1f).ToArray();
            var gradient = new float[network.ParameterCount];
            var output = new float[network.OutputCount];
            for (int i = 0; i < 1000; i++)
            {
                network.TrainStep(x, y, 0.1f); // warm up: tiered JIT, statics
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                network.TrainStep(x, y, 0.1f);
                network.AccumulateGradient(x, y, gradient);
                network.ApplyGradient(gradient, 0.01f);
                network.Forward(x, output);
                network.ComputeLoss(x, y);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        [Fact]
        public void Training_a_struct_network_through_a_generic_constraint_allocates_nothing()
        {
            Type structType = s_assembly.Value.GetType("Runtime.StructNet", throwOnError: true)!;
            MethodInfo loop = s_assembly.Value.GetType("Runtime.Loop", throwOnError: true)!.GetMethod("TrainBytes")!.MakeGenericMethod(structType);
            object network = Activator.CreateInstance(structType)!;
            ((INetwork<double>)network).InitializeParameters(1);
            object[] arguments = { network, 1000 };
            loop.Invoke(null, arguments); // warm up
            arguments[1] = 10_000;
            Assert.Equal(0L, (long)loop.Invoke(null, arguments)!);
        }

        [Theory]
        [InlineData("input", 3)]
        [InlineData("target", 2)]
        public void Wrong_span_length_throws_ArgumentException_naming_the_parameter_and_changes_nothing(string parameter, int length)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Runtime.ClassNet");
            network.InitializeParameters(5);
            float[] before = Networks.Parameters(network);
            float[] x = new float[parameter == "input" ? length : 2];
            float[] y = new float[parameter == "target" ? length : 1];

            var exception = Assert.Throws<ArgumentException>(() => network.TrainStep(x, y, 0.5f));

            Assert.Equal(parameter, exception.ParamName);
            Assert.Contains("length " + (parameter == "input" ? 2 : 1), exception.Message, StringComparison.Ordinal);
            Assert.Contains("length " + length, exception.Message, StringComparison.Ordinal);
            Assert.Equal(before, Networks.Parameters(network));
        }

        [Fact]
        public void Every_span_argument_is_checked()
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            double[] x = new double[3];
            double[] y = new double[2];
            double[] parameters = new double[network.ParameterCount];
            Assert.Equal("output", Assert.Throws<ArgumentException>(() => network.Forward(x, new double[3])).ParamName);
            Assert.Equal("input", Assert.Throws<ArgumentException>(() => network.Forward(new double[4], y)).ParamName);
            Assert.Equal("target", Assert.Throws<ArgumentException>(() => network.ComputeLoss(x, new double[1])).ParamName);
            Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => network.AccumulateGradient(x, y, new double[1])).ParamName);
            Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => network.ApplyGradient(new double[parameters.Length + 1], 0.1)).ParamName);
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => network.CopyParametersTo(new double[parameters.Length - 1])).ParamName);
            Assert.Equal("source", Assert.Throws<ArgumentException>(() => network.LoadParameters(Array.Empty<double>())).ParamName);
        }

        [Fact]
        public void Forward_is_safe_from_several_threads_at_once()
        {
            // Forward only reads fields and writes locals: no shared scratch state.
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            network.InitializeParameters(8);
            double[][] inputs = Enumerable.Range(0, 64).Select(i => new[] { i * 0.1, -i * 0.05, 1.0 / (i + 1) }).ToArray();
            double[][] expected = inputs.Select(x =>
            {
                var y = new double[2];
                network.Forward(x, y);
                return y;
            }).ToArray();

            System.Threading.Tasks.Parallel.For(0, 4, _ =>
            {
                var output = new double[2];
                for (int round = 0; round < 2000; round++)
                {
                    int i = round % inputs.Length;
                    network.Forward(inputs[i], output);
                    Assert.Equal(expected[i], output);
                }
            });
        }

        [Fact]
        public void Forward_of_a_split_vector_network_is_safe_from_several_threads_at_once()
        {
            // Its steps share z, a and δ through a scratch struct on the caller's stack, not in fields.
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Runtime.WideNet");
            network.InitializeParameters(8);
            var random = new ParameterRandom(4);
            float[][] inputs = Enumerable.Range(0, 32).Select(_ => Enumerable.Range(0, network.InputCount).Select(_ => (float)random.NextUniform(1)).ToArray()).ToArray();
            float[][] expected = inputs.Select(x =>
            {
                var y = new float[10];
                network.Forward(x, y);
                return y;
            }).ToArray();

            System.Threading.Tasks.Parallel.For(0, 4, _ =>
            {
                var output = new float[10];
                for (int round = 0; round < 2000; round++)
                {
                    int i = round % inputs.Length;
                    network.Forward(inputs[i], output);
                    Assert.Equal(expected[i], output);
                }
            });
        }

        [Fact]
        public void Constants_and_interface_counts_agree()
        {
            Type type = s_assembly.Value.GetType("Runtime.StructNet", throwOnError: true)!;
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            Assert.Equal(3, network.InputCount);
            Assert.Equal(2, network.OutputCount);
            Assert.Equal((3 + 1) * 5 + (5 + 1) * 4 + (4 + 1) * 2, network.ParameterCount);
            Assert.Equal(network.ParameterCount, (int)type.GetField("ParameterCount")!.GetRawConstantValue()!);
            Assert.Equal(
                new NetworkTopology(3, LossFunction.MeanSquaredError, Precision.Double, new LayerTopology(5, Activation.ReLU), new LayerTopology(4, Activation.LeakyReLU), new LayerTopology(2, Activation.Linear)),
                network.Topology);
            Assert.Equal(network.ParameterCount, network.Topology.ParameterCount);
            Assert.Equal("3 inputs → 5 ReLU → 4 LeakyReLU → 2 Linear; MeanSquaredError; Double", network.Topology.ToString());
        }

        [Fact]
        public void Parameters_round_trip_in_canonical_order()
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            double[] values = Enumerable.Range(1, network.ParameterCount).Select(i => i * 0.25).ToArray();
            network.LoadParameters(values);
            Assert.Equal(values, Networks.Parameters(network));

            // Canonical order: layer 1's weights row by row (w[j][k]), then its biases. With inputs
            // (1, 0, 0) and ReLU, z¹ⱼ = w¹ⱼ₀ + b¹ⱼ picks out exactly those slots.
            var single = Networks.Create<float>(s_assembly.Value, "Runtime.ClassNet");
            float[] p = new float[single.ParameterCount];
            p[0 * 2 + 1] = 1f;   // w¹₀₁: neuron 0 of layer 1 looks at input 1
            p[8] = 0f;           // b¹₀ (biases follow the 4×2 weights)
            p[12] = 10f;         // w²₀₀ (layer 2 starts after 8 weights + 4 biases)
            single.LoadParameters(p);
            float[] output = new float[1];
            single.Forward(new[] { 0f, 2f }, output);
            Assert.Equal(1 / (1 + Math.Exp(-10 * Math.Tanh(2))), output[0], 1e-6);
        }

        [Fact]
        public void InitializeParameters_is_deterministic_and_follows_Xavier_and_He()
        {
            INetwork<double> first = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            INetwork<double> second = Networks.Create<double>(s_assembly.Value, "Runtime.StructNet");
            first.InitializeParameters(42);
            second.InitializeParameters(42);
            double[] a = Networks.Parameters(first);
            Assert.Equal(a, Networks.Parameters(second));
            second.InitializeParameters(43);
            Assert.NotEqual(a, Networks.Parameters(second));

            // Layer 1 (3 → 5 ReLU): He uniform, r = √(6/3); biases 0.
            double he = Math.Sqrt(6.0 / 3);
            Assert.All(a.Take(15), w => Assert.InRange(Math.Abs(w), 1e-12, he));
            Assert.All(a.Skip(15).Take(5), b => Assert.Equal(0, b));

            // Layer 3 (4 → 2 Linear): Xavier uniform, r = √(6/(4+2)) = 1; biases 0.
            Assert.All(a.Skip(44).Take(8), w => Assert.InRange(Math.Abs(w), 1e-12, 1.0));
            Assert.All(a.Skip(52), b => Assert.Equal(0, b));
        }

        [Fact]
        public void ParameterRandom_is_uniform_and_reproducible()
        {
            var random = new ParameterRandom(123);
            var again = new ParameterRandom(123);
            double sum = 0;
            double min = double.MaxValue, max = double.MinValue;
            const int N = 100_000;
            for (int i = 0; i < N; i++)
            {
                double u = random.NextDouble();
                Assert.Equal(u, again.NextDouble());
                sum += u;
                min = Math.Min(min, u);
                max = Math.Max(max, u);
            }

            Assert.InRange(sum / N, 0.495, 0.505);
            Assert.InRange(min, 0, 0.001);
            Assert.InRange(max, 0.999, 1);
            Assert.NotEqual(new ParameterRandom(1).NextUInt64(), new ParameterRandom(2).NextUInt64());
        }
    }
}
