using System;

namespace BackpropGen
{
    /// <summary>Where training stands after an epoch (sent to <see cref="TrainerOptions.Progress"/>).</summary>
    public readonly struct TrainingProgress
    {
        /// <summary>Creates a progress report.</summary>
        public TrainingProgress(int epoch, int epochs, double trainingLoss, double? validationLoss, double? validationAccuracy, TimeSpan elapsed)
        {
            Epoch = epoch;
            Epochs = epochs;
            TrainingLoss = trainingLoss;
            ValidationLoss = validationLoss;
            ValidationAccuracy = validationAccuracy;
            Elapsed = elapsed;
        }

        /// <summary>The epoch just finished, from 1.</summary>
        public int Epoch { get; }

        /// <summary>The most epochs that will run.</summary>
        public int Epochs { get; }

        /// <summary>The mean loss over the epoch's training samples (measured during the epoch, before each sample's update).</summary>
        public double TrainingLoss { get; }

        /// <summary>The mean loss on the validation set after the epoch, if there is one.</summary>
        public double? ValidationLoss { get; }

        /// <summary>The fraction of validation samples classified right after the epoch, if there is a validation set.</summary>
        public double? ValidationAccuracy { get; }

        /// <summary>Time since training started.</summary>
        public TimeSpan Elapsed { get; }
    }
}
