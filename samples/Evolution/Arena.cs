using System;
using BackpropGen;

namespace Samples.Evolution
{
    /// <summary>
    /// The game: a target wanders a walled arena and the agent steers toward it. The game scores a
    /// point for each frame within catch range, and up to a point for being near (1 − distance),
    /// so a score exists from the first, clumsy generation on. Nothing here allocates.
    /// </summary>
    internal static class Arena
    {
        public const int Frames = 200;
        private const float AgentSpeed = 0.03f, CatchRadius = 0.1f;

        /// <summary>Plays one episode; the same seed gives the same target path.</summary>
        public static float Play(ref EvolvedChaser brain, int seed, out int catches)
        {
            var random = new ParameterRandom(seed);
            float agentX = 0, agentY = 0;
            float targetX = (float)random.NextUniform(0.8), targetY = (float)random.NextUniform(0.8);
            float targetVx = (float)random.NextUniform(0.02), targetVy = (float)random.NextUniform(0.02);
            float score = 0;
            catches = 0;
            for (int frame = 0; frame < Frames; frame++)
            {
                float dx = targetX - agentX, dy = targetY - agentY;
                brain.Forward(dx, dy, targetVx * 20, targetVy * 20, out float steerX, out float steerY);
                float length = MathF.Max(1f, MathF.Sqrt((steerX * steerX) + (steerY * steerY)));
                agentX = Math.Clamp(agentX + (AgentSpeed * steerX / length), -1, 1);
                agentY = Math.Clamp(agentY + (AgentSpeed * steerY / length), -1, 1);

                if (random.NextDouble() < 0.03)
                {
                    targetVx = (float)random.NextUniform(0.02);
                    targetVy = (float)random.NextUniform(0.02);
                }

                targetX += targetVx;
                targetY += targetVy;
                if (MathF.Abs(targetX) > 1) { targetVx = -targetVx; targetX = MathF.Sign(targetX); }
                if (MathF.Abs(targetY) > 1) { targetVy = -targetVy; targetY = MathF.Sign(targetY); }

                float distance = MathF.Sqrt(((targetX - agentX) * (targetX - agentX)) + ((targetY - agentY) * (targetY - agentY)));
                if (distance < CatchRadius)
                {
                    catches++;
                    score += 1;
                }

                score += MathF.Max(0, 1 - distance);
            }

            return score;
        }
    }
}
