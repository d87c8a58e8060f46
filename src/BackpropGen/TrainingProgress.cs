using System;

namespace BackpropGen
{
    /// <summary>Where training stands after an epoch (sent to <see cref="TrainerOptions.Progress"/>).</summary>
    public readonly struct TrainingProgress
    {
        /// <summary>Creates a progress report.</summary>
        public TrainingProgress(int epoch, int epochs, double trainingLoss, double? validationLoss, double? validationAccuracy, TimeSpan elapsed, double learningRate)
        {
            Epoch = epoch;
            Epochs = epochs;
            TrainingLoss = trainingLoss;
            ValidationLoss = validationLoss;
            ValidationAccuracy = validationAccuracy;
            Elapsed = elapsed;
            LearningRate = learningRate;
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

        /// <summary>The learning rate this epoch trained with (from <see cref="TrainerOptions.LearningRateSchedule"/>).</summary>
        public double LearningRate { get; }

        /// <summary>One line, culture-invariant: <c>epoch 12/100: loss 0.0123, validation loss 0.0150, accuracy 96.7 %, rate 0.01, 0.25 s</c>.</summary>
        public override string ToString()
        {
            string validation = ValidationLoss is double loss
                ? FormattableString.Invariant($", validation loss {loss:F4}, accuracy {ValidationAccuracy * 100:F1} %")
                : string.Empty;
            return FormattableString.Invariant($"epoch {Epoch}/{Epochs}: loss {TrainingLoss:F4}{validation}, rate {LearningRate:G4}, {Elapsed.TotalSeconds:F2} s");
        }
    }
}
