using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// SIMD across samples (issue 12): ForwardBatch against Forward in a loop, and
    /// AccumulateGradientBatch against AccumulateGradient in a loop, over one batch of 64 samples
    /// (divide by 64 for the time per sample). The targets: ForwardBatch ≤ 0.25× the loop
    /// (≤ 0.35× on 16-16-4), AccumulateGradientBatch ≤ 0.4× (≤ 0.5× on 16-16-4).
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [GenericTypeArguments(typeof(Net241))]
    [GenericTypeArguments(typeof(Batch483Tanh))]
    [GenericTypeArguments(typeof(Batch81688ReLU))]
    [GenericTypeArguments(typeof(Batch6124Softmax))]
    [GenericTypeArguments(typeof(Net16164))]
    public class BatchBenchmarks<TNetwork>
        where TNetwork : struct, INetwork<float>
    {
        private const int Count = 64;
        private TNetwork _network;
        private float[] _inputs = null!;
        private float[] _targets = null!;
        private float[] _outputs = null!;
        private float[] _gradient = null!;

        [GlobalSetup]
        public void Setup()
        {
            _network = default;
            _network.InitializeParameters(1);
            var random = new ParameterRandom(2);
            _inputs = Enumerable.Range(0, Count * _network.InputCount).Select(_ => (float)random.NextUniform(1)).ToArray();
            _targets = Enumerable.Range(0, Count * _network.OutputCount).Select(_ => 1f / _network.OutputCount).ToArray();
            _outputs = new float[Count * _network.OutputCount];
            _gradient = new float[_network.ParameterCount];
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("Forward")]
        public void Forward_Loop()
        {
            int inputs = _network.InputCount, outputs = _network.OutputCount;
            for (int i = 0; i < Count; i++)
            {
                _network.Forward(_inputs.AsSpan(i * inputs, inputs), _outputs.AsSpan(i * outputs, outputs));
            }
        }

        [Benchmark]
        [BenchmarkCategory("Forward")]
        public void ForwardBatch() => _network.ForwardBatch(_inputs, _outputs);

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("Gradient")]
        public float AccumulateGradient_Loop()
        {
            int inputs = _network.InputCount, outputs = _network.OutputCount;
            float loss = 0;
            for (int i = 0; i < Count; i++)
            {
                loss += _network.AccumulateGradient(_inputs.AsSpan(i * inputs, inputs), _targets.AsSpan(i * outputs, outputs), _gradient);
            }

            return loss;
        }

        [Benchmark]
        [BenchmarkCategory("Gradient")]
        public float AccumulateGradientBatch() => _network.AccumulateGradientBatch(_inputs, _targets, _gradient);
    }
}
