using System;

namespace BackpropGen
{
    /// <summary>What a <see cref="Trainer"/> run did.</summary>
    public sealed class TrainingResult
    {
        internal TrainingResult(TrainingProgress last, bool reachedTargetLoss, bool stoppedEarly, int skippedSamples, int? bestEpoch, double? bestValidationLoss, bool restoredBest)
        {
            SkippedSamples = skippedSamples;
            Epochs = last.Epoch;
            TrainingLoss = last.TrainingLoss;
            ValidationLoss = last.ValidationLoss;
            ValidationAccuracy = last.ValidationAccuracy;
            Elapsed = last.Elapsed;
            ReachedTargetLoss = reachedTargetLoss;
            StoppedEarly = stoppedEarly;
            BestEpoch = bestEpoch;
            BestValidationLoss = bestValidationLoss;
            RestoredBestParameters = restoredBest;
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

        /// <summary>Whether training stopped because the validation loss did not improve for <see cref="TrainerOptions.EarlyStoppingPatience"/> epochs.</summary>
        public bool StoppedEarly { get; }

        /// <summary>The epoch with the lowest validation loss, if there was a validation set and an epoch whose loss was not NaN.</summary>
        public int? BestEpoch { get; }

        /// <summary>The lowest validation loss, measured after <see cref="BestEpoch"/>.</summary>
        public double? BestValidationLoss { get; }

        /// <summary>Whether the network was given back the parameters of <see cref="BestEpoch"/> (<see cref="TrainerOptions.RestoreBestParameters"/>, when that was not the last epoch).</summary>
        public bool RestoredBestParameters { get; }

        /// <summary>
        /// Samples whose update the network refused because they (or their gradient) held NaN or ±∞,
        /// over all epochs; in a mini-batch whose mean gradient was refused, the whole batch counts.
        /// </summary>
        public int SkippedSamples { get; }

        /// <summary>The time training took.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>A culture-invariant summary: epochs, time, why it stopped, losses, the best epoch and skipped samples.</summary>
        public override string ToString()
        {
            string why = ReachedTargetLoss ? " (reached the target loss)" : StoppedEarly ? " (stopped early: the validation loss stopped improving)" : string.Empty;
            string validation = ValidationLoss is double loss
                ? FormattableString.Invariant($", validation loss {loss:F4}, accuracy {ValidationAccuracy * 100:F1} %")
                : string.Empty;
            string best = BestEpoch is int epoch
                ? FormattableString.Invariant($"; best validation loss {BestValidationLoss:F4} at epoch {epoch}{(RestoredBestParameters ? " (parameters restored)" : string.Empty)}")
                : string.Empty;
            string skipped = SkippedSamples > 0 ? FormattableString.Invariant($"; {SkippedSamples} sample{(SkippedSamples == 1 ? " was" : "s were")} skipped") : string.Empty;
            return FormattableString.Invariant($"{Epochs} epoch{(Epochs == 1 ? string.Empty : "s")} in {Elapsed.TotalSeconds:F2} s{why}: loss {TrainingLoss:F4}{validation}{best}{skipped}");
        }
    }
}
