using BackpropGen;

namespace Samples.Swarm
{
    /// <summary>
    /// One brain for every chaser: the offset to its target and its own velocity in, the acceleration
    /// it wants out. Small enough that one sample leaves most of a Vector256 idle; ForwardBatch fills
    /// the lanes with eight chasers at once.
    /// </summary>
    [Network(4, Loss = LossFunction.MeanSquaredError)]
    [Layer(16, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial class Brain
    {
    }
}
