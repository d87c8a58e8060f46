using System;

namespace BackpropGen
{
    /// <summary>
    /// The learning rate of each epoch, as a function of <see cref="TrainerOptions.LearningRate"/>
    /// (α₀) and the epoch e, counted from 1. The forms follow PyTorch's <c>StepLR</c>,
    /// <c>ExponentialLR</c> and <c>CosineAnnealingLR</c> stepped once per epoch, with t = e − 1
    /// epochs done.
    /// </summary>
    /// <remarks>A schedule is immutable and allocates nothing when asked for a rate; one can be shared by many runs.</remarks>
    public abstract class LearningRateSchedule
    {
        private LearningRateSchedule()
        {
        }

        /// <summary>α₀ in every epoch (the default).</summary>
        public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

        /// <summary>α₀ · factor^⌊t / everyEpochs⌋: the rate is multiplied by <paramref name="factor"/> after every <paramref name="everyEpochs"/> epochs (<c>StepLR</c>).</summary>
        public static LearningRateSchedule Step(int everyEpochs, double factor)
        {
            if (everyEpochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(everyEpochs), everyEpochs, "Step at least every epoch.");
            }

            return new StepSchedule(everyEpochs, Positive(factor, nameof(factor)));
        }

        /// <summary>α₀ · γᵗ: the rate is multiplied by <paramref name="gamma"/> after every epoch (<c>ExponentialLR</c>).</summary>
        public static LearningRateSchedule Exponential(double gamma) => new StepSchedule(1, Positive(gamma, nameof(gamma)));

        /// <summary>
        /// minimum + (α₀ − minimum) · (1 + cos(π t / totalEpochs)) / 2, and <paramref name="minimum"/>
        /// from epoch totalEpochs + 1 on (<c>CosineAnnealingLR</c> with η_min = minimum, T_max = totalEpochs).
        /// </summary>
        public static LearningRateSchedule Cosine(int totalEpochs, double minimum = 0)
        {
            if (totalEpochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "The cosine spans at least one epoch.");
            }

            if (!(minimum >= 0) || double.IsInfinity(minimum))
            {
                throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate is a finite number ≥ 0.");
            }

            return new CosineSchedule(totalEpochs, minimum);
        }

        /// <summary>
        /// A linear warmup, α₀ · e / <paramref name="epochs"/> for e ≤ <paramref name="epochs"/> (α₀ in the
        /// last warmup epoch), then <paramref name="then"/> counting its epochs from 1 again.
        /// </summary>
        public static LearningRateSchedule Warmup(int epochs, LearningRateSchedule then)
        {
            if (epochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Warm up over at least one epoch.");
            }

            return new WarmupSchedule(epochs, then ?? throw new ArgumentNullException(nameof(then)));
        }

        /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 1) for the base rate <paramref name="baseRate"/>.</summary>
        public double Rate(double baseRate, int epoch)
        {
            if (epoch < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs count from 1.");
            }

            return RateCore(baseRate, epoch);
        }

        private protected abstract double RateCore(double baseRate, int epoch);

        private static double Positive(double value, string name) =>
            value > 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(name, value, "The factor must be a positive finite number.");

        private sealed class ConstantSchedule : LearningRateSchedule
        {
            private protected override double RateCore(double baseRate, int epoch) => baseRate;

            public override string ToString() => "Constant";
        }

        private sealed class StepSchedule(int every, double factor) : LearningRateSchedule
        {
            private protected override double RateCore(double baseRate, int epoch) => baseRate * Math.Pow(factor, (epoch - 1) / every);

            public override string ToString() => every == 1
                ? FormattableString.Invariant($"Exponential({factor})")
                : FormattableString.Invariant($"Step({every}, {factor})");
        }

        private sealed class CosineSchedule(int total, double minimum) : LearningRateSchedule
        {
            private protected override double RateCore(double baseRate, int epoch)
            {
                int t = Math.Min(epoch - 1, total);
                return minimum + ((baseRate - minimum) * (1 + Math.Cos(Math.PI * t / total)) / 2);
            }

            public override string ToString() => FormattableString.Invariant($"Cosine({total}, {minimum})");
        }

        private sealed class WarmupSchedule(int epochs, LearningRateSchedule then) : LearningRateSchedule
        {
            private protected override double RateCore(double baseRate, int epoch) =>
                epoch <= epochs ? baseRate * epoch / epochs : then.RateCore(baseRate, epoch - epochs);

            public override string ToString() => FormattableString.Invariant($"Warmup({epochs}, {then})");
        }
    }
}
