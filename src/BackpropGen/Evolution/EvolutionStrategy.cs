using System;
using System.IO;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// The evolution strategy of Salimans et al. (OpenAI, 2017): candidates are the mean θ plus and
    /// minus σ·ε for Gaussian ε (antithetic pairs), their fitness is replaced by centered ranks, and
    /// the mean takes a step of <see cref="Optimizer"/> along the estimated fitness gradient
    /// g = Σᵢ (uᵢ⁺ − uᵢ⁻) εᵢ / (N σ).
    /// </summary>
    /// <remarks>
    /// The mean and the optimizer's moments are kept in double for both number types; candidates are
    /// rounded to <typeparamref name="T"/> when asked. Everything is allocated in the constructor:
    /// <see cref="Ask"/> and <see cref="Tell"/> allocate nothing. The same seed and the same
    /// fitness values give the same bits on the same runtime.
    /// </remarks>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's number type.</typeparam>
    public sealed class EvolutionStrategy<T> : IAskTell<T>
        where T : struct
    {
        private const byte Kind = 1;
        private readonly double[] _mean;
        private readonly double[] _first;  // Adam's m or the momentum velocity
        private readonly double[] _second; // Adam's v
        private readonly double[] _noise;  // ε of each pair, pair i at [i * n, …)
        private readonly double[] _fitness;
        private readonly double[] _utility;
        private readonly int[] _order;
        private readonly int[] _scratch;
        private readonly T[] _best;
        private ParameterRandom _random;
        private int _step;
        private bool _asked;
        private bool _hasBest;
        private double _sigma;
        private double _learningRate;

        /// <summary>Starts at the mean 0, or at <paramref name="mean"/> when given (for example a network's initialized parameters).</summary>
        /// <param name="parameterCount">The length of a candidate (the network's <c>ParameterCount</c>).</param>
        /// <param name="populationSize">Candidates per generation: an even number ≥ 2 (they come in ± pairs).</param>
        /// <param name="sigma">σ, the standard deviation of the perturbations.</param>
        /// <param name="learningRate">α of the step on the mean.</param>
        /// <param name="seed">Seeds every draw.</param>
        /// <param name="mean">The starting mean, <paramref name="parameterCount"/> values; empty for 0.</param>
        public EvolutionStrategy(int parameterCount, int populationSize, double sigma, double learningRate, int seed, ReadOnlySpan<T> mean = default)
        {
            if (parameterCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "A candidate has at least one parameter.");
            }

            if (populationSize < 2 || populationSize % 2 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(populationSize), populationSize, "The population is an even number ≥ 2: candidates come in antithetic pairs.");
            }

            if (mean.Length != 0 && mean.Length != parameterCount)
            {
                throw new ArgumentException("Expected a starting mean of " + parameterCount + " values, but got " + mean.Length + ".", nameof(mean));
            }

            _ = Numeric<T>.Precision; // float or double only
            ParameterCount = parameterCount;
            PopulationSize = populationSize;
            Sigma = sigma;
            LearningRate = learningRate;
            _mean = new double[parameterCount];
            for (int i = 0; i < mean.Length; i++)
            {
                _mean[i] = Numeric<T>.ToDouble(mean[i]);
            }

            _first = new double[parameterCount];
            _second = new double[parameterCount];
            _noise = new double[populationSize / 2 * parameterCount];
            _fitness = new double[populationSize];
            _utility = new double[populationSize];
            _order = new int[populationSize];
            _scratch = new int[populationSize];
            _best = new T[parameterCount];
            _random = new ParameterRandom(seed);
        }

        /// <inheritdoc/>
        public int PopulationSize { get; }

        /// <inheritdoc/>
        public int ParameterCount { get; }

        /// <inheritdoc/>
        public int Generation { get; private set; }

        /// <inheritdoc/>
        public ReadOnlySpan<T> Best => _hasBest ? _best : ReadOnlySpan<T>.Empty;

        /// <inheritdoc/>
        public double BestFitness { get; private set; } = double.NaN;

        /// <summary>The current mean θ, in double.</summary>
        public ReadOnlySpan<double> Mean => _mean;

        /// <summary>σ, the standard deviation of the perturbations (may be changed between generations).</summary>
        public double Sigma
        {
            get => _sigma;
            set => _sigma = value > 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(nameof(Sigma), value, "σ must be a positive finite number.");
        }

        /// <summary>α of the step on the mean (may be changed between generations).</summary>
        public double LearningRate
        {
            get => _learningRate;
            set => _learningRate = value > 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a positive finite number.");
        }

        /// <summary>How the mean steps along the estimated gradient: <see cref="BackpropGen.Optimizer.Adam"/> (the default, β₁ 0.9, β₂ 0.999, ε 1e-8, as in the paper), momentum 0.9, or plain SGD.</summary>
        public Optimizer Optimizer { get; set; } = Optimizer.Adam;

        /// <summary>L2 decay λ of the mean: the step follows g − λθ (the paper uses 0.005). Default 0.</summary>
        public double WeightDecay { get; set; }

        /// <summary>Writes the current mean, rounded to <typeparamref name="T"/>, into <paramref name="destination"/> (for example to load it into a network).</summary>
        public void CopyMeanTo(Span<T> destination)
        {
            CheckLength(destination.Length, ParameterCount, nameof(destination));
            for (int i = 0; i < _mean.Length; i++)
            {
                destination[i] = Numeric<T>.FromDouble(_mean[i]);
            }
        }

        /// <inheritdoc/>
        public void Ask(Span<T> population)
        {
            CheckLength(population.Length, PopulationSize * ParameterCount, nameof(population));
            if (!_asked)
            {
                for (int i = 0; i < _noise.Length; i++)
                {
                    _noise[i] = Gaussian.Next(ref _random);
                }

                _asked = true;
            }

            for (int candidate = 0; candidate < PopulationSize; candidate++)
            {
                Candidate(candidate, population.Slice(candidate * ParameterCount, ParameterCount));
            }
        }

        /// <inheritdoc/>
        public void Tell(ReadOnlySpan<T> fitness)
        {
            if (!_asked)
            {
                throw new InvalidOperationException("Ask for this generation's candidates before telling their fitness.");
            }

            CheckLength(fitness.Length, PopulationSize, nameof(fitness));
            int best = -1;
            for (int i = 0; i < fitness.Length; i++)
            {
                _fitness[i] = Numeric<T>.ToDouble(fitness[i]);
                if (FitnessRanking.Better(_fitness[i], best < 0 ? double.NaN : _fitness[best]))
                {
                    best = i;
                }
            }

            if (best >= 0 && FitnessRanking.Better(_fitness[best], BestFitness))
            {
                BestFitness = _fitness[best];
                Candidate(best, _best);
                _hasBest = true;
            }

            FitnessRanking.CenteredRanks(_fitness, _order, _scratch, _utility);
            int n = ParameterCount;
            double scale = 1.0 / (PopulationSize * _sigma);
            if (Optimizer == Optimizer.Adam)
            {
                _step++;
            }

            double correction1 = 1 - Math.Pow(0.9, _step), correction2 = 1 - Math.Pow(0.999, _step);
            for (int j = 0; j < n; j++)
            {
                double g = 0;
                for (int pair = 0; pair < PopulationSize / 2; pair++)
                {
                    g += (_utility[2 * pair] - _utility[(2 * pair) + 1]) * _noise[(pair * n) + j];
                }

                // Descend on −F + ½λ|θ|², so the step reads like the networks' optimizers.
                double d = (WeightDecay * _mean[j]) - (g * scale);
                switch (Optimizer)
                {
                    case Optimizer.Sgd:
                        _mean[j] -= _learningRate * d;
                        break;
                    case Optimizer.Momentum:
                        _first[j] = (0.9 * _first[j]) + d;
                        _mean[j] -= _learningRate * _first[j];
                        break;
                    case Optimizer.Adam:
                        _first[j] = (0.9 * _first[j]) + (0.1 * d);
                        _second[j] = (0.999 * _second[j]) + (0.001 * d * d);
                        _mean[j] -= _learningRate * (_first[j] / correction1) / (Math.Sqrt(_second[j] / correction2) + 1e-8);
                        break;
                    default:
                        throw new InvalidOperationException("Unknown optimizer " + Optimizer + ".");
                }
            }

            _asked = false;
            Generation++;
        }

        /// <inheritdoc/>
        public void SaveState(Stream destination)
        {
            using BinaryWriter writer = OptimizerState.Writer(destination, Kind, Numeric<T>.IsSingle, ParameterCount, PopulationSize);
            writer.Write(Generation);
            writer.Write(_random.State);
            writer.Write(_sigma);
            writer.Write(_learningRate);
            writer.Write((int)Optimizer);
            writer.Write(WeightDecay);
            writer.Write(_step);
            writer.Write(_asked);
            writer.Write(_hasBest);
            writer.Write(BestFitness);
            OptimizerState.Write(writer, _mean);
            OptimizerState.Write(writer, _first);
            OptimizerState.Write(writer, _second);
            OptimizerState.Write(writer, _noise);
            OptimizerState.Write<T>(writer, _best);
        }

        /// <inheritdoc/>
        public void LoadState(Stream source)
        {
            using BinaryReader reader = OptimizerState.Reader(source, Kind, Numeric<T>.IsSingle, ParameterCount, PopulationSize, "EvolutionStrategy");
            int generation, step;
            ulong random;
            double sigma, learningRate, weightDecay, bestFitness;
            Optimizer optimizer;
            bool asked, hasBest;
            double[] mean = new double[_mean.Length], first = new double[_first.Length], second = new double[_second.Length], noise = new double[_noise.Length];
            T[] best = new T[_best.Length];
            try
            {
                generation = reader.ReadInt32();
                random = reader.ReadUInt64();
                sigma = reader.ReadDouble();
                learningRate = reader.ReadDouble();
                optimizer = (Optimizer)reader.ReadInt32();
                weightDecay = reader.ReadDouble();
                step = reader.ReadInt32();
                asked = reader.ReadBoolean();
                hasBest = reader.ReadBoolean();
                bestFitness = reader.ReadDouble();
                OptimizerState.Read(reader, mean);
                OptimizerState.Read(reader, first);
                OptimizerState.Read(reader, second);
                OptimizerState.Read(reader, noise);
                OptimizerState.Read<T>(reader, best);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("The evolution state ends early.", e);
            }

            if (!(sigma > 0) || !(learningRate > 0) || optimizer < Optimizer.Sgd || optimizer > Optimizer.Adam || generation < 0 || step < 0)
            {
                throw new InvalidDataException("The evolution state holds settings no EvolutionStrategy writes.");
            }

            // Nothing changed until the whole state was read and checked.
            Generation = generation;
            _random.State = random;
            _sigma = sigma;
            _learningRate = learningRate;
            Optimizer = optimizer;
            WeightDecay = weightDecay;
            _step = step;
            _asked = asked;
            _hasBest = hasBest;
            BestFitness = bestFitness;
            mean.CopyTo(_mean, 0);
            first.CopyTo(_first, 0);
            second.CopyTo(_second, 0);
            noise.CopyTo(_noise, 0);
            best.CopyTo(_best, 0);
        }

        /// <summary>Candidate 2i is θ + σεᵢ, candidate 2i + 1 is θ − σεᵢ.</summary>
        private void Candidate(int candidate, Span<T> destination)
        {
            int n = ParameterCount;
            int offset = candidate / 2 * n;
            double sign = candidate % 2 == 0 ? _sigma : -_sigma;
            for (int j = 0; j < n; j++)
            {
                destination[j] = Numeric<T>.FromDouble(_mean[j] + (sign * _noise[offset + j]));
            }
        }

        internal static void CheckLength(int actual, int expected, string name)
        {
            if (actual != expected)
            {
                throw new ArgumentException("Expected " + expected + " values, but got " + actual + ".", name);
            }
        }
    }
}
