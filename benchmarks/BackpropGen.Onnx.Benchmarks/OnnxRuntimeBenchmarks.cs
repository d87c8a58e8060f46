using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace BackpropGen.Onnx.Benchmarks
{
    /// <summary>
    /// One sample through the generated Forward and through ONNX Runtime's CPU provider on the
    /// model OnnxModel.Save writes for the same network: one Run with input and output OrtValues
    /// allocated once, one intra-op thread (a single small sample gains nothing from more). The
    /// Ratio column is ONNX Runtime's time over the generated code's.
    /// </summary>
    [MemoryDiagnoser]
    [GenericTypeArguments(typeof(Net241))]
    [GenericTypeArguments(typeof(Net16164))]
    [GenericTypeArguments(typeof(Net643210))]
    public class OnnxRuntimeBenchmarks<TNetwork> : IDisposable
        where TNetwork : struct, IInferenceNetwork<float>
    {
        private static readonly string[] InputNames = { "input" };
        private static readonly string[] OutputNames = { "output" };
        private TNetwork _network;
        private float[] _input = null!;
        private float[] _output = null!;
        private float[] _onnxOutput = null!;
        private InferenceSession _session = null!;
        private RunOptions _runOptions = null!;
        private OrtValue[] _inputValues = null!;
        private OrtValue[] _outputValues = null!;

        [GlobalSetup]
        public void Setup()
        {
            _network = default;
            _network.InitializeParameters(1);
            var random = new ParameterRandom(2);
            _input = Enumerable.Range(0, _network.InputCount).Select(_ => (float)random.NextUniform(1)).ToArray();
            _output = new float[_network.OutputCount];
            _onnxOutput = new float[_network.OutputCount];

            string path = Path.Combine(Path.GetTempPath(), "backpropgen-bench-" + typeof(TNetwork).Name + ".onnx");
            OnnxModel.Save(_network, path);
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            _session = new InferenceSession(path, options);
            File.Delete(path);
            _runOptions = new RunOptions();
            _inputValues = new[] { OrtValue.CreateTensorValueFromMemory(_input, new long[] { 1, _input.Length }) };
            _outputValues = new[] { OrtValue.CreateTensorValueFromMemory(_onnxOutput, new long[] { 1, _onnxOutput.Length }) };

            // Both compute the same thing before anything is timed.
            Forward_Generated();
            Run_OnnxRuntime();
            for (int j = 0; j < _output.Length; j++)
            {
                if (Math.Abs(_output[j] - _onnxOutput[j]) > 1e-5f)
                {
                    throw new InvalidOperationException($"ONNX Runtime gives {_onnxOutput[j]} for output {j}, the generated network {_output[j]}.");
                }
            }
        }

        [Benchmark(Baseline = true)]
        public void Forward_Generated() => _network.Forward(_input, _output);

        [Benchmark]
        public void Run_OnnxRuntime() => _session.Run(_runOptions, InputNames, _inputValues, OutputNames, _outputValues);

        [GlobalCleanup]
        public void Dispose()
        {
            foreach (OrtValue value in _inputValues.Concat(_outputValues))
            {
                value.Dispose();
            }

            _runOptions.Dispose();
            _session.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
