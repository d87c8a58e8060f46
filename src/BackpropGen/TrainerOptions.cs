using System;

namespace BackpropGen
{
    /// <summary>How <see cref="Trainer"/> trains: epochs, batch size, learning rate, shuffling, stopping, progress.</summary>
    public sealed class TrainerOptions
    {
        /// <summary>The most epochs (passes over the training set) to run. Default 100.</summary>
        public int Epochs { get; set; } = 100;

        /// <summary>
        /// Samples per parameter update. 1 (the default) trains online with <c>TrainStep</c>; more
        /// averages the batch's gradients (<c>AccumulateGradient</c>) before each <c>ApplyGradient</c>.
        /// </summary>
        public int BatchSize { get; set; } = 1;

        /// <summary>The learning rate α passed to the network's optimizer. Default 0.01.</summary>
        public double LearningRate { get; set; } = 0.01;

        /// <summary>The seed of the per-epoch shuffle of the training set; null keeps the given order. Default 0.</summary>
        public int? ShuffleSeed { get; set; } = 0;

        /// <summary>Stop as soon as an epoch's mean training loss is at or below this. Default: never.</summary>
        public double? TargetLoss { get; set; }

        /// <summary>Told after every epoch. Default: nobody.</summary>
        public IProgress<TrainingProgress>? Progress { get; set; }

        internal void Validate()
        {
            if (Epochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
            }

            if (BatchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch holds at least one sample.");
            }

            if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
            }
        }
    }
}
