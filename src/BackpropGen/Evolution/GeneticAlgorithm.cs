using System;
using System.IO;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// An elitist genetic algorithm over parameter vectors: the best <see cref="EliteCount"/>
    /// candidates pass unchanged into the next generation; every other child takes its parents by
    /// <see cref="Selection"/>, is a uniform crossover of two parents with probability
    /// <see cref="CrossoverRate"/> (else a copy of one), and gets Gaussian mutation N(0, σ²) on each
    /// parameter with probability <see cref="MutationRate"/>.
    /// </summary>
    /// <remarks>
    /// The first population is the start (zeros, or the given parameters) as candidate 0 and the
    /// start plus N(0, <see cref="InitialSigma"/>²) noise for the others; it is drawn at the first
    /// <see cref="Ask"/>, so the settings may be changed after construction. Everything is allocated
    /// in the constructor: <see cref="Ask"/> and <see cref="Tell"/> allocate nothing. The same seed
    /// and the same fitness values give the same bits on the same runtime.
    /// </remarks>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's number type.</typeparam>
    public sealed class GeneticAlgorithm<T> : IAskTell<T>
        where T : struct
    {
        private const byte Kind = 2;
        private readonly T[] _start;
        private T[] _population;
        private T[] _next;
        private readonly double[] _fitness;
        private readonly int[] _order;
        private readonly int[] _scratch;
        private readonly T[] _best;
        private ParameterRandom _random;
        private bool _started;
        private bool _hasBest;
        private double _mutationSigma;

        /// <summary>Starts from zeros, or from <paramref name="start"/> when given (for example a network's initialized parameters).</summary>
        /// <param name="parameterCount">The length of a candidate (the network's <c>ParameterCount</c>).</param>
        /// <param name="populationSize">Candidates per generation, at least 2.</param>
        /// <param name="mutationSigma">σ of the Gaussian mutation.</param>
        /// <param name="seed">Seeds every draw.</param>
        /// <param name="start">The starting parameters, <paramref name="parameterCount"/> values; empty for zeros.</param>
        public GeneticAlgorithm(int parameterCount, int populationSize, double mutationSigma, int seed, ReadOnlySpan<T> start = default)
        {
            if (parameterCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "A candidate has at least one parameter.");
            }

            if (populationSize < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(populationSize), populationSize, "The population holds at least 2 candidates.");
            }

            if (start.Length != 0 && start.Length != parameterCount)
            {
                throw new ArgumentException("Expected " + parameterCount + " starting parameters, but got " + start.Length + ".", nameof(start));
            }

            _ = Numeric<T>.Precision; // float or double only
            ParameterCount = parameterCount;
            PopulationSize = populationSize;
            MutationSigma = mutationSigma;
            EliteCount = Math.Max(1, populationSize / 20);
            _start = new T[parameterCount];
            start.CopyTo(_start);
            _population = new T[populationSize * parameterCount];
            _next = new T[populationSize * parameterCount];
            _fitness = new double[populationSize];
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

        /// <summary>σ of the Gaussian mutation (may be changed between generations).</summary>
        public double MutationSigma
        {
            get => _mutationSigma;
            set => _mutationSigma = value > 0 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(nameof(MutationSigma), value, "σ must be a positive finite number.");
        }

        /// <summary>The chance that one parameter of a child is mutated. Default 1 (every parameter).</summary>
        public double MutationRate { get; set; } = 1.0;

        /// <summary>The chance that a child is a uniform crossover of two parents rather than a copy of one. Default 0.5; 0 turns crossover off.</summary>
        public double CrossoverRate { get; set; } = 0.5;

        /// <summary>How many of the best candidates pass unchanged into the next generation. Default: 1 in 20, at least 1.</summary>
        public int EliteCount { get; set; }

        /// <summary>How parents are picked. Default <see cref="Evolution.Selection.Tournament"/>.</summary>
        public Selection Selection { get; set; } = Selection.Tournament;

        /// <summary>Candidates per tournament. Default 3.</summary>
        public int TournamentSize { get; set; } = 3;

        /// <summary>The best share of the population that truncation selection picks from. Default 0.25.</summary>
        public double TruncationFraction { get; set; } = 0.25;

        /// <summary>σ of the noise around the start in the first population. Default 1.</summary>
        public double InitialSigma { get; set; } = 1.0;

        /// <inheritdoc/>
        public void Ask(Span<T> population)
        {
            EvolutionStrategy<T>.CheckLength(population.Length, PopulationSize * ParameterCount, nameof(population));
            if (!_started)
            {
                CheckSettings();
                int n = ParameterCount;
                _start.CopyTo(_population, 0);
                for (int i = n; i < _population.Length; i++)
                {
                    _population[i] = Numeric<T>.FromDouble(Numeric<T>.ToDouble(_start[i % n]) + (InitialSigma * Gaussian.Next(ref _random)));
                }

                _started = true;
            }

            _population.AsSpan().CopyTo(population);
        }

        /// <inheritdoc/>
        public void Tell(ReadOnlySpan<T> fitness)
        {
            if (!_started)
            {
                throw new InvalidOperationException("Ask for this generation's candidates before telling their fitness.");
            }

            EvolutionStrategy<T>.CheckLength(fitness.Length, PopulationSize, nameof(fitness));
            CheckSettings();
            for (int i = 0; i < fitness.Length; i++)
            {
                _fitness[i] = Numeric<T>.ToDouble(fitness[i]);
            }

            FitnessRanking.SortBestFirst(_fitness, _order, _scratch);
            int n = ParameterCount;
            int champion = _order[0];
            if (FitnessRanking.Better(_fitness[champion], BestFitness))
            {
                BestFitness = _fitness[champion];
                _population.AsSpan(champion * n, n).CopyTo(_best);
                _hasBest = true;
            }

            for (int child = 0; child < PopulationSize; child++)
            {
                Span<T> destination = _next.AsSpan(child * n, n);
                if (child < EliteCount)
                {
                    _population.AsSpan(_order[child] * n, n).CopyTo(destination);
                    continue;
                }

                int first = Parent() * n;
                int second = CrossoverRate > 0 && _random.NextDouble() < CrossoverRate ? Parent() * n : first;
                for (int j = 0; j < n; j++)
                {
                    // One draw per parameter for the crossover coin, so the sequence does not depend on the parents.
                    bool fromSecond = second != first && (_random.NextUInt64() & 1) != 0;
                    double value = Numeric<T>.ToDouble(_population[(fromSecond ? second : first) + j]);
                    if (MutationRate >= 1 || _random.NextDouble() < MutationRate)
                    {
                        value += _mutationSigma * Gaussian.Next(ref _random);
                    }

                    destination[j] = Numeric<T>.FromDouble(value);
                }
            }

            (_population, _next) = (_next, _population);
            Generation++;
        }

        /// <inheritdoc/>
        public void SaveState(Stream destination)
        {
            using BinaryWriter writer = OptimizerState.Writer(destination, Kind, Numeric<T>.IsSingle, ParameterCount, PopulationSize);
            writer.Write(Generation);
            writer.Write(_random.State);
            writer.Write(_mutationSigma);
            writer.Write(MutationRate);
            writer.Write(CrossoverRate);
            writer.Write(EliteCount);
            writer.Write((int)Selection);
            writer.Write(TournamentSize);
            writer.Write(TruncationFraction);
            writer.Write(InitialSigma);
            writer.Write(_started);
            writer.Write(_hasBest);
            writer.Write(BestFitness);
            OptimizerState.Write<T>(writer, _start);
            OptimizerState.Write<T>(writer, _population);
            OptimizerState.Write<T>(writer, _best);
        }

        /// <inheritdoc/>
        public void LoadState(Stream source)
        {
            using BinaryReader reader = OptimizerState.Reader(source, Kind, Numeric<T>.IsSingle, ParameterCount, PopulationSize, "GeneticAlgorithm");
            int generation, elites, tournament;
            ulong random;
            double sigma, mutationRate, crossoverRate, truncation, initialSigma, bestFitness;
            Selection selection;
            bool started, hasBest;
            T[] start = new T[_start.Length], population = new T[_population.Length], best = new T[_best.Length];
            try
            {
                generation = reader.ReadInt32();
                random = reader.ReadUInt64();
                sigma = reader.ReadDouble();
                mutationRate = reader.ReadDouble();
                crossoverRate = reader.ReadDouble();
                elites = reader.ReadInt32();
                selection = (Selection)reader.ReadInt32();
                tournament = reader.ReadInt32();
                truncation = reader.ReadDouble();
                initialSigma = reader.ReadDouble();
                started = reader.ReadBoolean();
                hasBest = reader.ReadBoolean();
                bestFitness = reader.ReadDouble();
                OptimizerState.Read<T>(reader, start);
                OptimizerState.Read<T>(reader, population);
                OptimizerState.Read<T>(reader, best);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("The evolution state ends early.", e);
            }

            if (!(sigma > 0) || generation < 0 || elites < 0 || elites >= PopulationSize || tournament < 1 || (selection != Selection.Tournament && selection != Selection.Truncation))
            {
                throw new InvalidDataException("The evolution state holds settings no GeneticAlgorithm writes.");
            }

            // Nothing changed until the whole state was read and checked.
            Generation = generation;
            _random.State = random;
            _mutationSigma = sigma;
            MutationRate = mutationRate;
            CrossoverRate = crossoverRate;
            EliteCount = elites;
            Selection = selection;
            TournamentSize = tournament;
            TruncationFraction = truncation;
            InitialSigma = initialSigma;
            _started = started;
            _hasBest = hasBest;
            BestFitness = bestFitness;
            start.CopyTo(_start, 0);
            population.CopyTo(_population, 0);
            best.CopyTo(_best, 0);
        }

        /// <summary>The index of a parent, by <see cref="Selection"/> over the ranked population.</summary>
        private int Parent()
        {
            if (Selection == Selection.Truncation)
            {
                int pool = Math.Max(1, (int)Math.Ceiling(TruncationFraction * PopulationSize));
                return _order[(int)(_random.NextUInt64() % (ulong)pool)];
            }

            // Tournament: the best rank among the drawn ones (a lower position in _order is better).
            int winner = int.MaxValue;
            for (int i = 0; i < TournamentSize; i++)
            {
                winner = Math.Min(winner, (int)(_random.NextUInt64() % (ulong)PopulationSize));
            }

            return _order[winner];
        }

        private void CheckSettings()
        {
            if (EliteCount < 0 || EliteCount >= PopulationSize)
            {
                throw new InvalidOperationException("EliteCount is " + EliteCount + "; it must be at least 0 and below the population size " + PopulationSize + ".");
            }

            if (TournamentSize < 1)
            {
                throw new InvalidOperationException("TournamentSize is " + TournamentSize + "; a tournament has at least one candidate.");
            }

            if (Selection != Selection.Tournament && Selection != Selection.Truncation)
            {
                throw new InvalidOperationException("Unknown selection " + Selection + ".");
            }

            if (!(TruncationFraction > 0 && TruncationFraction <= 1) || !(MutationRate >= 0 && MutationRate <= 1) || !(CrossoverRate >= 0 && CrossoverRate <= 1) || !(InitialSigma >= 0) || double.IsInfinity(InitialSigma))
            {
                throw new InvalidOperationException("TruncationFraction must be in (0, 1], MutationRate and CrossoverRate in [0, 1], InitialSigma finite and ≥ 0.");
            }
        }
    }
}
