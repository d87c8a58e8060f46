namespace BackpropGen.Generator.Model
{
    /// <summary>Mirrors <c>BackpropGen.Precision</c> value for value (a test keeps them in step).</summary>
    internal enum PrecisionKind
    {
        Single = 0,
        Double = 1,
    }
}
