using System;

namespace BackpropGen
{
    /// <summary>How <see cref="Trainer"/> trains: epochs, batch size, learning rate and its schedule, clipping, shuffling, stopping, progress.</summary>
    public sealed class TrainerOptions
    {
        /// <summary>The most epochs (passes over the training set) to run. Default 100.</summary>
        public int Epochs { get; set; } = 100;

        /// <summary>
        /// Samples per parameter update. 1 (the default) trains online with <c>TrainStep</c>; more
        /// averages the batch's gradients (<c>AccumulateGradient</c>) before each <c>ApplyGradient</c>.
        /// </summary>
        public int BatchSize { get; set; } = 1;

        /// <summary>The learning rate α passed to the network's optimizer (α₀ of <see cref="LearningRateSchedule"/>). Default 0.01.</summary>
        public double LearningRate { get; set; } = 0.01;

        /// <summary>The learning rate of each epoch from <see cref="LearningRate"/>. Default <see cref="BackpropGen.LearningRateSchedule.Constant"/>.</summary>
        public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

        /// <summary>
        /// Scales each update's gradient (the batch mean) down to this global L2 norm when it is longer,
        /// as <c>torch.nn.utils.clip_grad_norm_</c> does: g ← g · min(1, max / (‖g‖₂ + 1e-6)). With
        /// <see cref="BatchSize"/> 1 the Trainer then uses <c>AccumulateGradient</c> + <c>ApplyGradient</c>
        /// per sample instead of <c>TrainStep</c>. Default: no clipping.
        /// </summary>
        public double? ClipGradientNorm { get; set; }

        /// <summary>
        /// Stop after this many epochs in a row without a lower validation loss than the best so far
        /// (a NaN loss is never lower). Needs a validation set. Default: never.
        /// </summary>
        public int? EarlyStoppingPatience { get; set; }

        /// <summary>
        /// End with the parameters of the epoch with the lowest validation loss
        /// (<see cref="TrainingResult.BestEpoch"/>) rather than the last epoch's. Needs a validation set.
        /// The optimizer's state stays as the last epoch left it. Default false.
        /// </summary>
        public bool RestoreBestParameters { get; set; }

        /// <summary>
        /// Before training, set the network's input scaling (<see cref="NetworkAttribute.InputScaling"/>)
        /// from the training inputs: μₖ = the mean of input k and sₖ = 1/σₖ, its population standard
        /// deviation (divided by N), so the network trains on standardized inputs. An input with no
        /// spread (σₖ = 0, or below 1e-12 × max(1, |μₖ|), which is rounding) or whose 1/σₖ overflows the
        /// network's type gets sₖ = 1; NaN and ±∞ values are left out of both (an input with no finite
        /// value gets μₖ = 0, sₖ = 1). A network without input scaling throws
        /// <see cref="ArgumentException"/> before anything changes. A <see cref="CheckpointPath"/>
        /// resume then loads the checkpoint's scaling, which wins. Default false.
        /// </summary>
        public bool FitInputScaling { get; set; }

        /// <summary>The seed of the per-epoch shuffle of the training set; null keeps the given order. Default 0.</summary>
        public int? ShuffleSeed { get; set; } = 0;

        /// <summary>Stop as soon as an epoch's mean training loss is at or below this. Default: never.</summary>
        public double? TargetLoss { get; set; }

        /// <summary>
        /// A file that saves the run every <see cref="CheckpointEvery"/> epochs (atomically: the network's
        /// parameters, optimizer state and input scaling, the epochs done, the shuffle's state and the
        /// early-stopping record), and from which a <c>Fit</c> resumes when it exists: the checkpoint's
        /// parameters (and input scaling) replace the network's, and <see cref="Epochs"/> counts the whole run, so a checkpoint after
        /// epoch 6 and <c>Epochs = 12</c> train epochs 7 to 12, ending with the same bits as an
        /// uninterrupted run. A damaged checkpoint, or one of another network, precision, optimizer or
        /// training set, throws a <see cref="ParameterFileException"/> and is left as it is. Default: none.
        /// </summary>
        public string? CheckpointPath { get; set; }

        /// <summary>
        /// Epochs between checkpoints (after epoch <c>k × CheckpointEvery</c>, saved before that epoch
        /// is reported); the last epoch of a <c>Fit</c> is always saved. Default 1.
        /// </summary>
        public int CheckpointEvery { get; set; } = 1;

        /// <summary>Told after every epoch. Default: nobody.</summary>
        public IProgress<TrainingProgress>? Progress { get; set; }

        internal void Validate(bool hasValidationSet)
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

            if (LearningRateSchedule is null)
            {
                throw new ArgumentNullException(nameof(LearningRateSchedule), "Use LearningRateSchedule.Constant for a fixed rate.");
            }

            if (ClipGradientNorm is double clip && (!(clip > 0) || double.IsInfinity(clip)))
            {
                throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), clip, "The largest gradient norm must be a positive finite number.");
            }

            if (EarlyStoppingPatience is int patience && patience < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), patience, "Wait at least one epoch for a better validation loss.");
            }

            if (CheckpointEvery < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Checkpoint at least every epoch: CheckpointEvery must be 1 or more.");
            }

            if (CheckpointPath is not null && CheckpointPath.Length == 0)
            {
                throw new ArgumentException("The checkpoint path is empty: use null for no checkpoints.", nameof(CheckpointPath));
            }

            if ((EarlyStoppingPatience.HasValue || RestoreBestParameters) && !hasValidationSet)
            {
                throw new ArgumentException("EarlyStoppingPatience and RestoreBestParameters watch the validation loss: pass validation inputs and targets to Fit.", nameof(EarlyStoppingPatience));
            }
        }
    }
}
