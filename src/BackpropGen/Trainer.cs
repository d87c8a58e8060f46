using System;
using System.Diagnostics;
using System.IO;

namespace BackpropGen
{
    /// <summary>A network's loss and accuracy on a data set (see <see cref="Trainer.Evaluate{TNetwork}(ref TNetwork, ReadOnlySpan{float}, ReadOnlySpan{float})"/>).</summary>
    public readonly struct Evaluation
    {
        /// <summary>Creates an evaluation.</summary>
        public Evaluation(double loss, double accuracy)
        {
            Loss = loss;
            Accuracy = accuracy;
        }

        /// <summary>The mean loss over the samples.</summary>
        public double Loss { get; }

        /// <summary>
        /// The fraction of samples classified right: with several outputs, the largest output is at the
        /// target's largest entry; with one output, output and target fall on the same side of 0.5.
        /// </summary>
        public double Accuracy { get; }
    }

    /// <summary>
    /// Trains any generated network over a data set held in spans: epochs, online or mini-batch
    /// updates, a learning-rate schedule, gradient clipping, a seeded shuffle, an optional validation
    /// set with early stopping and the best parameters restored, a stop at a target loss, and
    /// progress reports. Inputs are <c>count × InputCount</c> values row by row, targets
    /// <c>count × OutputCount</c>.
    /// </summary>
    /// <remarks>
    /// The network is passed by <c>ref</c> so that a <c>partial struct</c> network is trained in
    /// place rather than as a boxed copy; for a class, <c>Trainer.Fit(ref network, …)</c> is just as
    /// good. A call allocates its buffers (the shuffled order, one gradient vector, one output vector,
    /// the best parameters when they are to be restored) once; nothing is allocated per epoch, per
    /// batch or per sample, apart from what a progress handler does. Progress is reported on the
    /// training thread, synchronously, after each epoch. Training is deterministic: the same seed,
    /// data and options give bit-identical parameters on the same runtime.
    /// </remarks>
    public static class Trainer
    {
        /// <summary>Trains a float network. See <see cref="Trainer"/>.</summary>
        public static TrainingResult Fit<TNetwork>(
            ref TNetwork network,
            ReadOnlySpan<float> inputs,
            ReadOnlySpan<float> targets,
            TrainerOptions options,
            ReadOnlySpan<float> validationInputs = default,
            ReadOnlySpan<float> validationTargets = default)
            where TNetwork : INetwork<float> =>
            FitCore<TNetwork, float>(ref network, inputs, targets, options, validationInputs, validationTargets);

        /// <summary>Trains a double network. See <see cref="Trainer"/>.</summary>
        public static TrainingResult Fit<TNetwork>(
            ref TNetwork network,
            ReadOnlySpan<double> inputs,
            ReadOnlySpan<double> targets,
            TrainerOptions options,
            ReadOnlySpan<double> validationInputs = default,
            ReadOnlySpan<double> validationTargets = default)
            where TNetwork : INetwork<double> =>
            FitCore<TNetwork, double>(ref network, inputs, targets, options, validationInputs, validationTargets);

        /// <summary>The mean loss and the accuracy of a float network on a data set.</summary>
        public static Evaluation Evaluate<TNetwork>(ref TNetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
            where TNetwork : IReadOnlyNetwork<float>
        {
            int count = CountSamples(network, inputs, targets, nameof(inputs), nameof(targets));
            return EvaluateCore<TNetwork, float>(ref network, inputs, targets, count, new float[network.OutputCount]);
        }

        /// <summary>The mean loss and the accuracy of a double network on a data set.</summary>
        public static Evaluation Evaluate<TNetwork>(ref TNetwork network, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets)
            where TNetwork : IReadOnlyNetwork<double>
        {
            int count = CountSamples(network, inputs, targets, nameof(inputs), nameof(targets));
            return EvaluateCore<TNetwork, double>(ref network, inputs, targets, count, new double[network.OutputCount]);
        }

        private static TrainingResult FitCore<TNetwork, T>(
            ref TNetwork network,
            ReadOnlySpan<T> inputs,
            ReadOnlySpan<T> targets,
            TrainerOptions options,
            ReadOnlySpan<T> validationInputs,
            ReadOnlySpan<T> validationTargets)
            where TNetwork : INetwork<T>
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            bool validate = validationInputs.Length > 0 || validationTargets.Length > 0;
            options.Validate(validate);
            int count = CountSamples(network, inputs, targets, nameof(inputs), nameof(targets));
            int validationCount = validate ? CountSamples(network, validationInputs, validationTargets, nameof(validationInputs), nameof(validationTargets)) : 0;

            int batchSize = Math.Min(options.BatchSize, count);
            T[]? output = validate ? new T[network.OutputCount] : null;
            double representable = Numeric<T>.ToDouble(Numeric<T>.FromDouble(options.LearningRate));
            if (representable == 0 || double.IsInfinity(representable))
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "The learning rate is 0 or infinite in the network's number type.");
            }

