using System;
using System.IO;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// A black-box optimizer over a parameter vector, driven by asking for candidates and telling
    /// their fitness: no gradients, only a score. Higher fitness is better; a NaN fitness ranks last
    /// and never enters the optimizer's state.
    /// </summary>
    /// <remarks>
    /// One generation is <see cref="Ask"/> (fill the population), evaluate every candidate (for
    /// example with <see cref="Population.Evaluate{TNetwork, T}"/>), then <see cref="Tell"/>. Asking
    /// twice before telling gives the same population. Neither call allocates.
    /// </remarks>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's number type.</typeparam>
    public interface IAskTell<T>
        where T : struct
    {
        /// <summary>Candidates per generation.</summary>
        int PopulationSize { get; }

        /// <summary>The length of one candidate (a network's <c>ParameterCount</c>).</summary>
        int ParameterCount { get; }

        /// <summary>Generations told so far.</summary>
        int Generation { get; }

        /// <summary>The best parameters seen so far (empty until a candidate with a fitness that is not NaN was told).</summary>
        ReadOnlySpan<T> Best { get; }

        /// <summary>The fitness of <see cref="Best"/>, or NaN before there is one.</summary>
        double BestFitness { get; }

        /// <summary>Writes this generation's candidates: candidate i at <c>[i * ParameterCount, (i + 1) * ParameterCount)</c>.</summary>
        /// <param name="population">Exactly <c>PopulationSize × ParameterCount</c> values.</param>
        void Ask(Span<T> population);

        /// <summary>Takes the fitness of each asked candidate (higher is better) and moves to the next generation.</summary>
        /// <param name="fitness">Exactly <c>PopulationSize</c> values, in candidate order.</param>
        void Tell(ReadOnlySpan<T> fitness);

        /// <summary>Writes the whole state (settings, generation, random state, best so far) to <paramref name="destination"/>.</summary>
        void SaveState(Stream destination);

        /// <summary>
        /// Restores a state written by <see cref="SaveState"/> of the same kind of optimizer, number
        /// type, parameter count and population size: it then continues bit for bit as the saved one
        /// would have.
        /// </summary>
        /// <exception cref="InvalidDataException">The stream holds no such state.</exception>
        void LoadState(Stream source);
    }
}
