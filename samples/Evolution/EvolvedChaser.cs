using BackpropGen;

namespace Samples.Evolution
{
    /// <summary>
    /// The chaser's brain, inference only (<c>Trainable = false</c>): evolution needs no gradients, so
    /// no training code is generated. Where the target is and how it moves → which way to steer.
    /// </summary>
    [Network(4, Trainable = false,
        InputNames = new[] { "targetX", "targetY", "targetVelocityX", "targetVelocityY" },
        OutputNames = new[] { "steerX", "steerY" })]
    [Layer(8, Activation.Tanh)]
    [Layer(2, Activation.Tanh)]
    public partial struct EvolvedChaser
    {
    }
}
