using System;
using BackpropGen;

namespace Samples.Playground
{
    /// <summary>Generated 2-D data sets in [−1, 1]², as TensorFlow Playground draws them.</summary>
    internal static class Dataset
    {
        /// <summary>Two interleaved spirals, one per class, with a little noise.</summary>
        public static (float[] Inputs, float[] Targets) Spirals(int perClass, int seed)
        {
            var random = new ParameterRandom(seed);
            var inputs = new float[perClass * 2 * 2];
            var targets = new float[perClass * 2];
            for (int i = 0; i < perClass; i++)
            {
                for (int label = 0; label < 2; label++)
                {
                    double t = (double)i / perClass;
                    double angle = (1.5 * t * 2 * Math.PI) + (label * Math.PI);
                    double radius = 0.9 * t + 0.05;
                    int k = (2 * i) + label;
                    inputs[2 * k] = (float)((radius * Math.Sin(angle)) + random.NextUniform(0.04));
                    inputs[(2 * k) + 1] = (float)((radius * Math.Cos(angle)) + random.NextUniform(0.04));
                    targets[k] = label;
                }
            }

            return (inputs, targets);
        }

        /// <summary>A disc of class 1 inside a ring of class 0.</summary>
        public static (float[] Inputs, float[] Targets) Circles(int perClass, int seed)
        {
            var random = new ParameterRandom(seed);
            var inputs = new float[perClass * 2 * 2];
            var targets = new float[perClass * 2];
            for (int i = 0; i < perClass * 2; i++)
            {
                int label = i % 2;
                double radius = label == 1 ? 0.45 * random.NextDouble() : 0.6 + (0.35 * random.NextDouble());
                double angle = 2 * Math.PI * random.NextDouble();
                inputs[2 * i] = (float)(radius * Math.Cos(angle));
                inputs[(2 * i) + 1] = (float)(radius * Math.Sin(angle));
                targets[i] = 1 - label; // the ring is class 1, the disc class 0
            }

            return (inputs, targets);
        }
    }
}
