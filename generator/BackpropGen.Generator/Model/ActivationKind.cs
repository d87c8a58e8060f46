namespace BackpropGen.Generator.Model
{
    /// <summary>Mirrors <c>BackpropGen.Activation</c> value for value (a test keeps them in step).</summary>
    internal enum ActivationKind
    {
        Sigmoid = 0,
        Tanh = 1,
        ReLU = 2,
        LeakyReLU = 3,
        Linear = 4,
        Softmax = 5,
    }
}
