using BackpropGen;

namespace UnityLike.AI
{
    /// <summary>Learns in play: where to steer, from where the target is and how it moves.</summary>
    [Network(4, Loss = LossFunction.MeanSquaredError, Optimizer = Optimizer.Adam,
        InputNames = new[] { "targetX", "targetY", "targetVelocityX", "targetVelocityY" },
        OutputNames = new[] { "steerX", "steerY" })]
    [Layer(12, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial struct SteeringBrain
    {
    }
}
