using System.Linq;

namespace BackpropGen.Benchmarks.Baselines
{
    /// <summary>
    /// What every comparison with the baselines starts from: a generated network initialized from seed
    /// 1, its layer sizes and parameters (for loading a baseline), and one seeded sample.
    /// </summary>
    public sealed class BenchmarkSample<TNetwork>
        where TNetwork : struct, INetwork<float>
    {
        public BenchmarkSample()
        {
            Network = default;
            Network.InitializeParameters(1);
            Sizes = new[] { Network.InputCount }.Concat(Network.Topology.Layers.Select(l => l.Size)).ToArray();
            Parameters = new float[Network.ParameterCount];
            Network.CopyParametersTo(Parameters);
            var random = new ParameterRandom(2);
            Input = Enumerable.Range(0, Network.InputCount).Select(_ => (float)random.NextUniform(1)).ToArray();
            Target = Enumerable.Range(0, Network.OutputCount).Select(_ => (float)random.NextDouble()).ToArray();
        }

        public TNetwork Network;

        public int[] Sizes { get; }

        public float[] Parameters { get; }

        public float[] Input { get; }

        public float[] Target { get; }

        /// <summary>A baseline of the network's sizes holding its parameters.</summary>
        public TBaseline Baseline<TBaseline>(System.Func<int[], TBaseline> create)
            where TBaseline : BaselineNetwork
        {
            TBaseline baseline = create(Sizes);
            baseline.LoadParameters(Parameters);
            return baseline;
        }
    }
}
