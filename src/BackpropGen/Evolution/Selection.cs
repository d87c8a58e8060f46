namespace BackpropGen.Evolution
{
    /// <summary>How <see cref="GeneticAlgorithm{T}"/> picks the parents of each child.</summary>
    public enum Selection
    {
        /// <summary>The best of <see cref="GeneticAlgorithm{T}.TournamentSize"/> candidates drawn at random (the default).</summary>
        Tournament = 0,

        /// <summary>Uniformly among the best <see cref="GeneticAlgorithm{T}.TruncationFraction"/> of the population.</summary>
        Truncation = 1,
    }
}
