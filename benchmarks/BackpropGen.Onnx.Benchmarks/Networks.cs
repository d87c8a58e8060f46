using BackpropGen;

namespace BackpropGen.Onnx.Benchmarks
{
    // The networks of BackpropGen.Benchmarks' table: sigmoid layers, float.
    [Network(2)]
    [Layer(4, Activation.Sigmoid)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct Net241 { }

    [Network(16)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Net16164 { }

    [Network(64)]
    [Layer(32, Activation.Sigmoid)]
    [Layer(10, Activation.Sigmoid)]
    public partial struct Net643210 { }
}
