using BackpropGen;

namespace Samples.Playground
{
    /// <summary>(x, y) → two tanh layers of 16 → the probability of class 1, trained with binary cross-entropy and Adam.</summary>
    [Network(2, Loss = LossFunction.BinaryCrossEntropy, Optimizer = Optimizer.Adam, InputNames = new[] { "x", "y" }, OutputNames = new[] { "classOne" })]
    [Layer(16, Activation.Tanh)]
    [Layer(16, Activation.Tanh)]
    [Layer(1, Activation.Sigmoid)]
    public partial class PlaygroundNet
    {
    }
}
