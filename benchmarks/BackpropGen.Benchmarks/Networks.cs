using BackpropGen;

namespace BackpropGen.Benchmarks
{
    // The benchmark networks: sigmoid hidden and output layers, half squared error, float, SGD.
    // 64-32-10 (2,410 parameters) is over today's size limit (768), so only the baselines run it.

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
}
