namespace BackpropGen.Generator.Model
{
    /// <summary>Mirrors <c>BackpropGen.Optimizer</c> value for value (a test keeps them in step).</summary>
    internal enum OptimizerKind
    {
        Sgd = 0,
        Momentum = 1,
        Adam = 2,
    }
}
