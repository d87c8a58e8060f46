using BackpropGen;

namespace Samples.Agent
{
    /// <summary>The chaser's brain: where the target is and how it moves → which way to steer.</summary>
    [Network(4, Loss = LossFunction.MeanSquaredError, Optimizer = Optimizer.Adam,
        InputNames = new[] { "targetX", "targetY", "targetVelocityX", "targetVelocityY" },
        OutputNames = new[] { "steerX", "steerY" })]
    [Layer(10, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial struct Chaser
    {
    }
}
