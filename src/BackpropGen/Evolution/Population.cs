using System;
using System.Threading.Tasks;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// The fitness of one candidate, already loaded into <paramref name="network"/>. It must depend
    /// only on the network's parameters and <paramref name="candidate"/> (seed any randomness from
    /// them), so that which worker runs it does not matter. Higher is better; NaN ranks last.
    /// </summary>
    /// <typeparam name="TNetwork">The network type; passed by <c>ref</c> so a struct network is used in place.</typeparam>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public delegate T FitnessFunction<TNetwork, T>(ref TNetwork network, int candidate)
        where T : struct;

    /// <summary>Evaluates a population of parameter vectors on networks, in parallel.</summary>
    public static class Population
    {
        /// <summary>
        /// Loads each candidate of <paramref name="population"/> into a network and writes
        /// <paramref name="function"/>'s result to <paramref name="fitness"/>: worker w of
        /// <c>networks.Length</c> takes candidates w, w + W, w + 2W, … on network w. The result does
        /// not depend on the number of workers or on scheduling, provided the fitness function keeps
        /// to its contract (see <see cref="FitnessFunction{TNetwork, T}"/>).
        /// </summary>
        /// <remarks>
        /// One network per worker: give as many as cores you want to use (<c>Environment.ProcessorCount</c>);
        /// a single network runs inline on the calling thread and allocates nothing. With more, the
        /// parallel loop allocates a few small objects per call (none per candidate). An exception
        /// thrown by the fitness function arrives wrapped in an <see cref="AggregateException"/> when
        /// there is more than one worker.
        /// </remarks>
        /// <param name="networks">One network per worker, all of the same shape (and, with <see cref="NetworkAttribute.InputScaling"/>, the same μ and s: they are not part of a candidate); the candidates overwrite their parameters.</param>
        /// <param name="population">Candidates as <see cref="IAskTell{T}.Ask"/> writes them: fitness.Length × ParameterCount values.</param>
        /// <param name="fitness">One value per candidate, written in candidate order.</param>
        /// <param name="function">The fitness of a loaded network.</param>
        public static void Evaluate<TNetwork, T>(TNetwork[] networks, ReadOnlyMemory<T> population, Memory<T> fitness, FitnessFunction<TNetwork, T> function)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            if (networks is null)
            {
                throw new ArgumentNullException(nameof(networks));
            }

            if (function is null)
            {
                throw new ArgumentNullException(nameof(function));
            }

            if (networks.Length == 0 || networks[0] is null)
            {
                throw new ArgumentException("Give at least one network (one per worker).", nameof(networks));
            }

            int parameterCount = networks[0].ParameterCount;
            int count = fitness.Length;
            EvolutionStrategy<T>.CheckLength(population.Length, count * parameterCount, nameof(population));
            int workers = Math.Min(networks.Length, count);
            for (int w = 0; w < workers; w++)
            {
                if (networks[w] is null || networks[w].ParameterCount != parameterCount)
                {
                    throw new ArgumentException("Network " + w + " is missing or has another shape than network 0.", nameof(networks));
                }
            }

            if (workers <= 1)
            {
                Run(networks, population, fitness, function, 0, 1);
                return;
            }

            RunParallel(networks, population, fitness, function, workers);
        }

        // Apart from Evaluate, so that the closure the lambda needs is allocated only on this path.
        private static void RunParallel<TNetwork, T>(TNetwork[] networks, ReadOnlyMemory<T> population, Memory<T> fitness, FitnessFunction<TNetwork, T> function, int workers)
            where TNetwork : IInferenceNetwork<T>
            where T : struct =>
            Parallel.For(0, workers, w => Run(networks, population, fitness, function, w, workers));

        private static void Run<TNetwork, T>(TNetwork[] networks, ReadOnlyMemory<T> population, Memory<T> fitness, FitnessFunction<TNetwork, T> function, int worker, int workers)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            ref TNetwork network = ref networks[worker];
            int n = network.ParameterCount;
            for (int candidate = worker; candidate < fitness.Length; candidate += workers)
            {
                network.LoadParameters(population.Span.Slice(candidate * n, n));
                fitness.Span[candidate] = function(ref network, candidate);
            }
        }
    }
}