            // Clipping needs the gradient before the update, so it trains through AccumulateGradient
            // + ApplyGradient even one sample at a time.
            var run = new TrainingRun<T>(count, network.ParameterCount, batchSize > 1 || options.ClipGradientNorm.HasValue, options.RestoreBestParameters, options.ShuffleSeed);
            if (options.FitInputScaling)
            {
                if (network is not IInputScaling<T>)
                {
                    throw new ArgumentException("TrainerOptions.FitInputScaling needs a network with input scaling it can set: declare it with [Network(…, InputScaling = true)] (and without [BakedParameters]).", nameof(options));
                }

                FitInputScaling(ref network, inputs, count);
            }

            string? checkpoint = options.CheckpointPath;
            if (checkpoint is not null && File.Exists(checkpoint))
            {
                Checkpoint.Resume(checkpoint, ref network, run);
            }

            // A mini-batch as wide as a vector of samples goes through AccumulateGradientBatch, gathered
            // in shuffled order into these (allocated once per Fit, like the gradient).
            BatchBuffers<T>? buffers = run.Gradient is not null && batchSize >= LaneWidth<T>()
                ? new BatchBuffers<T>(new T[batchSize * network.InputCount], new T[batchSize * network.OutputCount])
                : null;

            Stopwatch clock = Stopwatch.StartNew();
            TrainingProgress progress = default;
            bool reached = false, stoppedEarly = false;

            for (int epoch = run.Epoch + 1; epoch <= options.Epochs; epoch++)
            {
                double rate = options.LearningRateSchedule.Rate(options.LearningRate, epoch);
                T learningRate = Numeric<T>.FromDouble(rate);
                if (options.ShuffleSeed.HasValue)
                {
                    run.ShuffleOrder();
                }

                double trainingLoss = run.Gradient is null
                    ? OnlineEpoch(ref network, inputs, targets, run, learningRate)
                    : BatchEpoch(ref network, inputs, targets, run, batchSize, options.ClipGradientNorm, learningRate, buffers);
                double? validationLoss = null;
                double? validationAccuracy = null;
                if (validate)
                {
                    Evaluation evaluation = EvaluateCore<TNetwork, T>(ref network, validationInputs, validationTargets, validationCount, output!);
                    validationLoss = evaluation.Loss;
                    validationAccuracy = evaluation.Accuracy;
                    run.Watch(ref network, epoch, evaluation.Loss);
                }

                run.Epoch = epoch;
                reached = options.TargetLoss is double target && trainingLoss <= target;
                stoppedEarly = !reached && options.EarlyStoppingPatience is int patience && run.EpochsWithoutImprovement >= patience;

                // Saved before the epoch is reported, so a run stopped from its progress handler resumes after this epoch.
                if (checkpoint is not null && (epoch % options.CheckpointEvery == 0 || epoch == options.Epochs || reached || stoppedEarly))
                {
                    Checkpoint.Save(checkpoint, ref network, run);
                }

                progress = new TrainingProgress(epoch, options.Epochs, trainingLoss, validationLoss, validationAccuracy, clock.Elapsed, rate);
                options.Progress?.Report(progress);
                if (reached || stoppedEarly)
                {
                    break;
                }
            }

            bool restored = false;
            if (run.BestParameters is not null && run.BestEpoch is int best && best != run.Epoch)
            {
                network.LoadParameters(run.BestParameters);
                restored = true;
            }

