using BackpropGen;

namespace Net8
{
    // The networks whose batch members compute e^x, ln x or tanh x: on .NET 8 (no Vector256.Exp) float e^x
    // is the vector polynomial and tanh x = 1 − 2/(e^(2x) + 1) from it, double e^x, ln x and tanh x go lane by lane.
    [Network(3, Precision = Precision.Single)]
    [Layer(5, Activation.Sigmoid)]
    [Layer(2, Activation.Sigmoid)]
    public partial struct SigmoidSingle { }

    [Network(3, Precision = Precision.Single)]
    [Layer(5, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial struct TanhSingle { }

    [Network(4, Loss = LossFunction.CrossEntropy, Precision = Precision.Single)]
    [Layer(6, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial struct SoftmaxSingle { }

    [Network(3, Precision = Precision.Double)]
    [Layer(5, Activation.Sigmoid)]
    [Layer(2, Activation.Sigmoid)]
    public partial struct SigmoidDouble { }

    [Network(3, Precision = Precision.Double)]
    [Layer(5, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial struct TanhDouble { }

    [Network(4, Loss = LossFunction.CrossEntropy, Precision = Precision.Double)]
    [Layer(6, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial struct SoftmaxDouble { }

    // The timed networks: the benchmarks' 16-16-4 sigmoid, in float and double.
    [Network(16)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Sigmoid16164 { }

    [Network(16, Precision = Precision.Double)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Sigmoid16164Double { }
}
