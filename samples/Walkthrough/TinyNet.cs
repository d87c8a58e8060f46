using BackpropGen;

namespace Samples.Walkthrough
{
    /// <summary>
    /// The 2-2-2 network of the worked example (docs/math.md): two inputs, two sigmoid neurons, two
    /// sigmoid outputs, half squared error, plain gradient descent, in double. Explain = true adds each
    /// parameter's chain rule to the generated file and generates ExplainStep.
    /// </summary>
    [Network(inputs: 2, Precision = Precision.Double, Explain = true)]
    [Layer(2, Activation.Sigmoid)]
    [Layer(2, Activation.Sigmoid)]
    public partial class TinyNet
    {
    }
}
