using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>Learning-rate schedules, gradient clipping, early stopping with the best parameters restored, and the reports.</summary>
    public class TrainerScheduleTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Scheduled
            {
                [Network(2, Optimizer = Optimizer.Sgd)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorSgd { }

                [Network(2, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorAdam { }

                [Network(2, Optimizer = Optimizer.Sgd, Precision = Precision.Double)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorDouble { }

                [Network(2, Trainable = false)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorFrozen { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));
        private static readonly float[] s_inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
        private static readonly float[] s_targets = { 0, 1, 1, 0 };

        private static INetwork<float> New(string name, int seed = 7)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Scheduled." + name);
            network.InitializeParameters(seed);
            return network;
        }

        [Fact]
        public void Schedules_follow_the_PyTorch_formulas()
        {
            const double A = 0.1;
            Assert.Equal(A, LearningRateSchedule.Constant.Rate(A, 37));
            Assert.Equal(new[] { A, A, A, A * 0.5, A * 0.5, A * 0.5, A * 0.25 }, Enumerable.Range(1, 7).Select(e => LearningRateSchedule.Step(3, 0.5).Rate(A, e)));
            Assert.Equal(Enumerable.Range(0, 6).Select(t => A * Math.Pow(0.9, t)), Enumerable.Range(1, 6).Select(e => LearningRateSchedule.Exponential(0.9).Rate(A, e)));

            LearningRateSchedule cosine = LearningRateSchedule.Cosine(10, 0.001);
            Assert.Equal(A, cosine.Rate(A, 1));
            Assert.Equal(0.001 + ((A - 0.001) / 2), cosine.Rate(A, 6), 12);
            Assert.Equal(0.001, cosine.Rate(A, 11), 12);
            Assert.Equal(0.001, cosine.Rate(A, 50), 12);
            Assert.True(Enumerable.Range(1, 10).Select(e => cosine.Rate(A, e)).Zip(Enumerable.Range(2, 10).Select(e => cosine.Rate(A, e))).All(p => p.First > p.Second));

            LearningRateSchedule warmup = LearningRateSchedule.Warmup(4, LearningRateSchedule.Exponential(0.5));
            Assert.Equal(new[] { A / 4, A / 2, A * 3 / 4, A, A, A / 2, A / 4 }, Enumerable.Range(1, 7).Select(e => warmup.Rate(A, e)));
            Assert.Equal("Warmup(4, Exponential(0.5))", warmup.ToString());
            Assert.Equal("Step(3, 0.5)", LearningRateSchedule.Step(3, 0.5).ToString());

            Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0, 0.5));
            Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(10, -1));
            Assert.Throws<ArgumentNullException>(() => LearningRateSchedule.Warmup(3, null!));
            Assert.Throws<ArgumentOutOfRangeException>(() => warmup.Rate(A, 0));
        }

        [Theory]
        [InlineData("XorSgd", 1)]
        [InlineData("XorAdam", 1)]
        [InlineData("XorAdam", 3)]
        public void A_scheduled_run_reports_its_rates_and_equals_one_fit_per_epoch_at_those_rates(string name, int batchSize)
        {
            LearningRateSchedule schedule = LearningRateSchedule.Warmup(2, LearningRateSchedule.Cosine(5, 0.01));
            var reports = new List<TrainingProgress>();
            INetwork<float> scheduled = New(name);
            Trainer.Fit(ref scheduled, s_inputs, s_targets, new TrainerOptions { Epochs = 8, LearningRate = 0.5, BatchSize = batchSize, ShuffleSeed = null, LearningRateSchedule = schedule, Progress = new Collect(reports) });

            double[] rates = Enumerable.Range(1, 8).Select(e => schedule.Rate(0.5, e)).ToArray();
            Assert.Equal(rates, reports.Select(r => r.LearningRate));
            INetwork<float> stepwise = New(name);
            foreach (double rate in rates)
            {
                Trainer.Fit(ref stepwise, s_inputs, s_targets, new TrainerOptions { Epochs = 1, LearningRate = rate, BatchSize = batchSize, ShuffleSeed = null });
            }

            Assert.Equal(Networks.Parameters(stepwise), Networks.Parameters(scheduled));
            INetwork<float> constant = New(name);
            Trainer.Fit(ref constant, s_inputs, s_targets, new TrainerOptions { Epochs = 8, LearningRate = 0.5, BatchSize = batchSize, ShuffleSeed = null });
            Assert.NotEqual(Networks.Parameters(constant), Networks.Parameters(scheduled));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        [InlineData(3)]
        public void Clipping_scales_the_batch_gradient_to_the_global_norm_as_torch_does(int batchSize)
        {
            const double MaxNorm = 0.002;
            INetwork<float> clipped = New("XorAdam");
            Trainer.Fit(ref clipped, s_inputs, s_targets, new TrainerOptions { Epochs = 5, LearningRate = 0.05, BatchSize = batchSize, ShuffleSeed = null, ClipGradientNorm = MaxNorm });

            // The reference: torch.nn.utils.clip_grad_norm_ on the batch mean, written out.
            INetwork<float> reference = New("XorAdam");
            var gradient = new float[reference.ParameterCount];
            int engaged = 0;
            for (int epoch = 0; epoch < 5; epoch++)
            {
                for (int start = 0; start < 4; start += batchSize)
                {
                    int size = Math.Min(batchSize, 4 - start);
                    Array.Clear(gradient);
                    for (int i = start; i < start + size; i++)
                    {
                        reference.AccumulateGradient(s_inputs.AsSpan(i * 2, 2), s_targets.AsSpan(i, 1), gradient);
                    }

                    if (size > 1)
                    {
                        float mean = (float)(1.0 / size);
                        for (int k = 0; k < gradient.Length; k++)
                        {
                            gradient[k] *= mean;
                        }
                    }

                    double norm = Math.Sqrt(gradient.Sum(g => (double)g * g));
                    double coefficient = MaxNorm / (norm + 1e-6);
                    if (coefficient < 1)
                    {
                        engaged++;
                        for (int k = 0; k < gradient.Length; k++)
                        {
                            gradient[k] *= (float)coefficient;
                        }
                    }

                    Assert.True(reference.ApplyGradient(gradient, 0.05f));
                }
            }

            Assert.True(engaged > 0, "the test should clip something");
            Assert.Equal(Networks.Parameters(reference), Networks.Parameters(clipped));

            // A bound no gradient reaches changes nothing, down to the bit (for BatchSize 1 also: TrainStep = AccumulateGradient + ApplyGradient).
            INetwork<float> loose = New("XorAdam");
            Trainer.Fit(ref loose, s_inputs, s_targets, new TrainerOptions { Epochs = 5, LearningRate = 0.05, BatchSize = batchSize, ShuffleSeed = null, ClipGradientNorm = 1e9 });
            INetwork<float> plain = New("XorAdam");
            Trainer.Fit(ref plain, s_inputs, s_targets, new TrainerOptions { Epochs = 5, LearningRate = 0.05, BatchSize = batchSize, ShuffleSeed = null });
            Assert.Equal(Networks.Parameters(plain), Networks.Parameters(loose));
            Assert.NotEqual(Networks.Parameters(plain), Networks.Parameters(clipped));
        }

        [Theory]
        [InlineData(0.01)]
        [InlineData(1e9)]
        public void A_clipped_double_SGD_step_moves_the_parameters_by_the_learning_rate_times_the_bound(double bound)
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Scheduled.XorDouble");
            network.InitializeParameters(3);
            double[] input = { 1, 0 }, target = { 0 };
            var gradient = new double[network.ParameterCount];
            network.AccumulateGradient(input, target, gradient);
            double norm = Math.Sqrt(gradient.Sum(g => g * g));
            Assert.True(norm > 0.01, "the test needs a gradient longer than the small bound");

            double[] before = Networks.Parameters(network);
            Trainer.Fit(ref network, input, target, new TrainerOptions { Epochs = 1, LearningRate = 0.1, ClipGradientNorm = bound });
            double step = Math.Sqrt(Networks.Parameters(network).Zip(before, (a, b) => (a - b) * (a - b)).Sum());

            // SGD: ‖Δθ‖ = α · ‖clipped g‖ = α · min(‖g‖, bound) (up to the 1e-6 of torch's formula).
            Assert.Equal(0.1 * Math.Min(norm, bound), step, 1e-6);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Early_stopping_waits_for_patience_and_restores_the_best_epoch(bool restore)
        {
            // The validation targets are XOR inverted: as training learns XOR, the validation loss rises.
            float[] inverted = s_targets.Select(t => 1 - t).ToArray();
            var options = new TrainerOptions { Epochs = 2000, LearningRate = 0.05, BatchSize = 2, ShuffleSeed = 5, EarlyStoppingPatience = 25, RestoreBestParameters = restore };
            var reports = new List<TrainingProgress>();
            options.Progress = new Collect(reports);
            INetwork<float> network = New("XorAdam");
            TrainingResult result = Trainer.Fit(ref network, s_inputs, s_targets, options, s_inputs, inverted);

            Assert.True(result.StoppedEarly, result.ToString());
            Assert.False(result.ReachedTargetLoss);
            int best = result.BestEpoch!.Value;
            Assert.Equal(best + 25, result.Epochs);
            Assert.Equal(reports.Min(r => r.ValidationLoss!.Value), result.BestValidationLoss);
            Assert.Equal(reports[best - 1].ValidationLoss, result.BestValidationLoss);
            Assert.True(reports.Skip(best).All(r => r.ValidationLoss >= result.BestValidationLoss));
            Assert.Equal(restore, result.RestoredBestParameters);

            // The parameters are those of a run that simply stopped at the best (or the last) epoch.
            INetwork<float> shorter = New("XorAdam");
            Trainer.Fit(ref shorter, s_inputs, s_targets, new TrainerOptions { Epochs = restore ? best : result.Epochs, LearningRate = 0.05, BatchSize = 2, ShuffleSeed = 5 });
            Assert.Equal(Networks.Parameters(shorter), Networks.Parameters(network));
            Assert.Equal(result.BestValidationLoss!.Value, restore ? Trainer.Evaluate(ref network, s_inputs, inverted).Loss : result.BestValidationLoss!.Value, 12);
        }

        [Fact]
        public void A_run_without_improvement_to_wait_for_trains_every_epoch_and_reports_its_best()
        {
            INetwork<float> network = New("XorAdam");
            TrainingResult result = Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { Epochs = 30, LearningRate = 0.05, RestoreBestParameters = true }, s_inputs, s_targets);
            Assert.Equal(30, result.Epochs);
            Assert.False(result.StoppedEarly);
            Assert.Equal(30, result.BestEpoch); // the training set as validation set: the loss falls every epoch
            Assert.False(result.RestoredBestParameters);

            TrainingResult without = Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { Epochs = 3 });
            Assert.Null(without.BestEpoch);
            Assert.Null(without.BestValidationLoss);
        }

        [Fact]
        public void Fit_with_every_option_allocates_nothing_per_epoch_or_batch()
        {
            INetwork<float> network = New("XorAdam");
            var reports = new Count();
            long Measure(int epochs, int batch)
            {
                var options = new TrainerOptions
                {
                    Epochs = epochs,
                    BatchSize = batch,
                    LearningRate = 0.01,
                    LearningRateSchedule = LearningRateSchedule.Warmup(3, LearningRateSchedule.Cosine(300)),
                    ClipGradientNorm = 0.5,
                    EarlyStoppingPatience = 100000,
                    RestoreBestParameters = true,
                    Progress = reports,
                };
                long before = GC.GetAllocatedBytesForCurrentThread();
                Trainer.Fit(ref network, s_inputs, s_targets, options, s_inputs, s_targets);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            foreach (int batch in new[] { 1, 2, 3 })
            {
                Measure(200, batch); // warm up
                Assert.Equal(Measure(2, batch), Measure(400, batch));
            }

            Assert.True(reports.Value > 1000);
        }

        [Fact]
        public void Progress_and_results_print_what_they_hold()
        {
            var reports = new List<TrainingProgress>();
            INetwork<float> network = New("XorAdam");
            TrainingResult result = Trainer.Fit(ref network, s_inputs, s_targets,
                new TrainerOptions { Epochs = 40, LearningRate = 0.05, Progress = new Collect(reports), EarlyStoppingPatience = 5 }, s_inputs, s_targets);

            Assert.Matches(@"^epoch 1/40: loss \d\.\d{4}, validation loss \d\.\d{4}, accuracy \d+\.\d %, rate 0\.05, \d+\.\d\d s$", reports[0].ToString());
            Assert.Matches(@"^epoch 3/40: loss \d\.\d{4}, rate 0\.05, \d+\.\d\d s$", new TrainingProgress(3, 40, 0.25, null, null, TimeSpan.Zero, 0.05).ToString());
            Assert.Matches(@"^40 epochs in \d+\.\d\d s: loss \d\.\d{4}, validation loss \d\.\d{4}, accuracy \d+\.\d %; best validation loss \d\.\d{4} at epoch 40$", result.ToString());
            Assert.DoesNotContain(typeof(TrainingResult).FullName!, result.ToString(), StringComparison.Ordinal);

            float[] nan = { 0, 0, float.NaN, 1, 1, 0, 1, 1 };
            TrainingResult skipped = Trainer.Fit(ref network, nan, s_targets, new TrainerOptions { Epochs = 1, TargetLoss = 10 });
            Assert.EndsWith("(reached the target loss): loss " + skipped.TrainingLoss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) + "; 1 sample was skipped", skipped.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Evaluate_takes_a_network_that_can_only_be_read()
        {
            var frozen = (IInferenceNetwork<float>)Activator.CreateInstance(s_assembly.Value.GetType("Scheduled.XorFrozen", throwOnError: true)!)!;
            Assert.False(frozen is INetwork<float>);
            INetwork<float> trained = New("XorAdam");
            Trainer.Fit(ref trained, s_inputs, s_targets, new TrainerOptions { Epochs = 3000, LearningRate = 0.05, TargetLoss = 0.01 });
            frozen.LoadParameters(Networks.Parameters(trained));

            IReadOnlyNetwork<float> readOnly = frozen;
            Evaluation evaluation = Trainer.Evaluate(ref readOnly, s_inputs, s_targets);
            Assert.Equal(1.0, evaluation.Accuracy);
            Assert.Equal(Trainer.Evaluate(ref trained, s_inputs, s_targets).Loss, evaluation.Loss);
        }

        [Fact]
        public void Options_that_cannot_work_are_refused()
        {
            INetwork<float> network = New("XorSgd");
            Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { ClipGradientNorm = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { EarlyStoppingPatience = 0 }, s_inputs, s_targets));
            Assert.Throws<ArgumentException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { EarlyStoppingPatience = 3 }));
            Assert.Throws<ArgumentException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { RestoreBestParameters = true }));
            Assert.Throws<ArgumentNullException>(() => Trainer.Fit(ref network, s_inputs, s_targets, new TrainerOptions { LearningRateSchedule = null! }));
        }

        private sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => reports.Add(value);
        }

        private sealed class Count : IProgress<TrainingProgress>
        {
            public int Value { get; private set; }

            public void Report(TrainingProgress value) => Value++;
        }
    }
}