            return new TrainingResult(progress, reached, stoppedEarly, run.Skipped, run.BestEpoch, run.BestEpoch.HasValue ? run.BestValidationLoss : null, restored);
        }

        /// <summary>
        /// μₖ = mean and sₖ = 1/σₖ (population) of input k over the training set, in double, leaving out
        /// NaN and ±∞; sₖ = 1 for an input without spread (see <see cref="TrainerOptions.FitInputScaling"/>).
        /// </summary>
        private static void FitInputScaling<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> inputs, int count)
            where TNetwork : INetwork<T>
            where T : struct
        {
            int n = network.InputCount;
            var offset = new T[n];
            var scale = new T[n];
            for (int k = 0; k < n; k++)
            {
                // Two passes: the mean, then the mean squared deviation from it (no cancellation).
                double sum = 0;
                int finite = 0;
                for (int i = 0; i < count; i++)
                {
                    double x = Numeric<T>.ToDouble(inputs[(i * n) + k]);
                    if (!double.IsNaN(x) && !double.IsInfinity(x))
                    {
                        sum += x;
                        finite++;
                    }
                }

                double mean = finite == 0 ? 0 : sum / finite;
                double squares = 0;
                for (int i = 0; i < count; i++)
                {
                    double x = Numeric<T>.ToDouble(inputs[(i * n) + k]);
                    if (!double.IsNaN(x) && !double.IsInfinity(x))
                    {
                        squares += (x - mean) * (x - mean);
                    }
                }

                double deviation = finite == 0 ? 0 : Math.Sqrt(squares / finite);
                T s = Numeric<T>.FromDouble(1 / deviation);
                bool spread = deviation > 1e-12 * Math.Max(1, Math.Abs(mean)) && !double.IsInfinity(Numeric<T>.ToDouble(s)) && Numeric<T>.ToDouble(s) != 0;
                offset[k] = Numeric<T>.FromDouble(mean);
                scale[k] = spread ? s : Numeric<T>.FromDouble(1);
            }

            InputScalingAccess.Set(ref network, offset, scale);
        }

        /// <summary>One epoch of TrainStep per sample; returns the mean loss of the samples taken.</summary>
        private static double OnlineEpoch<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, TrainingRun<T> run, T learningRate)
            where TNetwork : INetwork<T>
            where T : struct
        {
            int inputCount = network.InputCount;
            int outputCount = network.OutputCount;
            double lossSum = 0;
            int counted = 0, skipped = 0;
            foreach (int sample in run.Order)
            {
                double loss = Numeric<T>.ToDouble(network.TrainStep(
                    inputs.Slice(sample * inputCount, inputCount),
                    targets.Slice(sample * outputCount, outputCount),
                    learningRate));
                Count(loss, ref lossSum, ref counted, ref skipped);
            }

            run.Skipped += skipped;
            return counted > 0 ? lossSum / counted : double.NaN;
        }

        /// <summary>
        /// One epoch of mini-batches: the mean gradient of each batch, clipped to a global L2 norm when
        /// asked, then one ApplyGradient; returns the mean loss of the samples taken.
        /// </summary>
        private static double BatchEpoch<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, TrainingRun<T> run, int batchSize, double? clipNorm, T learningRate, BatchBuffers<T>? buffers)
            where TNetwork : INetwork<T>
            where T : struct
        {
            int inputCount = network.InputCount;
            int outputCount = network.OutputCount;
            int count = run.Order.Length;
            T[] gradient = run.Gradient!;
            double lossSum = 0;
            int counted = 0, skipped = 0;
            for (int start = 0; start < count; start += batchSize)
            {
                int size = Math.Min(batchSize, count - start);
                double batchLoss = 0;
                int batchCounted = 0;
                Array.Clear(gradient, 0, gradient.Length);
                if (buffers is not null && AccumulateBatch(ref network, inputs, targets, run.Order.AsSpan(start, size), gradient, buffers, out batchLoss))
                {
                    batchCounted = size;
                }
                else
                {
                    for (int i = start; i < start + size; i++)
                    {
                        int sample = run.Order[i];
                        double loss = Numeric<T>.ToDouble(network.AccumulateGradient(
                            inputs.Slice(sample * inputCount, inputCount),
                            targets.Slice(sample * outputCount, outputCount),
                            gradient));
                        Count(loss, ref batchLoss, ref batchCounted, ref skipped);
                    }
                }

                // The mean gradient of the samples the network took (a refused sample added
                // nothing), not a scaled learning rate: Adam would undo that.
                if (batchCounted == 0)
                {
                    continue;
                }

                if (batchCounted > 1)
                {
                    Numeric<T>.Scale(gradient, 1.0 / batchCounted);
                }

                if (clipNorm is double maximum)
                {
                    // torch.nn.utils.clip_grad_norm_: coefficient max / (‖g‖₂ + 1e-6), applied only below 1.
                    double coefficient = maximum / (Math.Sqrt(Numeric<T>.SumOfSquares(gradient)) + 1e-6);
                    if (coefficient < 1)
                    {
                        Numeric<T>.Scale(gradient, coefficient);
                    }
                }

                if (network.ApplyGradient(gradient, learningRate))
                {
                    lossSum += batchLoss;
                    counted += batchCounted;
                }
                else
                {
                    skipped += batchCounted;
                }
            }

            run.Skipped += skipped;
            return counted > 0 ? lossSum / counted : double.NaN;
        }

        /// <summary>
        /// The samples of one mini-batch gathered in order into the buffers and accumulated with one
        /// AccumulateGradientBatch. False when some sample was refused (a NaN sum): then the gradient is
        /// cleared again, and the caller redoes the batch one sample at a time, which counts the refused
        /// samples exactly as before (such a batch is rare: it holds non-finite data).
        /// </summary>
        private static bool AccumulateBatch<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> samples, T[] gradient, BatchBuffers<T> buffers, out double loss)
            where TNetwork : INetwork<T>
            where T : struct
        {
            int inputCount = network.InputCount;
            int outputCount = network.OutputCount;
            Span<T> batchInputs = buffers.Inputs.AsSpan(0, samples.Length * inputCount);
            Span<T> batchTargets = buffers.Targets.AsSpan(0, samples.Length * outputCount);
            for (int i = 0; i < samples.Length; i++)
            {
                inputs.Slice(samples[i] * inputCount, inputCount).CopyTo(batchInputs.Slice(i * inputCount, inputCount));
                targets.Slice(samples[i] * outputCount, outputCount).CopyTo(batchTargets.Slice(i * outputCount, outputCount));
            }

            loss = Numeric<T>.ToDouble(network.AccumulateGradientBatch(batchInputs, batchTargets, gradient));
            if (double.IsNaN(loss))
            {
                Array.Clear(gradient, 0, gradient.Length);
                loss = 0;
                return false;
            }

            return true;
        }

        /// <summary>The samples of one Vector256 of <typeparamref name="T"/>: from this batch size on, Fit trains through AccumulateGradientBatch.</summary>
        private static int LaneWidth<T>()
            where T : struct => typeof(T) == typeof(double) ? 4 : 8;

        /// <summary>One mini-batch of inputs and targets, gathered in the shuffled order.</summary>
        private sealed class BatchBuffers<T>
        {
            public BatchBuffers(T[] inputs, T[] targets)
            {
                Inputs = inputs;
                Targets = targets;
            }

            public T[] Inputs { get; }

            public T[] Targets { get; }
        }

        /// <summary>A NaN loss means the network refused the sample (non-finite data): count it as skipped.</summary>
        private static void Count(double loss, ref double lossSum, ref int counted, ref int skipped)
        {
            if (double.IsNaN(loss))
            {
                skipped++;
            }
            else
            {
                lossSum += loss;
                counted++;
            }
        }

        private static Evaluation EvaluateCore<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int count, T[] output)
            where TNetwork : IReadOnlyNetwork<T>
            where T : struct
        {
            int inputCount = network.InputCount;
            int outputCount = network.OutputCount;
            double lossSum = 0;
            int correct = 0;
            for (int sample = 0; sample < count; sample++)
            {
                ReadOnlySpan<T> x = inputs.Slice(sample * inputCount, inputCount);
                ReadOnlySpan<T> y = targets.Slice(sample * outputCount, outputCount);
                lossSum += Numeric<T>.ToDouble(network.ComputeLoss(x, y));
                network.Forward(x, output);
                if (outputCount == 1)
                {
                    correct += (Numeric<T>.ToDouble(output[0]) >= 0.5) == (Numeric<T>.ToDouble(y[0]) >= 0.5) ? 1 : 0;
                }
                else
                {
                    correct += ArgMax<T>(output) == ArgMax(y) ? 1 : 0;
                }
            }

            return new Evaluation(lossSum / count, (double)correct / count);
        }

        private static int ArgMax<T>(ReadOnlySpan<T> values)
            where T : struct
        {
            int best = 0;
            double bestValue = Numeric<T>.ToDouble(values[0]);
            for (int i = 1; i < values.Length; i++)
            {
                double value = Numeric<T>.ToDouble(values[i]);
                if (value > bestValue)
                {
                    best = i;
                    bestValue = value;
                }
            }

            return best;
        }

        private static int CountSamples<TNetwork, T>(TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, string inputsName, string targetsName)
            where TNetwork : IReadOnlyNetwork<T>
            where T : struct
        {
            int inputCount = network.InputCount;
            if (inputs.Length == 0 || inputs.Length % inputCount != 0)
            {
                throw new ArgumentException("Expected a whole, non-zero number of samples of " + inputCount + " inputs each, but got " + inputs.Length + " values.", inputsName);
            }

            int count = inputs.Length / inputCount;
            if (targets.Length != count * network.OutputCount)
            {
                throw new ArgumentException("Expected " + count + " targets of " + network.OutputCount + " values each (" + (count * network.OutputCount) + " values), but got " + targets.Length + ".", targetsName);
            }

            return count;
        }
    }
}
