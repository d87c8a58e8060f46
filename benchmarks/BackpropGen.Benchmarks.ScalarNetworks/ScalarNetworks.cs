using BackpropGen;

namespace BackpropGen.Benchmarks.ScalarNetworks
{
    // The size sweep (issue 11): sigmoid layers, half squared error, float, SGD, as LoopNetwork computes.
    // Unsplit up to NetworkLimits' one-method size (768 parameters); 24-24-24-4 (1,300) is split scalar.

    [Network(2)]
    [Layer(4, Activation.Sigmoid)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct Sweep241 { }

    [Network(4)]
    [Layer(8, Activation.Sigmoid)]
    [Layer(3, Activation.Sigmoid)]
    public partial struct Sweep483 { }

    [Network(8)]
    [Layer(8, Activation.Sigmoid)]
    [Layer(8, Activation.Sigmoid)]
    public partial struct Sweep888 { }

    [Network(16)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Sweep16164 { }

    [Network(12)]
    [Layer(24, Activation.Sigmoid)]
    [Layer(6, Activation.Sigmoid)]
    public partial struct Sweep12246 { }

    [Network(32)]
    [Layer(16, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Sweep32164 { }

    // The largest unsplit: (23 + 1) * 30 + (30 + 1) * 1 = 751 parameters.
    [Network(23)]
    [Layer(30, Activation.Sigmoid)]
    [Layer(1, Activation.Sigmoid)]
    public partial struct Sweep23301 { }

    [Network(24)]
    [Layer(24, Activation.Sigmoid)]
    [Layer(24, Activation.Sigmoid)]
    [Layer(4, Activation.Sigmoid)]
    public partial struct Sweep2424244 { }
}
