using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// TrainerOptions.CheckpointPath: a run split over two Fit calls, or stopped from its progress
    /// handler and resumed, ends with the same bits as one uninterrupted run (class and struct
    /// networks through Trainer.Fit's ref, float and double, SGD mini-batches, momentum and Adam); a
    /// damaged checkpoint or one of another network throws and is left as it is.
    /// </summary>
    public sealed class CheckpointTests : IDisposable
    {
        private const string Source = """
            using BackpropGen;
            namespace Checkpoints
            {
                [Network(2, Optimizer = Optimizer.Sgd)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class SgdClass { }

                [Network(2, Precision = Precision.Double, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct AdamStruct { }

                [Network(2, Optimizer = Optimizer.Adam)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct AdamSingleStruct { }

                [Network(2, Precision = Precision.Double, Optimizer = Optimizer.Momentum)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class MomentumClass { }

                [Network(2, Optimizer = Optimizer.Sgd)]
                [Layer(3, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class OtherShape { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

        private readonly string _directory = Path.Combine(Path.GetTempPath(), "bpg-checkpoint-" + Guid.NewGuid().ToString("N"));

        public CheckpointTests() => Directory.CreateDirectory(_directory);

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private string Path_ => Path.Combine(_directory, "run.bpgc");

        /// <summary>How a run is cut: the Epochs of each Fit call, and the epoch after which the progress handler throws (0: never).</summary>
        private sealed record Plan(int[] Fits, int StopAfter = 0);

        private sealed class StopTraining : Exception
        {
        }

        private sealed class Handler(int stopAfter, List<int> epochs) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value)
            {
                epochs.Add(value.Epoch);
                if (value.Epoch == stopAfter)
                {
                    throw new StopTraining();
                }
            }
        }

        private delegate TrainingResult Fit<TNetwork, T>(ref TNetwork network, T[] inputs, T[] targets, TrainerOptions options);

        public static IEnumerable<object[]> Networks() => new[]
        {
            new object[] { "Checkpoints.SgdClass", false, 4, false },
            new object[] { "Checkpoints.AdamStruct", true, 1, true },
            new object[] { "Checkpoints.AdamSingleStruct", false, 3, true },
            new object[] { "Checkpoints.MomentumClass", true, 2, false },
        };

        [Theory]
        [MemberData(nameof(Networks))]
        public void Six_and_six_epochs_end_as_twelve(string type, bool isDouble, int batchSize, bool restoreBest)
        {
            var (whole, _) = Run(type, isDouble, batchSize, restoreBest, null, new Plan(new[] { 12 }));
            var (split, epochs) = Run(type, isDouble, batchSize, restoreBest, Path_, new Plan(new[] { 6, 12 }));
            Assert.Equal(whole, split);
            // The second Fit trained epochs 7–12 only.
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, epochs);

            // A third Fit with nothing left to do changes nothing.
            var (again, more) = Run(type, isDouble, batchSize, restoreBest, Path_, new Plan(new[] { 12 }), initialSeed: 77);
            Assert.Empty(more);
            Assert.NotEqual(whole, Run(type, isDouble, batchSize, restoreBest, null, new Plan(new[] { 12 }), initialSeed: 77).Parameters);
            Assert.Equal(whole, again);
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void A_run_stopped_from_its_progress_handler_resumes_with_the_same_bits(string type, bool isDouble, int batchSize, bool restoreBest)
        {
            var (whole, _) = Run(type, isDouble, batchSize, restoreBest, null, new Plan(new[] { 12 }));
            // Stopped after epoch 5, checkpointed every 2 epochs: the second Fit resumes after epoch 4 and trains 5 again.
            var (resumed, epochs) = Run(type, isDouble, batchSize, restoreBest, Path_, new Plan(new[] { 12, 12 }, StopAfter: 5));
            Assert.Equal(whole, resumed);
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12 }, epochs);

            // Stopped after epoch 6, which was checkpointed before it was reported: the second Fit starts at 7.
            var (atCheckpoint, more) = Run(type, isDouble, batchSize, restoreBest, Path.Combine(_directory, "second.bpgc"), new Plan(new[] { 12, 12 }, StopAfter: 6));
            Assert.Equal(whole, atCheckpoint);
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, more);
        }

        [Fact]
        public void Without_the_checkpoint_a_second_fit_trains_on_and_differs()
        {
            // The comparison above can fail: 6 + 12 epochs without a checkpoint are not 12.
            var (whole, _) = Run("Checkpoints.AdamStruct", true, 1, false, null, new Plan(new[] { 12 }));
            var (twice, _) = Run("Checkpoints.AdamStruct", true, 1, false, null, new Plan(new[] { 6, 12 }));
            Assert.NotEqual(whole, twice);
        }

        [Fact]
        public void A_damaged_checkpoint_throws_and_is_kept()
        {
            Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 3 }));
            byte[] bytes = File.ReadAllBytes(Path_);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(Path_, bytes);
            var exception = Assert.Throws<ParameterFileException>(() => Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 6 })));
            Assert.Equal(ParameterFileError.ChecksumMismatch, exception.Error);
            Assert.Equal(bytes, File.ReadAllBytes(Path_));

            File.WriteAllBytes(Path_, bytes.AsSpan(0, 20).ToArray());
            Assert.Throws<ParameterFileException>(() => Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 6 })));
        }

        [Fact]
        public void A_resealed_checkpoint_with_an_impossible_layer_count_is_malformed_and_kept()
        {
            // The checksum guards against damage, not against a writer with another idea of the format:
            // a layer count past the file's length is reported as such (the shape record is shared
            // with parameter files, whose reader has the same check), and the file stays.
            Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 3 }));
            byte[] bytes = File.ReadAllBytes(Path_);
            BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, 11); // after "BPGC", the version, the precision and the input count
            BitConverter.GetBytes(Crc32(bytes.AsSpan(0, bytes.Length - 4))).CopyTo(bytes, bytes.Length - 4);
            File.WriteAllBytes(Path_, bytes);
            var exception = Assert.Throws<ParameterFileException>(() => Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 6 })));
            Assert.Equal(ParameterFileError.Malformed, exception.Error);
            Assert.Contains("layer count", exception.Message, StringComparison.Ordinal);
            Assert.Equal(bytes, File.ReadAllBytes(Path_));
        }

        /// <summary>CRC-32 (IEEE 802.3, reflected), written out here so the test does not lean on the library's own.</summary>
        private static uint Crc32(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }

            return ~crc;
        }

        [Theory]
        [InlineData("Checkpoints.OtherShape", false, ParameterFileError.TopologyMismatch)]
        [InlineData("Checkpoints.MomentumClass", true, ParameterFileError.PrecisionMismatch)]
        [InlineData("Checkpoints.AdamSingleStruct", false, ParameterFileError.TopologyMismatch)]
        public void A_checkpoint_of_another_network_throws(string type, bool isDouble, ParameterFileError error)
        {
            Run("Checkpoints.SgdClass", false, 4, false, Path_, new Plan(new[] { 3 }));
            byte[] bytes = File.ReadAllBytes(Path_);
            var exception = Assert.Throws<ParameterFileException>(() => Run(type, isDouble, 4, false, Path_, new Plan(new[] { 6 })));
            Assert.Equal(error, exception.Error);
            Assert.Equal(bytes, File.ReadAllBytes(Path_));
        }

        private static (double[] Parameters, List<int> Epochs) Run(string type, bool isDouble, int batchSize, bool restoreBest, string? path, Plan plan, int initialSeed = 3)
        {
            Type network = s_assembly.Value.GetType(type, throwOnError: true)!;
            string entry = isDouble ? nameof(RunDouble) : nameof(RunSingle);
            MethodInfo method = typeof(CheckpointTests).GetMethod(entry, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(network);
            try
            {
                return ((double[], List<int>))method.Invoke(null, new object?[] { batchSize, restoreBest, path, plan, initialSeed })!;
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
                throw;
            }
        }

        private static (double[], List<int>) RunSingle<TNetwork>(int batchSize, bool restoreBest, string? path, Plan plan, int initialSeed)
            where TNetwork : INetwork<float>, new() =>
            RunCore<TNetwork, float>((ref TNetwork n, float[] x, float[] y, TrainerOptions o) => Trainer.Fit(ref n, x, y, o, x, y), v => (float)v, batchSize, restoreBest, path, plan, initialSeed);

        private static (double[], List<int>) RunDouble<TNetwork>(int batchSize, bool restoreBest, string? path, Plan plan, int initialSeed)
            where TNetwork : INetwork<double>, new() =>
            RunCore<TNetwork, double>((ref TNetwork n, double[] x, double[] y, TrainerOptions o) => Trainer.Fit(ref n, x, y, o, x, y), v => v, batchSize, restoreBest, path, plan, initialSeed);

        /// <summary>
        /// Trains a fresh network (a struct lives in this local, trained through ref) over XOR-like data with
        /// shuffling, a step schedule and a validation set, one Fit per entry of the plan; returns its parameters and the epochs reported.
        /// </summary>
        private static (double[], List<int>) RunCore<TNetwork, T>(Fit<TNetwork, T> fit, Func<double, T> number, int batchSize, bool restoreBest, string? path, Plan plan, int initialSeed)
            where TNetwork : INetwork<T>, new()
            where T : struct
        {
            var inputs = new T[2 * 10];
            var targets = new T[10];
            for (int i = 0; i < 10; i++)
            {
                inputs[2 * i] = number(Math.Sin(i));
                inputs[(2 * i) + 1] = number(Math.Cos(3 * i));
                targets[i] = number((Math.Sin(i) > 0) ^ (Math.Cos(3 * i) > 0) ? 1 : 0);
            }

            var network = new TNetwork();
            network.InitializeParameters(initialSeed);
            var epochs = new List<int>();
            foreach (int fitEpochs in plan.Fits)
            {
                var options = new TrainerOptions
                {
                    Epochs = fitEpochs,
                    BatchSize = batchSize,
                    LearningRate = 0.1,
                    LearningRateSchedule = LearningRateSchedule.Step(4, 0.5),
                    ShuffleSeed = 9,
                    RestoreBestParameters = restoreBest,
                    CheckpointPath = path,
                    CheckpointEvery = 2,
                    Progress = new Handler(epochs.Count == 0 ? plan.StopAfter : 0, epochs),
                };
                try
                {
                    fit(ref network, inputs, targets, options);
                }
                catch (StopTraining)
                {
                    // The plan's next Fit resumes.
                }
            }

            var parameters = new T[network.ParameterCount];
            network.CopyParametersTo(parameters);
            return (Array.ConvertAll(parameters, p => Convert.ToDouble(p, System.Globalization.CultureInfo.InvariantCulture)), epochs);
        }
    }
}
