using BackpropGen.Benchmarks.Baselines;
using BackpropGen.Benchmarks.ScalarNetworks;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// The scalar code a netstandard2.1 library (Unity) gets, run on CoreCLR, against the plain loop over
    /// float[] (<see cref="LoopNetwork"/>) at every size from 2-4-1 to past the one-method limit:
    /// issue 11's target is generated / loop ≤ 0.7 for Forward and TrainStep at every size.
    /// </summary>
    [MemoryDiagnoser]
    [GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    [GenericTypeArguments(typeof(Sweep241))]
    [GenericTypeArguments(typeof(Sweep483))]
    [GenericTypeArguments(typeof(Sweep888))]
    [GenericTypeArguments(typeof(Sweep16164))]
    [GenericTypeArguments(typeof(Sweep12246))]
    [GenericTypeArguments(typeof(Sweep32164))]
    [GenericTypeArguments(typeof(Sweep23301))]
    [GenericTypeArguments(typeof(Sweep2424244))]
    public class ScalarSweepBenchmarks<TNetwork>
        where TNetwork : struct, INetwork<float>
    {
        private TNetwork _generated;
        private LoopNetwork _loop = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;

        [GlobalSetup]
        public void Setup()
        {
            var sample = new BenchmarkSample<TNetwork>();
            _generated = sample.Network;
            _loop = sample.Baseline(sizes => new LoopNetwork(sizes));
            _input = sample.Input;
            _target = sample.Target;
            _output = new float[_generated.OutputCount];
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("Forward")]
        public void Forward_Loop() => _loop.Forward(_input, _output);

        [Benchmark]
        [BenchmarkCategory("Forward")]
        public void Forward_Generated() => _generated.Forward(_input, _output);

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("TrainStep")]
        public float TrainStep_Loop() => _loop.TrainStep(_input, _target, 0.01f);

        [Benchmark]
        [BenchmarkCategory("TrainStep")]
        public float TrainStep_Generated() => _generated.TrainStep(_input, _target, 0.01f);
    }
}
