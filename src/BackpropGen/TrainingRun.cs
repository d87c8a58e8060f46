using System;

namespace BackpropGen
{
    /// <summary>
    /// Everything a <see cref="Trainer"/> run carries from one epoch to the next, apart from the
    /// network itself: the epochs done, the shuffled order and its generator, the skipped samples and
    /// the best validation epoch. It is one object so that a checkpoint can save and restore exactly
    /// this (with the network's parameters and optimizer state) and a resumed run continues bit for bit.
    /// </summary>
    internal sealed class TrainingRun<T>
        where T : struct
    {
        public TrainingRun(int count, int parameterCount, bool needsGradient, bool keepBest, int? shuffleSeed)
        {
            Order = new int[count];
            for (int i = 0; i < count; i++)
            {
                Order[i] = i;
            }

            Gradient = needsGradient ? new T[parameterCount] : null;
            BestParameters = keepBest ? new T[parameterCount] : null;
            Shuffle = new ParameterRandom(shuffleSeed ?? 0);
        }

        /// <summary>Epochs finished.</summary>
        public int Epoch { get; set; }

        /// <summary>The sample order; each epoch shuffles the previous epoch's order.</summary>
        public int[] Order { get; }

        /// <summary>The generator of the shuffles.</summary>
        public ParameterRandom Shuffle;

        /// <summary>The batch gradient buffer, when updates go through AccumulateGradient + ApplyGradient.</summary>
        public T[]? Gradient { get; }

        /// <summary>The parameters after <see cref="BestEpoch"/>, when they are to be restored.</summary>
        public T[]? BestParameters { get; }

        public int Skipped { get; set; }

        public int? BestEpoch { get; private set; }

        public double BestValidationLoss { get; private set; } = double.NaN;

        /// <summary>Epochs since the best one (or since the start, before there is one).</summary>
        public int EpochsWithoutImprovement { get; private set; }

        /// <summary>Continues a run from its checkpoint (<see cref="Checkpoint.Resume"/>), which has checked every value.</summary>
        public void Restore(int epoch, int[] order, ulong shuffle, int skipped, int? bestEpoch, double bestValidationLoss, int epochsWithoutImprovement, T[]? bestParameters)
        {
            Epoch = epoch;
            Array.Copy(order, Order, Order.Length);
            Shuffle.State = shuffle;
            Skipped = skipped;
            BestEpoch = bestEpoch;
            BestValidationLoss = bestValidationLoss;
            EpochsWithoutImprovement = epochsWithoutImprovement;
            if (BestParameters is not null && bestParameters is not null)
            {
                Array.Copy(bestParameters, BestParameters, BestParameters.Length);
            }
        }

        /// <summary>Fisher–Yates with the platform-independent generator: the same seed, the same order.</summary>
        public void ShuffleOrder()
        {
            for (int i = Order.Length - 1; i > 0; i--)
            {
                int j = (int)(Shuffle.NextUInt64() % (ulong)(i + 1));
                (Order[i], Order[j]) = (Order[j], Order[i]);
            }
        }

        /// <summary>Records the validation loss after <paramref name="epoch"/>; a lower one (never NaN) becomes the best, and its parameters are kept.</summary>
        public void Watch<TNetwork>(ref TNetwork network, int epoch, double validationLoss)
            where TNetwork : INetwork<T>
        {
            if (!double.IsNaN(validationLoss) && (BestEpoch is null || validationLoss < BestValidationLoss))
            {
                BestEpoch = epoch;
                BestValidationLoss = validationLoss;
                EpochsWithoutImprovement = 0;
                if (BestParameters is not null)
                {
                    network.CopyParametersTo(BestParameters);
                }
            }
            else
            {
                EpochsWithoutImprovement++;
            }
        }
    }
}
