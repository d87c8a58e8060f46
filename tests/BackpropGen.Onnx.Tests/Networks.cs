using BackpropGen;

namespace BackpropGen.Onnx.Tests
{
    // One network per fixture in tests/fixtures/onnx (same shape as the PyTorch model).
    [Network(2)]
    [Layer(4, Activation.Tanh)]
    [Layer(1, Activation.Sigmoid)]
    public partial class TanhSigmoid241 { }

    [Network(2)]
    [Layer(4, Activation.Tanh)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct TanhSigmoid241Struct { }

    [Network(4, Loss = LossFunction.CrossEntropy)]
    [Layer(8, Activation.ReLU)]
    [Layer(3, Activation.Softmax)]
    public partial class ReluSoftmax483 { }

    [Network(3)]
    [Layer(5, Activation.LeakyReLU)]
    [Layer(2, Activation.Linear)]
    public partial class LeakyLinear352 { }

    [Network(2, Precision = Precision.Double)]
    [Layer(3, Activation.Sigmoid)]
    [Layer(1, Activation.Tanh)]
    public partial class DoubleSigmoidTanh231 { }

    [Network(16, Loss = LossFunction.CrossEntropy)]
    [Layer(16, Activation.Tanh)]
    [Layer(8, Activation.ReLU)]
    [Layer(4, Activation.Softmax)]
    public partial class Deep161684 { }

    [Network(3)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Sigmoid)]
    public partial class MatMulAdd342 { }

    [Network(3)]
    [Layer(4, Activation.SiLU)]
    [Layer(2, Activation.Linear)]
    public partial class SiLU342 { }

    [Network(3)]
    [Layer(4, Activation.GELU)]
    [Layer(2, Activation.Linear)]
    public partial class Gelu342 { }

    // For export only: every activation, float and double, a frozen network.
    [Network(5, Loss = LossFunction.CrossEntropy)]
    [Layer(7, Activation.Sigmoid)]
    [Layer(6, Activation.Tanh)]
    [Layer(5, Activation.ReLU)]
    [Layer(4, Activation.LeakyReLU)]
    [Layer(3, Activation.Linear)]
    [Layer(4, Activation.SiLU)]
    [Layer(3, Activation.GELU)]
    [Layer(3, Activation.Softmax)]
    public partial class EveryActivation { }

    [Network(5, Loss = LossFunction.CrossEntropy, Precision = Precision.Double)]
    [Layer(7, Activation.Sigmoid)]
    [Layer(6, Activation.Tanh)]
    [Layer(5, Activation.ReLU)]
    [Layer(4, Activation.LeakyReLU)]
    [Layer(3, Activation.Linear)]
    [Layer(4, Activation.SiLU)]
    [Layer(3, Activation.GELU)]
    [Layer(3, Activation.Softmax)]
    public partial class EveryActivationDouble { }

    [Network(64, Trainable = false)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Sigmoid)]
    public partial class Frozen64x32x10 { }

    // Input scaling, folded into the first Gemm on export.
    [Network(3, InputScaling = true)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Sigmoid)]
    public partial class Scaled342 { }

    [Network(3, InputScaling = true, Precision = Precision.Double, Loss = LossFunction.CrossEntropy)]
    [Layer(5, Activation.ReLU)]
    [Layer(3, Activation.Softmax)]
    public partial struct ScaledDouble353 { }

    [Network(64, InputScaling = true, Trainable = false)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Sigmoid)]
    public partial class ScaledFrozen64x32x10 { }
}
