using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>The runtime Trainer and GradientCheck on generated networks.</summary>
    public class TrainerTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Training
            {
                [Network(2, Optimizer = Optimizer.Sgd)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorSgd { }

                [Network(2, Optimizer = Optimizer.Momentum)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorMomentum { }

                [Network(2, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorAdam { }

                [Network(2, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam, Precision = Precision.Double)]
                [Layer(6, Activation.Tanh)]
                [Layer(2, Activation.Softmax)]
                public partial struct XorClasses { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));
        private static readonly float[] s_inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
        private static readonly float[] s_targets = { 0, 1, 1, 0 };

        [Theory]
        [InlineData("XorSgd", 0.5, 1)]
        [InlineData("XorMomentum", 0.1, 1)]
        [InlineData("XorAdam", 0.05, 1)]
        [InlineData("XorSgd", 2.0, 4)]
        [InlineData("XorAdam", 0.05, 2)]
        public void Xor_trains_below_0_01_with_every_optimizer(string name, double learningRate, int batchSize)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Training." + name);
            network.InitializeParameters(7);
            var options = new TrainerOptions { Epochs = 5000, LearningRate = learningRate, BatchSize = batchSize, TargetLoss = 0.01, ShuffleSeed = 3 };

            TrainingResult result = Trainer.Fit(ref network, s_inputs, s_targets, options, s_inputs, s_targets);

            Assert.True(result.ReachedTargetLoss, $"{name}: loss {result.TrainingLoss} after {result.Epochs} epochs");
            Assert.True(result.TrainingLoss <= 0.01);
            Assert.Equal(1.0, result.ValidationAccuracy);
            Assert.True(Trainer.Evaluate(ref network, s_inputs, s_targets).Loss < 0.02);
        }

        [Fact]
        public void A_struct_network_is_trained_in_place_through_ref()
        {
            // The generic parameter is the struct type itself, as in a user's code: no boxing.
            Type type = s_assembly.Value.GetType("Training.XorClasses", throwOnError: true)!;
            MethodInfo fit = typeof(TrainerTests).GetMethod(nameof(FitStruct), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            var (before, after, result) = ((double[], double[], TrainingResult))fit.Invoke(null, null)!;
            Assert.NotEqual(before, after);
            Assert.True(result.ReachedTargetLoss, "loss " + result.TrainingLoss);
        }

        private static (double[] Before, double[] After, TrainingResult Result) FitStruct<TNetwork>()
            where TNetwork : struct, INetwork<double>
        {
            var network = default(TNetwork);
            network.InitializeParameters(2);
            double[] before = Parameters(ref network);
            double[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
            double[] targets = { 1, 0, 0, 1, 0, 1, 1, 0 }; // one-hot: class 1 is XOR = 1
            TrainingResult result = Trainer.Fit(ref network, inputs, targets, new TrainerOptions { Epochs = 3000, LearningRate = 0.05, BatchSize = 4, TargetLoss = 0.01 });
            return (before, Parameters(ref network), result);
        }

        private static double[] Parameters<TNetwork>(ref TNetwork network)
            where TNetwork : struct, INetwork<double>
        {
            var values = new double[network.ParameterCount];
            network.CopyParametersTo(values);
            return values;
        }

        [Fact]
        public void Training_is_deterministic_and_reports_progress_every_epoch()
        {
            var reports = new List<TrainingProgress>();
            float[] first = Train(reports);
            float[] second = Train(new List<TrainingProgress>());

            Assert.Equal(first, second);
            Assert.Equal(Enumerable.Range(1, 50), reports.Select(r => r.Epoch));
            Assert.All(reports, r => Assert.Equal(50, r.Epochs));
            Assert.All(reports, r => Assert.NotNull(r.ValidationLoss));
            Assert.True(reports[^1].TrainingLoss < reports[0].TrainingLoss);
            Assert.True(reports[^1].Elapsed >= reports[0].Elapsed);

            static float[] Train(List<TrainingProgress> reports)
            {
                INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Training.XorAdam");
                network.InitializeParameters(1);
                Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { Epochs = 50, LearningRate = 0.05, BatchSize = 3, ShuffleSeed = 11, Progress = new Collect(reports) }, s_inputs, s_targets);
                return Networks.Parameters(network);
            }
        }

        [Fact]
        public void Fit_allocates_once_per_call_not_per_epoch_or_sample()
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Training.XorAdam");
            network.InitializeParameters(1);
            long Measure(int epochs, int batch)
            {
                var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = 0.01 };
                long before = GC.GetAllocatedBytesForCurrentThread();
                Trainer.Fit(ref network, s_inputs, s_targets, options, s_inputs, s_targets);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Measure(200, 1);
            Measure(200, 2); // warm up both paths
            Assert.Equal(Measure(2, 1), Measure(400, 1));
            Assert.Equal(Measure(2, 2), Measure(400, 2));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        public void A_sample_with_NaN_is_skipped_and_counted_once(int batchSize)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Training.XorAdam");
            network.InitializeParameters(7);
            float[] inputs = { 0, 0, 0, 1, float.NaN, 0, 1, 1 };
            TrainingResult result = Trainer.Fit(ref network, inputs, s_targets, new TrainerOptions { Epochs = 10, BatchSize = batchSize, LearningRate = 0.05 });
            Assert.Equal(10, result.SkippedSamples);
            Assert.True(double.IsFinite(result.TrainingLoss));
            Assert.All(Networks.Parameters(network), p => Assert.True(float.IsFinite(p)));
        }

        [Fact]
        public void Bad_data_shapes_are_refused()
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Training.XorSgd");
            var options = new TrainerOptions();
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => Trainer.Fit(ref network, new float[3], s_targets, options)).ParamName);
            Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Trainer.Fit(ref network, s_inputs, new float[3], options)).ParamName);
            Assert.Equal("validationTargets", Assert.Throws<ArgumentException>(() => Trainer.Fit(ref network, s_inputs, s_targets, options, s_inputs, new float[1])).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { BatchSize = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { LearningRate = double.NaN }));
        }

        [Fact]
        public void GradientCheck_passes_a_generated_network_and_catches_a_wrong_gradient()
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Training.XorClasses");
            network.InitializeParameters(4);
            double[] before = Networks.Parameters(network);
            GradientCheckResult good = GradientCheck.Compare(network, new double[] { 0.3, -0.7 }, new double[] { 0, 1 });
            Assert.True(good.MaxRelativeError < 1e-6, good.ToString());
            Assert.Equal(before, Networks.Parameters(network));

            INetwork<float> single = Networks.Create<float>(s_assembly.Value, "Training.XorAdam");
            single.InitializeParameters(4);
            GradientCheckResult singleResult = GradientCheck.Compare(single, new float[] { 0.3f, -0.7f }, new float[] { 1 });
            Assert.True(singleResult.MaxRelativeError < 1e-2, singleResult.ToString());

            GradientCheckResult bad = GradientCheck.Compare(new WrongGradient(), new double[] { 0.5 }, new double[] { 1 });
            Assert.True(bad.MaxRelativeError > 0.1, bad.ToString());
            Assert.Equal(1, bad.ParameterIndex);
        }

        private sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => reports.Add(value);
        }

        /// <summary>y = w x + b with C = ½ (y − t)², but the bias gradient is off by a factor of two.</summary>
        private sealed class WrongGradient : INetwork<double>
        {
            private double _w = 0.5, _b = 0.25;

            public NetworkTopology Topology { get; } = new(1, LossFunction.HalfSquaredError, Precision.Double, new LayerTopology(1, Activation.Linear));

            public int InputCount => 1;

            public int OutputCount => 1;

            public int ParameterCount => 2;

            public void Forward(ReadOnlySpan<double> input, Span<double> output) => output[0] = (_w * input[0]) + _b;

            public double ComputeLoss(ReadOnlySpan<double> input, ReadOnlySpan<double> target)
            {
                double e = (_w * input[0]) + _b - target[0];
                return 0.5 * e * e;
            }

            public double AccumulateGradient(ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> gradient)
            {
                double e = (_w * input[0]) + _b - target[0];
                gradient[0] += e * input[0];
                gradient[1] += 2 * e;
                return 0.5 * e * e;
            }

            public void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs) => throw new NotSupportedException();

            public double AccumulateGradientBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> gradient) => throw new NotSupportedException();

            public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate) => throw new NotSupportedException();

            public bool ApplyGradient(ReadOnlySpan<double> gradient, double learningRate) => throw new NotSupportedException();

            public void ResetOptimizerState()
            {
            }

            public int OptimizerStateCount => 0;

            public void CopyOptimizerStateTo(Span<double> destination)
            {
            }

            public void LoadOptimizerState(ReadOnlySpan<double> source)
            {
            }

            public void CopyParametersTo(Span<double> destination)
            {
                destination[0] = _w;
                destination[1] = _b;
            }

            public void LoadParameters(ReadOnlySpan<double> source)
            {
                _w = source[0];
                _b = source[1];
            }

            public void InitializeParameters(int seed) => throw new NotSupportedException();
        }
    }
}
