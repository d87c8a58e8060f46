namespace BackpropGen.Generator.Model
{
    /// <summary>The optimizer of a network and its hyperparameters, as declared on <c>[Network]</c>.</summary>
    internal sealed record OptimizerSpec(Optimizer Kind, double Momentum, double Beta1, double Beta2, double Epsilon, double WeightDecay)
    {
        public static OptimizerSpec Default { get; } = new(Optimizer.Sgd, 0.9, 0.9, 0.999, 1e-8, 0);

        /// <summary>Whether the optimizer keeps state between steps (fields, and a TrainStep through ApplyGradient).</summary>
        public bool HasState => Kind switch
        {
            Optimizer.Sgd => false,
            Optimizer.Momentum or Optimizer.Adam => true,
            _ => throw new System.InvalidOperationException("Unexpected value " + Kind + "."),
        };
    }
}
