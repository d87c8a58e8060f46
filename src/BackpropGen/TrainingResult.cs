using System;

namespace BackpropGen
{
    /// <summary>What a <see cref="Trainer"/> run did.</summary>
    public sealed class TrainingResult
    {
        internal TrainingResult(TrainingProgress last, bool reachedTargetLoss, int skippedSamples)
        {
            SkippedSamples = skippedSamples;
            Epochs = last.Epoch;
            TrainingLoss = last.TrainingLoss;
            ValidationLoss = last.ValidationLoss;
            ValidationAccuracy = last.ValidationAccuracy;
            Elapsed = last.Elapsed;
            ReachedTargetLoss = reachedTargetLoss;
        }

        /// <summary>The epochs that ran.</summary>
        public int Epochs { get; }

        /// <summary>The last epoch's mean training loss.</summary>
        public double TrainingLoss { get; }

        /// <summary>The last validation loss, if there was a validation set.</summary>
        public double? ValidationLoss { get; }

        /// <summary>The last validation accuracy, if there was a validation set.</summary>
        public double? ValidationAccuracy { get; }

        /// <summary>Whether training stopped early at <see cref="TrainerOptions.TargetLoss"/>.</summary>
        public bool ReachedTargetLoss { get; }

        /// <summary>
        /// Samples whose update the network refused because they (or their gradient) held NaN or ±∞,
        /// over all epochs; in a mini-batch whose mean gradient was refused, the whole batch counts.
        /// </summary>
        public int SkippedSamples { get; }

        /// <summary>The time training took.</summary>
        public TimeSpan Elapsed { get; }
    }
}
