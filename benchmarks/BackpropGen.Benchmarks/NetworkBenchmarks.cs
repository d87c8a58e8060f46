using BackpropGen.Benchmarks.Baselines;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// The generated network against a loop-based float[] implementation and a hand-written
    /// Vector256 one, for Forward and TrainStep (forward, backward, SGD update, one sample).
    /// The generated network is a struct called through its generic constraint: direct calls.
    /// The …Fast networks are the same with FastMath = true; the baselines stay exact.
    /// </summary>
    [MemoryDiagnoser]
    [GenericTypeArguments(typeof(Net222))]
    [GenericTypeArguments(typeof(Net241))]
    [GenericTypeArguments(typeof(Net483))]
    [GenericTypeArguments(typeof(Net16164))]
    [GenericTypeArguments(typeof(Net643210))]
    [GenericTypeArguments(typeof(Net222Fast))]
    [GenericTypeArguments(typeof(Net241Fast))]
    [GenericTypeArguments(typeof(Net483Fast))]
    public class NetworkBenchmarks<TNetwork>
        where TNetwork : struct, INetwork<float>
    {
        private TNetwork _generated;
        private LoopNetwork _loop = null!;
        private SimdNetwork _simd = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;

        [GlobalSetup]
        public void Setup()
        {
            var sample = new BenchmarkSample<TNetwork>();
            _generated = sample.Network;
            _loop = sample.Baseline(sizes => new LoopNetwork(sizes));
            _simd = sample.Baseline(sizes => new SimdNetwork(sizes));
            _input = sample.Input;
            _target = sample.Target;
            _output = new float[_generated.OutputCount];
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("Forward")]
        public void Forward_Loop() => _loop.Forward(_input, _output);

        [Benchmark]
        [BenchmarkCategory("Forward")]
        public void Forward_Simd() => _simd.Forward(_input, _output);

        [Benchmark]
        [BenchmarkCategory("Forward")]
        public void Forward_Generated() => _generated.Forward(_input, _output);

        [Benchmark]
        [BenchmarkCategory("TrainStep")]
        public float TrainStep_Loop() => _loop.TrainStep(_input, _target, 0.01f);

        [Benchmark]
        [BenchmarkCategory("TrainStep")]
        public float TrainStep_Simd() => _simd.TrainStep(_input, _target, 0.01f);

        [Benchmark]
        [BenchmarkCategory("TrainStep")]
        public float TrainStep_Generated() => _generated.TrainStep(_input, _target, 0.01f);
    }
}
