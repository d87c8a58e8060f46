using BackpropGen;

namespace Samples.Xor
{
    /// <summary>2 inputs → 4 tanh → 1 sigmoid: the smallest network that learns XOR reliably.</summary>
    [Network(inputs: 2, Loss = LossFunction.HalfSquaredError)]
    [Layer(4, Activation.Tanh)]
    [Layer(1, Activation.Sigmoid)]
    public partial class XorNet
    {
    }
}
