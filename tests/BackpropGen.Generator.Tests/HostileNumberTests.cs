using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Whatever a game feeds a network: extreme finite values saturate instead of producing NaN or
    /// ±∞, and a non-finite sample or gradient is refused (TrainStep/AccumulateGradient return NaN,
    /// ApplyGradient returns false) with every parameter bit-identical to before.
    /// </summary>
    public class HostileNumberTests
    {
        private static readonly Activation[] s_bounded = { Activation.Sigmoid, Activation.Tanh };
        private static readonly Activation[] s_all = Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).ToArray();
        private static readonly Lazy<Assembly> s_fast = new(() => Compile(fast: true));
        private static readonly Lazy<Assembly> s_more = new(() => Compile(fast: false));

        /// <summary>One assembly of the fast subset's configurations or of the others (Slow).</summary>
        private static Assembly Compile(bool fast)
        {
            var source = new System.Text.StringBuilder("using BackpropGen;\nnamespace Hostile\n{\n");
            foreach (var (hidden, output, loss, optimizer, _) in AllConfigurations().Where(c => c.Fast == fast))
            {
                source.Append($"[Network(3, Loss = LossFunction.{loss}, Optimizer = Optimizer.{optimizer})][Layer(4, Activation.{hidden})][Layer(3, Activation.{output})]\n");
                source.Append($"public partial class {Name(hidden, output, loss, optimizer)} {{ }}\n");
            }

            return GeneratorHarness.CompileAndLoad(source.Append("}\n").ToString());
        }

        private static string Name(Activation hidden, Activation output, LossFunction loss, string optimizer) => $"{hidden}{output}{loss}{optimizer}";

        private static INetwork<float> Create(Activation hidden, Activation output, LossFunction loss, string optimizer)
        {
            bool fast = AllConfigurations().Single(c => c.Hidden == hidden && c.Output == output && c.Loss == loss && c.Optimizer == optimizer).Fast;
            return Infrastructure.Networks.Create<float>((fast ? s_fast : s_more).Value, "Hostile." + Name(hidden, output, loss, optimizer));
        }

        /// <summary>
        /// The fast subset's half: every hidden activation with every output layer, SGD and Adam
        /// alternating (the facts below use two of these configurations, so the fast subset compiles
        /// only this half).
        /// </summary>
        public static IEnumerable<object[]> Configurations => Data(fast: true);

        /// <summary>The other half (Slow): the same pairs with the other optimizer.</summary>
        public static IEnumerable<object[]> MoreConfigurations => Data(fast: false);

        private static IEnumerable<object[]> Data(bool fast) =>
            AllConfigurations().Where(c => c.Fast == fast).Select(c => new object[] { c.Hidden, c.Output, c.Loss, c.Optimizer });

        /// <summary>Every hidden activation × each output layer with its loss × SGD and Adam.</summary>
        private static IEnumerable<(Activation Hidden, Activation Output, LossFunction Loss, string Optimizer, bool Fast)> AllConfigurations()
        {
            var outputs = new[]
            {
                (Activation.Sigmoid, LossFunction.HalfSquaredError),
                (Activation.Tanh, LossFunction.MeanSquaredError),
                (Activation.Linear, LossFunction.HalfSquaredError),
                (Activation.Softmax, LossFunction.CrossEntropy),
                (Activation.Sigmoid, LossFunction.BinaryCrossEntropy),
            };
            string[] optimizers = { "Sgd", "Adam" };
            return from h in Enumerable.Range(0, s_all.Length)
                   from o in Enumerable.Range(0, outputs.Length)
                   from p in Enumerable.Range(0, optimizers.Length)
                   select (s_all[h], outputs[o].Item1, outputs[o].Item2, optimizers[p], (h + o + p) % 2 == 1);
        }

        // Up to ±1e30: beyond about 1e37 a weighted sum of several inputs can itself overflow (∞ − ∞ = NaN).
        private static readonly float[] s_extremes = { 1e4f, -1e4f, 1e30f, -1e30f, float.Epsilon, -float.Epsilon, 1e-40f, 0f };

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(MoreConfigurations))]
        public void More_configurations_extreme_finite_inputs_never_produce_NaN_or_infinity(Activation hidden, Activation output, LossFunction loss, string optimizer) =>
            Extreme_finite_inputs_never_produce_NaN_or_infinity(hidden, output, loss, optimizer);

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Extreme_finite_inputs_never_produce_NaN_or_infinity(Activation hidden, Activation output, LossFunction loss, string optimizer)
        {
            INetwork<float> network = Create(hidden, output, loss, optimizer);
            float[] target = output == Activation.Softmax ? new[] { 0f, 1f, 0f } : new[] { 0f, 1f, 0.5f };
            var result = new float[3];
            foreach (float a in s_extremes)
            {
                foreach (float b in s_extremes)
                {
                    network.InitializeParameters(1);
                    float[] x = { a, b, -a };
                    network.Forward(x, result);
                    if (s_bounded.Contains(output) || output == Activation.Softmax || s_bounded.Contains(hidden))
                    {
                        // A bounded layer anywhere keeps every later value finite.
                        Assert.All(result, r => Assert.True(float.IsFinite(r), $"{hidden}/{output}: output {r} for x = ({a}, {b})"));
                        Assert.True(float.IsFinite(network.ComputeLoss(x, target)), $"{hidden}/{output}/{loss}: loss for x = ({a}, {b})");
                    }

                    // The loss itself never overflows to ∞; a step is applied with finite results or refused.
                    float l = network.ComputeLoss(x, target);
                    Assert.False(float.IsInfinity(l), $"{hidden}/{output}/{loss}: loss {l} for x = ({a}, {b})");
                    float[] before = Infrastructure.Networks.Parameters(network);
                    float stepLoss = network.TrainStep(x, target, 0.1f);
                    float[] after = Infrastructure.Networks.Parameters(network);
                    if (float.IsNaN(stepLoss))
                    {
                        Assert.Equal(before, after);
                    }
                    else
                    {
                        Assert.All(after, p => Assert.True(float.IsFinite(p), $"{hidden}/{output}/{loss}/{optimizer}: parameter {p} after x = ({a}, {b})"));
                    }
                }
            }
        }

        [Theory]
        [Trait("Category", "Slow")]
        [MemberData(nameof(MoreConfigurations))]
        public void More_configurations_a_non_finite_sample_changes_nothing(Activation hidden, Activation output, LossFunction loss, string optimizer) =>
            A_non_finite_sample_changes_nothing(hidden, output, loss, optimizer);

        [Theory]
        [MemberData(nameof(Configurations))]
        public void A_non_finite_sample_changes_nothing(Activation hidden, Activation output, LossFunction loss, string optimizer)
        {
            INetwork<float> network = Create(hidden, output, loss, optimizer);
            network.InitializeParameters(3);
            float[] good = { 0.5f, -0.25f, 1f };
            float[] target = output == Activation.Softmax ? new[] { 0f, 1f, 0f } : new[] { 0f, 1f, 0.5f };
            for (int i = 0; i < 20; i++)
            {
                Assert.False(float.IsNaN(network.TrainStep(good, target, 0.05f)));
            }

            float[] trained = Infrastructure.Networks.Parameters(network);
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                Assert.True(float.IsNaN(network.TrainStep(new[] { bad, 0f, 0f }, target, 0.05f)), "input " + bad);
                Assert.True(float.IsNaN(network.TrainStep(good, new[] { 0f, bad, 0f }, 0.05f)), "target " + bad);
                Assert.True(float.IsNaN(network.TrainStep(good, target, bad)), "learning rate " + bad);

                var gradient = new float[network.ParameterCount];
                gradient[1] = 0.25f;
                Assert.True(float.IsNaN(network.AccumulateGradient(new[] { 0f, bad, 0f }, target, gradient)));
                Assert.Equal(0.25f, gradient[1]);
                Assert.All(gradient.Where((_, i) => i != 1), g => Assert.Equal(0f, g));

                gradient[network.ParameterCount - 1] = bad;
                Assert.False(network.ApplyGradient(gradient, 0.05f));
                Assert.Equal(trained, Infrastructure.Networks.Parameters(network));
            }

            // The optimizer state did not move either: the next good step is the step it would have been.
            INetwork<float> twin = Create(hidden, output, loss, optimizer);
            twin.InitializeParameters(3);
            for (int i = 0; i < 21; i++)
            {
                twin.TrainStep(good, target, 0.05f);
            }

            network.TrainStep(good, target, 0.05f);
            Assert.Equal(Infrastructure.Networks.Parameters(twin), Infrastructure.Networks.Parameters(network));
        }

        [Fact]
        public void An_extreme_finite_sample_cannot_freeze_Adam()
        {
            // Found in review: a gradient whose square overflows made Adam's v infinite and froze
            // those parameters for good (m / √∞ = 0). Such a step is now refused like a NaN one.
            INetwork<float> network = Create(Activation.ReLU, Activation.Sigmoid, LossFunction.BinaryCrossEntropy, "Adam");
            INetwork<float> twin = Create(Activation.ReLU, Activation.Sigmoid, LossFunction.BinaryCrossEntropy, "Adam");
            network.InitializeParameters(3);
            twin.InitializeParameters(3);

            Assert.True(float.IsNaN(network.TrainStep(new[] { 1e23f, 1e23f, 1e23f }, new[] { 0f, 0f, 0f }, 0.01f)));
            Assert.Equal(Infrastructure.Networks.Parameters(twin), Infrastructure.Networks.Parameters(network));

            for (int i = 0; i < 50; i++)
            {
                network.TrainStep(new[] { 0.5f, -0.5f, 0.25f }, new[] { 1f, 0f, 1f }, 0.01f);
                twin.TrainStep(new[] { 0.5f, -0.5f, 0.25f }, new[] { 1f, 0f, 1f }, 0.01f);
            }

            Assert.Equal(Infrastructure.Networks.Parameters(twin), Infrastructure.Networks.Parameters(network));
        }

        [Fact]
        public void Training_is_bit_for_bit_deterministic()
        {
            float[] Run()
            {
                INetwork<float> network = Create(Activation.Tanh, Activation.Softmax, LossFunction.CrossEntropy, "Adam");
                network.InitializeParameters(42);
                var random = new ParameterRandom(7);
                for (int i = 0; i < 500; i++)
                {
                    float[] x = { (float)random.NextUniform(2), (float)random.NextUniform(2), (float)random.NextUniform(2) };
                    float[] y = new float[3];
                    y[(int)(random.NextUInt64() % 3)] = 1;
                    network.TrainStep(x, y, 0.01f);
                }

                return Infrastructure.Networks.Parameters(network);
            }

            float[] first = Run();
            float[] second = Run();
            Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
