using System;

namespace UnityLike.AI
{
    /// <summary>
    /// What a MonoBehaviour would hold (without UnityEngine, so this builds anywhere): a brain that
    /// trains a few steps per frame, and a frozen reflex. No allocation per frame.
    /// </summary>
    public sealed class AgentBehaviour
    {
        private readonly Reflex _reflex = new Reflex();
        private readonly float[] _observation = new float[4];
        private readonly float[] _target = new float[2];
        private SteeringBrain _brain;

        /// <summary>Starts with a seeded brain.</summary>
        public AgentBehaviour(int seed)
        {
            _brain.InitializeParameters(seed);
        }

        /// <summary>One frame: decide how to steer, then learn from what the target actually did.</summary>
        /// <returns>The steering, and whether the reflex says jump.</returns>
        public (float SteerX, float SteerY, bool Jump) Update(float targetX, float targetY, float targetVelocityX, float targetVelocityY, bool leftSensor, bool rightSensor)
        {
            _brain.Forward(targetX, targetY, targetVelocityX, targetVelocityY, out float steerX, out float steerY);
            _reflex.Forward(leftSensor ? 1f : 0f, rightSensor ? 1f : 0f, out float jump);

            // In hindsight the best steering pointed where the target went: learn that.
            float aheadX = targetX + targetVelocityX, aheadY = targetY + targetVelocityY;
            float length = MathF.Max(1e-6f, MathF.Sqrt((aheadX * aheadX) + (aheadY * aheadY)));
            _observation[0] = targetX;
            _observation[1] = targetY;
            _observation[2] = targetVelocityX;
            _observation[3] = targetVelocityY;
            _target[0] = aheadX / length;
            _target[1] = aheadY / length;
            _brain.TrainStep(_observation, _target, 0.01f);
            return (steerX, steerY, jump > 0.5f);
        }
    }
}
