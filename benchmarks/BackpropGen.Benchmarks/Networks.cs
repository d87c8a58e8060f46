using BackpropGen;

namespace BackpropGen.Benchmarks
{
    // The benchmark networks: sigmoid hidden and output layers, half squared error, float, SGD.
    // 16-16-4 and 64-32-10 are wide enough for vector code (EmitContext.VectorFanIn); 64-32-10 is
    // also past the one-method size, so its steps are split into private methods.

    [Network(2)]
    [Layer(2, Activation.Sigmoid)]
    [Layer(2, Activation.Sigmoid)]
    public partial struct Net222 { }

    [Network(2)]
    [Layer(4, Activation.Sigmoid)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct Net241 { }

    [Network(4)]
    [Layer(8, Activation.Sigmoid)]
    [Layer(3, Activation.Sigmoid)]
    public partial struct Net483 { }

    [Network(16)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Net16164 { }

    [Network(64)]
    [Layer(32, Activation.Sigmoid)]
    [Layer(10, Activation.Sigmoid)]
    public partial struct Net643210 { }

    // The small networks again with FastMath = true (FastActivation's σ instead of MathF.Exp).
    [Network(2, FastMath = true)]
    [Layer(2, Activation.Sigmoid)]
    [Layer(2, Activation.Sigmoid)]
    public partial struct Net222Fast { }

    [Network(2, FastMath = true)]
    [Layer(4, Activation.Sigmoid)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct Net241Fast { }

    [Network(4, FastMath = true)]
    [Layer(8, Activation.Sigmoid)]
    [Layer(3, Activation.Sigmoid)]
    public partial struct Net483Fast { }

    // The batch benchmarks' networks (issue 12), besides 2-4-1 and 16-16-4 above.
    [Network(4)]
    [Layer(8, Activation.Tanh)]
    [Layer(3, Activation.Tanh)]
    public partial struct Batch483Tanh { }

    [Network(8)]
    [Layer(16, Activation.ReLU)]
    [Layer(8, Activation.ReLU)]
    public partial struct Batch81688ReLU { }

    [Network(6, Loss = LossFunction.CrossEntropy)]
    [Layer(12, Activation.Tanh)]
    [Layer(4, Activation.Softmax)]
    public partial struct Batch6124Softmax { }
}
