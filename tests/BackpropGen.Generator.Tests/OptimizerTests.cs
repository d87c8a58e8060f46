using System;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Each optimizer against a straightforward reference written here from its textbook definition
    /// (PyTorch's SGD, momentum and Adam), over one and several steps. The gradients come from a
    /// shadow network's AccumulateGradient (itself checked against finite differences elsewhere).
    /// </summary>
    public class OptimizerTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Optimizers
            {
                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Sgd)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Sgd { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Sgd, WeightDecay = 0.01)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class SgdDecay { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Momentum, Momentum = 0.8)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Momentum { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Momentum, Momentum = 0.9, WeightDecay = 0.001)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial struct MomentumDecay { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Adam { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Adam, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6, WeightDecay = 0.01)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial struct AdamTuned { }

                // Large enough that ApplyGradient is split into blocks (128 parameters each for Adam).
                [Network(20, Precision = Precision.Double, Optimizer = Optimizer.Adam, WeightDecay = 0.001)]
                [Layer(16, Activation.ReLU)]
                [Layer(3, Activation.Linear)]
                public partial class AdamBlocks { }

                [Network(3, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class AdamSingle { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

        /// <summary>The textbook update rules over parameter vectors.</summary>
        private sealed class ReferenceOptimizer
        {
            private readonly Optimizer _kind;
            private readonly double _momentum, _beta1, _beta2, _epsilon, _decay;
            private readonly double[] _m, _v;
            private int _t;

            public ReferenceOptimizer(Optimizer kind, int count, double momentum = 0.9, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double decay = 0)
            {
                (_kind, _momentum, _beta1, _beta2, _epsilon, _decay) = (kind, momentum, beta1, beta2, epsilon, decay);
                _m = new double[count];
                _v = new double[count];
            }

            public void Step(double[] theta, double[] gradient, double alpha)
            {
                _t++;
                for (int i = 0; i < theta.Length; i++)
                {
                    double g = gradient[i] + (_decay * theta[i]);
                    switch (_kind)
                    {
                        case Optimizer.Sgd:
                            theta[i] -= alpha * g;
                            break;
                        case Optimizer.Momentum:
                            _m[i] = (_momentum * _m[i]) + g;
                            theta[i] -= alpha * _m[i];
                            break;
                        case Optimizer.Adam:
                            _m[i] = (_beta1 * _m[i]) + ((1 - _beta1) * g);
                            _v[i] = (_beta2 * _v[i]) + ((1 - _beta2) * g * g);
                            double mHat = _m[i] / (1 - Math.Pow(_beta1, _t));
                            double vHat = _v[i] / (1 - Math.Pow(_beta2, _t));
                            theta[i] -= alpha * mHat / (Math.Sqrt(vHat) + _epsilon);
                            break;
                    }
                }
            }
        }

        public static TheoryData<string, Optimizer, double, double, double, double, double> Configurations => new()
        {
            { "Sgd", Optimizer.Sgd, 0.9, 0.9, 0.999, 1e-8, 0 },
            { "SgdDecay", Optimizer.Sgd, 0.9, 0.9, 0.999, 1e-8, 0.01 },
            { "Momentum", Optimizer.Momentum, 0.8, 0.9, 0.999, 1e-8, 0 },
            { "MomentumDecay", Optimizer.Momentum, 0.9, 0.9, 0.999, 1e-8, 0.001 },
            { "Adam", Optimizer.Adam, 0.9, 0.9, 0.999, 1e-8, 0 },
            { "AdamTuned", Optimizer.Adam, 0.9, 0.8, 0.99, 1e-6, 0.01 },
            { "AdamBlocks", Optimizer.Adam, 0.9, 0.9, 0.999, 1e-8, 0.001 },
        };

        [Theory]
        [MemberData(nameof(Configurations))]
        public void TrainStep_matches_the_reference_over_one_and_several_steps(string name, Optimizer kind, double momentum, double beta1, double beta2, double epsilon, double decay)
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Optimizers." + name);
            INetwork<double> shadow = Networks.Create<double>(s_assembly.Value, "Optimizers." + name);
            network.InitializeParameters(11);
            double[] theta = Networks.Parameters(network);
            var reference = new ReferenceOptimizer(kind, theta.Length, momentum, beta1, beta2, epsilon, decay);
            var random = new Random(5);
            const double Alpha = 0.05;

            for (int step = 1; step <= 25; step++)
            {
                double[] x = Enumerable.Range(0, network.InputCount).Select(_ => random.NextDouble() - 0.5).ToArray();
                double[] y = Enumerable.Range(0, network.OutputCount).Select(_ => random.NextDouble()).ToArray();

                shadow.LoadParameters(theta);
                var gradient = new double[theta.Length];
                double expectedLoss = shadow.AccumulateGradient(x, y, gradient);
                reference.Step(theta, gradient, Alpha);

                Assert.Equal(expectedLoss, network.TrainStep(x, y, Alpha), 1e-12);
                double[] actual = Networks.Parameters(network);
                for (int i = 0; i < theta.Length; i++)
                {
                    Assert.True(
                        Math.Abs(actual[i] - theta[i]) <= 1e-12 * Math.Max(1, Math.Abs(theta[i])),
                        $"{name}, step {step}, parameter {i}: {actual[i]:R}, reference {theta[i]:R}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void TrainStep_equals_AccumulateGradient_then_ApplyGradient(string name, Optimizer kind, double momentum, double beta1, double beta2, double epsilon, double decay)
        {
            _ = (kind, momentum, beta1, beta2, epsilon, decay);
            INetwork<double> stepped = Networks.Create<double>(s_assembly.Value, "Optimizers." + name);
            INetwork<double> applied = Networks.Create<double>(s_assembly.Value, "Optimizers." + name);
            stepped.InitializeParameters(3);
            applied.InitializeParameters(3);
            var random = new Random(9);
            for (int step = 0; step < 10; step++)
            {
                double[] x = Enumerable.Range(0, stepped.InputCount).Select(_ => random.NextDouble()).ToArray();
                double[] y = Enumerable.Range(0, stepped.OutputCount).Select(_ => random.NextDouble()).ToArray();
                var gradient = new double[applied.ParameterCount];
                double loss = applied.AccumulateGradient(x, y, gradient);
                applied.ApplyGradient(gradient, 0.01);
                Assert.Equal(loss, stepped.TrainStep(x, y, 0.01));
                Assert.Equal(Networks.Parameters(applied), Networks.Parameters(stepped));
            }
        }

        [Fact]
        public void ResetOptimizerState_makes_the_next_step_a_first_step()
        {
            INetwork<double> trained = Networks.Create<double>(s_assembly.Value, "Optimizers.Adam");
            INetwork<double> fresh = Networks.Create<double>(s_assembly.Value, "Optimizers.Adam");
            trained.InitializeParameters(1);
            double[] x = { 0.1, 0.2, 0.3 };
            double[] y = { 1, 0 };
            for (int i = 0; i < 5; i++)
            {
                trained.TrainStep(x, y, 0.1);
            }

            double[] after = Networks.Parameters(trained);
            fresh.LoadParameters(after);
            trained.ResetOptimizerState();

            trained.TrainStep(x, y, 0.1);
            fresh.TrainStep(x, y, 0.1);
            Assert.Equal(Networks.Parameters(fresh), Networks.Parameters(trained));

            // Without the reset, momentum carries on and the step differs.
            INetwork<double> carried = Networks.Create<double>(s_assembly.Value, "Optimizers.Adam");
            carried.InitializeParameters(1);
            for (int i = 0; i < 6; i++)
            {
                carried.TrainStep(x, y, 0.1);
            }

            Assert.NotEqual(Networks.Parameters(fresh), Networks.Parameters(carried));
        }

        [Fact]
        public void Float_Adam_follows_the_double_reference_closely()
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Optimizers.AdamSingle");
            INetwork<double> shadow = Networks.Create<double>(s_assembly.Value, "Optimizers.Adam");
            network.InitializeParameters(2);
            double[] theta = Networks.Parameters(network).Select(v => (double)v).ToArray();
            var reference = new ReferenceOptimizer(Optimizer.Adam, theta.Length);
            float[] x = { 0.5f, -0.25f, 1f };
            float[] y = { 0f, 1f };
            for (int step = 0; step < 20; step++)
            {
                shadow.LoadParameters(theta);
                var gradient = new double[theta.Length];
                shadow.AccumulateGradient(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray(), gradient);
                reference.Step(theta, gradient, 0.01);
                network.TrainStep(x, y, 0.01f);
            }

            float[] actual = Networks.Parameters(network);
            for (int i = 0; i < theta.Length; i++)
            {
                Assert.True(Math.Abs(actual[i] - theta[i]) < 1e-4, $"parameter {i}: {actual[i]}, reference {theta[i]}");
            }
        }
    }
}
