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
    /// Random topologies through the real generator: the generated gradients against central finite
    /// differences, forward against an independent reference, and TrainStep against
    /// AccumulateGradient + ApplyGradient.
    /// </summary>
    /// <remarks>
    /// The topologies are compiled as three assemblies: the first <see cref="FastRandomCount"/> random
    /// ones (the fast subset, <c>--filter "Category!=Slow"</c>, which still covers every activation,
    /// loss and precision), the other random ones, and the wide ones (most of the code and of the
    /// compile time). The cases of the last two carry the Slow trait.
    /// </remarks>
    public class GradientTests
    {
        private const int RandomTopologyCount = 64;

        /// <summary>The random topologies the fast subset checks; the rest are Slow.</summary>
        private const int FastRandomCount = 24;

        /// <summary>Every per-neuron activation, from the enum (Softmax is drawn for the output layer of a cross-entropy network).</summary>
        private static readonly Activation[] s_activations = Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).ToArray();

        /// <summary>
        /// Networks past the one-method-per-member size (NetworkLimits.Unsplit…), generated as private
        /// steps sharing a scratch struct: each crosses a different threshold (inputs, parameters,
        /// neurons), with every loss; Wide2 is issue #4's 64-32-10.
        /// </summary>
        private static readonly Topology[] s_split =
        {
            new("Wide0", 400, new[] { (3, Activation.Tanh), (2, Activation.Sigmoid) }, LossFunction.HalfSquaredError, IsDouble: false),
            new("Wide1", 30, new[] { (30, Activation.ReLU), (20, Activation.LeakyReLU), (5, Activation.Softmax) }, LossFunction.CrossEntropy, IsDouble: true),
            new("Wide2", 64, new[] { (32, Activation.Sigmoid), (10, Activation.Sigmoid) }, LossFunction.HalfSquaredError, IsDouble: false),
            new("Wide3", 10, new[] { (150, Activation.Tanh), (60, Activation.Linear), (3, Activation.Sigmoid) }, LossFunction.BinaryCrossEntropy, IsDouble: true),
            new("Wide4", 50, new[] { (20, Activation.Sigmoid), (20, Activation.Tanh), (4, Activation.Linear) }, LossFunction.MeanSquaredError, IsDouble: false),
            // Every per-neuron activation as a hidden layer of 17 (two float vectors and one left over), in double and float.
            new("Wide5", 16, s_activations.Select(a => (17, a)).Append((3, Activation.Linear)).ToArray(), LossFunction.HalfSquaredError, IsDouble: true),
            new("Wide6", 16, s_activations.Select(a => (17, a)).Append((3, Activation.Sigmoid)).ToArray(), LossFunction.BinaryCrossEntropy, IsDouble: false),
        };

        private static readonly int TopologyCount = RandomTopologyCount + s_split.Length;
        private static readonly Lazy<Topology[]> s_topologies = new(CreateTopologies);
        private static readonly Lazy<Assembly> s_random = new(() => Compile(s_topologies.Value.Take(FastRandomCount)));
        private static readonly Lazy<Assembly> s_moreRandom = new(() => Compile(s_topologies.Value.Take(RandomTopologyCount).Skip(FastRandomCount)));
        private static readonly Lazy<Assembly> s_wide = new(() => Compile(s_topologies.Value.Skip(RandomTopologyCount)));

        public static IEnumerable<object[]> RandomTopologyIndexes => Enumerable.Range(0, FastRandomCount).Select(i => new object[] { i });

        public static IEnumerable<object[]> MoreRandomTopologyIndexes => Enumerable.Range(FastRandomCount, RandomTopologyCount - FastRandomCount).Select(i => new object[] { i });

        public static IEnumerable<object[]> WideTopologyIndexes => Enumerable.Range(RandomTopologyCount, s_split.Length).Select(i => new object[] { i });

        public sealed record Topology(string Name, int Inputs, (int Size, Activation Activation)[] Layers, LossFunction Loss, bool IsDouble)
        {
            public ReferenceNetwork Reference => new(Inputs, Layers, Loss);

            public override string ToString() =>
                Name + ": " + Inputs + " → " + string.Join(" → ", Layers.Select(l => l.Size + " " + l.Activation)) + ", " + Loss + ", " + (IsDouble ? "double" : "float");
        }

        private static Topology[] CreateTopologies()
        {
            var random = new Random(20261122);
            var topologies = new Topology[TopologyCount];
            for (int i = 0; i < TopologyCount; i++)
            {
                if (i >= RandomTopologyCount)
                {
                    topologies[i] = s_split[i - RandomTopologyCount];
                    continue;
                }

                int layerCount = random.Next(1, 5); // 2-5 layers counting the input layer
                var layers = new (int, Activation)[layerCount];
                for (int l = 0; l < layerCount; l++)
                {
                    layers[l] = (random.Next(1, 13), s_activations[random.Next(s_activations.Length)]);
                }

                // A quarter each: half squared error, mean squared error, softmax with cross-entropy,
                // sigmoid with binary cross-entropy (the last two fix the output layer's activation).
                LossFunction loss = (LossFunction)(i % 8 / 2);
                if (loss == LossFunction.CrossEntropy)
                {
                    layers[^1] = (random.Next(2, 8), Activation.Softmax);
                }
                else if (loss == LossFunction.BinaryCrossEntropy)
                {
                    layers[^1] = (layers[^1].Item1, Activation.Sigmoid);
                }

                topologies[i] = new Topology("Net" + i, random.Next(1, 13), layers, loss, IsDouble: i % 2 == 1);
            }

            return topologies;
        }

        /// <summary>
        /// One assembly of the given topologies: random topology i is a class when i % 4 &lt; 2, a wide
        /// one when i is even, and a struct otherwise.
        /// </summary>
        private static Assembly Compile(IEnumerable<Topology> topologies)
        {
            var source = new StringBuilder("using BackpropGen;\nnamespace Random\n{\n");
            foreach (Topology topology in topologies)
            {
                int i = Array.IndexOf(s_topologies.Value, topology);
                bool isClass = i >= RandomTopologyCount ? i % 2 == 0 : i % 4 < 2;
                Declare(source, topology, isClass ? "class " : "struct ");
            }

            source.Append("}\n");
            return GeneratorHarness.CompileAndLoad(source.ToString());
        }

        private static Assembly AssemblyOf(int index) =>
            index < FastRandomCount ? s_random.Value : index < RandomTopologyCount ? s_moreRandom.Value : s_wide.Value;

        private static void Declare(StringBuilder source, Topology topology, string kind)
        {
            source.Append("    [Network(").Append(topology.Inputs).Append(", Loss = LossFunction.").Append(topology.Loss)
                .Append(", Precision = Precision.").Append(topology.IsDouble ? "Double" : "Single").Append(")]\n");
            foreach (var (size, activation) in topology.Layers)
            {
                source.Append("    [Layer(").Append(size).Append(", Activation.").Append(activation).Append(")]\n");
            }

            source.Append("    public partial ").Append(kind).Append(topology.Name).Append(" { }\n");
        }

        private static (Topology Topology, double[] Parameters, double[] Input, double[] Target) Sample(int index)
        {
            Topology topology = s_topologies.Value[index];
            var random = new Random(index);
            double[] parameters = Enumerable.Range(0, topology.Reference.ParameterCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            if (index >= RandomTopologyCount)
            {
                // Wide layers: scale each layer's parameters by 2/√fan-in so the logits stay moderate. With
                // U(−1, 1) over 30–400 inputs the losses saturate, where the reference (straight from the
                // definitions, no log-softmax floor) is less exact than the generated code.
                int offset = 0;
                int fanIn = topology.Inputs;
                foreach (var (size, _) in topology.Layers)
                {
                    double scale = Math.Min(1, 2 / Math.Sqrt(fanIn));
                    for (int i = offset; i < offset + ((fanIn + 1) * size); i++)
                    {
                        parameters[i] *= scale;
                    }

                    offset += (fanIn + 1) * size;
                    fanIn = size;
                }
            }

            double[] input = Enumerable.Range(0, topology.Inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            double[] target = Enumerable.Range(0, topology.Layers[^1].Size).Select(_ => random.NextDouble()).ToArray();
            if (topology.Loss == LossFunction.CrossEntropy)
            {
                // A distribution, as cross-entropy's fused δᴸ = aᴸ − y assumes: one-hot every other time.
                double total = target.Sum();
                target = index % 4 == 3
                    ? target.Select((_, j) => j == index % target.Length ? 1.0 : 0.0).ToArray()
                    : target.Select(t => t / total).ToArray();
            }
            return (topology, parameters, input, target);
        }

        [Fact]
        public void Topologies_cover_every_activation_loss_and_precision()
        {
            Assert.True(s_topologies.Value.Length >= 50);
            // The fast subset's share alone covers them all.
            Topology[] all = s_topologies.Value.Take(FastRandomCount).ToArray();
            Assert.All(s_activations, a => Assert.Contains(all, t => t.Layers.Any(l => l.Activation == a)));
            Assert.All(Enum.GetValues<LossFunction>(), loss => Assert.Contains(all, t => t.Loss == loss));
            Assert.Contains(all, t => t.Layers[^1].Activation == Activation.Softmax);
            Assert.Contains(all, t => t.IsDouble);
            Assert.Contains(all, t => !t.IsDouble);
            Assert.Contains(all, t => t.Layers.Length == 4);
        }

        [Fact]
        [Trait("Category", "Slow")]
        public void Wide_topologies_are_generated_as_split_steps_and_small_ones_are_not()
        {
            for (int index = 0; index < TopologyCount; index++)
            {
                Topology topology = s_topologies.Value[index];
                bool split = AssemblyOf(index).GetType("Random." + topology.Name, throwOnError: true)!.GetNestedType("BpgScratch", BindingFlags.NonPublic) is not null;
                Assert.True(split == s_split.Contains(topology), topology + (split ? " is split" : " is not split"));
            }
        }

        [Theory]
        [MemberData(nameof(RandomTopologyIndexes))]
        public void Gradient_matches_central_finite_differences(int index) => CheckGradient(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(MoreRandomTopologyIndexes))]
        public void More_random_topologies_gradient_matches_central_finite_differences(int index) => CheckGradient(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(WideTopologyIndexes))]
        public void Wide_network_gradient_matches_central_finite_differences(int index) => CheckGradient(index);

        private static void CheckGradient(int index)
        {
            var (topology, parameters, input, target) = Sample(index);
            if (topology.IsDouble)
            {
                // Black box: finite differences of the generated network's own loss.
                INetwork<double> network = Networks.Create<double>(AssemblyOf(index), "Random." + topology.Name);
                network.LoadParameters(parameters);
                var gradient = new double[network.ParameterCount];
                double loss = network.AccumulateGradient(input, target, gradient);
                Assert.Equal(topology.Reference.ComputeLoss(parameters, input, target), loss, 1e-12);

                var numeric = new double[parameters.Length];
                var probe = (double[])parameters.Clone();
                const double H = 1e-6;
                for (int i = 0; i < probe.Length; i++)
                {
                    probe[i] = parameters[i] + H;
                    network.LoadParameters(probe);
                    double plus = network.ComputeLoss(input, target);
                    probe[i] = parameters[i] - H;
                    network.LoadParameters(probe);
                    double minus = network.ComputeLoss(input, target);
                    probe[i] = parameters[i];
                    numeric[i] = (plus - minus) / (2 * H);
                }

                // Below |∂C/∂θ| = 1e-3·max(1, C) the comparison is absolute: the difference of two losses of
                // size C over 2h carries about 1e-10·C of rounding noise whatever the gradient.
                AssertClose(topology, gradient, numeric, tolerance: 1e-6, floor: 1e-3 * Math.Max(1, Math.Abs(loss)));
            }
            else
            {
                // Float arithmetic has no room for finite differences: take them in double on the reference.
                INetwork<float> network = Networks.Create<float>(AssemblyOf(index), "Random." + topology.Name);
                float[] single = parameters.Select(p => (float)p).ToArray();
                double[] widened = single.Select(p => (double)p).ToArray();
                float[] singleInput = input.Select(x => (float)x).ToArray();
                float[] singleTarget = target.Select(x => (float)x).ToArray();
                double[] exactInput = singleInput.Select(x => (double)x).ToArray();
                double[] exactTarget = singleTarget.Select(x => (double)x).ToArray();
                network.LoadParameters(single);
                var gradient = new float[network.ParameterCount];
                float loss = network.AccumulateGradient(singleInput, singleTarget, gradient);
                double expectedLoss = topology.Reference.ComputeLoss(widened, exactInput, exactTarget);
                Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Max(1, Math.Abs(expectedLoss)), $"{topology}: loss {loss} vs {expectedLoss}");

                double[] numeric = topology.Reference.FiniteDifferenceGradient(widened, exactInput, exactTarget);
                AssertClose(topology, gradient.Select(g => (double)g).ToArray(), numeric, tolerance: 1e-3, floor: 1e-3);
            }
        }

        [Theory]
        [MemberData(nameof(RandomTopologyIndexes))]
        public void Forward_matches_the_reference_network(int index) => CheckForward(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(MoreRandomTopologyIndexes))]
        public void More_random_topologies_forward_matches_the_reference_network(int index) => CheckForward(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(WideTopologyIndexes))]
        public void Wide_network_Forward_matches_the_reference_network(int index) => CheckForward(index);

        private static void CheckForward(int index)
        {
            var (topology, parameters, input, _) = Sample(index);
            double[] expected = topology.Reference.Forward(parameters, input);
            if (topology.IsDouble)
            {
                INetwork<double> network = Networks.Create<double>(AssemblyOf(index), "Random." + topology.Name);
                network.LoadParameters(parameters);
                var output = new double[network.OutputCount];
                network.Forward(input, output);
                AssertClose(topology, output, expected, tolerance: 1e-12, floor: 1e-12);
            }
            else
            {
                INetwork<float> network = Networks.Create<float>(AssemblyOf(index), "Random." + topology.Name);
                network.LoadParameters(parameters.Select(p => (float)p).ToArray());
                var output = new float[network.OutputCount];
                network.Forward(input.Select(x => (float)x).ToArray(), output);
                AssertClose(topology, output.Select(o => (double)o).ToArray(), expected, tolerance: 1e-4, floor: 1e-4);
            }
        }

        [Theory]
        [MemberData(nameof(RandomTopologyIndexes))]
        public void TrainStep_equals_AccumulateGradient_then_ApplyGradient(int index) => CheckSteps(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(MoreRandomTopologyIndexes))]
        public void More_random_topologies_TrainStep_equals_AccumulateGradient_then_ApplyGradient(int index) => CheckSteps(index);

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(WideTopologyIndexes))]
        public void Wide_network_TrainStep_equals_AccumulateGradient_then_ApplyGradient(int index) => CheckSteps(index);

        private static void CheckSteps(int index)
        {
            var (topology, parameters, input, target) = Sample(index);
            if (topology.IsDouble)
            {
                CompareSteps<double>(AssemblyOf(index), topology, parameters, input, target, x => x, 0.1);
            }
            else
            {
                CompareSteps<float>(AssemblyOf(index), topology, parameters, input, target, x => (float)x, 0.1f);
            }
        }

        private static void CompareSteps<T>(Assembly assembly, Topology topology, double[] parameters, double[] input, double[] target, Func<double, T> convert, T learningRate)
            where T : struct
        {
            T[] start = parameters.Select(convert).ToArray();
            T[] x = input.Select(convert).ToArray();
            T[] y = target.Select(convert).ToArray();

            INetwork<T> stepped = Networks.Create<T>(assembly, "Random." + topology.Name);
            stepped.LoadParameters(start);
            T stepLoss = stepped.TrainStep(x, y, learningRate);

            INetwork<T> accumulated = Networks.Create<T>(assembly, "Random." + topology.Name);
            accumulated.LoadParameters(start);
            var gradient = new T[accumulated.ParameterCount];
            T accumulateLoss = accumulated.AccumulateGradient(x, y, gradient);
            accumulated.ApplyGradient(gradient, learningRate);

            Assert.Equal(accumulateLoss, stepLoss);
            Assert.Equal(Networks.Parameters(accumulated), Networks.Parameters(stepped));
            if (gradient.Any(g => !g.Equals(default(T))))
            {
                Assert.NotEqual(start, Networks.Parameters(stepped));
            }
        }

        private static void AssertClose(Topology topology, double[] actual, double[] expected, double tolerance, double floor)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < actual.Length; i++)
            {
                double error = Math.Abs(actual[i] - expected[i]) / Math.Max(floor, Math.Max(Math.Abs(actual[i]), Math.Abs(expected[i])));
                Assert.True(error < tolerance, $"{topology}: [{i}] is {actual[i]:R}, expected {expected[i]:R} (relative error {error:E2}, tolerance {tolerance:E0})");
            }
        }
    }
}
