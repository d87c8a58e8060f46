namespace BackpropGen.Generator.Model
{
    /// <summary>Mirrors <c>BackpropGen.LossFunction</c> value for value (a test keeps them in step).</summary>
    internal enum LossKind
    {
        HalfSquaredError = 0,
        MeanSquaredError = 1,
        BinaryCrossEntropy = 2,
        CrossEntropy = 3,
    }
}
