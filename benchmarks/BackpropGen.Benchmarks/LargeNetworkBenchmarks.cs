using System.Linq;
using BackpropGen.Benchmarks.Baselines;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// 64-32-10, the size of the SIMD target: over the generator's current limit (768
    /// parameters), so only the baselines run; the generated side comes with method splitting.
    /// </summary>
    [MemoryDiagnoser]
    public class LargeNetworkBenchmarks
    {
        private readonly LoopNetwork _loop = new(64, 32, 10);
        private readonly SimdNetwork _simd = new(64, 32, 10);
        private float[] _input = null!;
        private float[] _target = null!;
        private readonly float[] _output = new float[10];

        [GlobalSetup]
        public void Setup()
        {
            var random = new ParameterRandom(1);
            float[] parameters = Enumerable.Range(0, (65 * 32) + (33 * 10)).Select(_ => (float)random.NextUniform(0.2)).ToArray();
            _loop.LoadParameters(parameters);
            _simd.LoadParameters(parameters);
            _input = Enumerable.Range(0, 64).Select(_ => (float)random.NextUniform(1)).ToArray();
            _target = Enumerable.Range(0, 10).Select(_ => (float)random.NextDouble()).ToArray();
        }

        [Benchmark(Baseline = true)]
        public void Forward_Loop() => _loop.Forward(_input, _output);

        [Benchmark]
        public void Forward_Simd() => _simd.Forward(_input, _output);

        [Benchmark]
        public float TrainStep_Loop() => _loop.TrainStep(_input, _target, 0.01f);

        [Benchmark]
        public float TrainStep_Simd() => _simd.TrainStep(_input, _target, 0.01f);
    }
}
