using BackpropGen;

namespace Samples.Iris
{
    /// <summary>4 measurements → 8 tanh → 3 class probabilities, trained with cross-entropy and Adam.</summary>
    [Network(inputs: 4, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam)]
    [Layer(8, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class IrisNet
    {
    }
}
