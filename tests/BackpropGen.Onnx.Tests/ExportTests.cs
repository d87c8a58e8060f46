using System;
using System.IO;
using BackpropGen;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>Saved models run in ONNX Runtime with the network's outputs, and read back to the same parameters bit for bit.</summary>
    public sealed class ExportTests : IDisposable
    {
        private const int Batch = 7;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "backpropgen-onnx-" + Guid.NewGuid().ToString("N"));

        public ExportTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void Every_activation_in_float_runs_in_onnx_runtime_with_the_same_outputs_for_a_batch()
        {
            var network = new EveryActivation();
            network.InitializeParameters(11);
            AssertOnnxRuntimeAgrees(network, 2e-6);
        }

        [Fact]
        public void Every_activation_in_double_runs_in_onnx_runtime_with_the_same_outputs_for_a_batch()
        {
            var network = new EveryActivationDouble();
            network.InitializeParameters(12);
            AssertOnnxRuntimeAgrees(network, 1e-12);
        }

        [Fact]
        public void A_frozen_64_32_10_network_runs_in_onnx_runtime()
        {
            var network = new Frozen64x32x10();
            network.InitializeParameters(13);
            AssertOnnxRuntimeAgrees(network, 2e-6);
        }

        [Fact]
        public void An_imported_pytorch_model_saved_again_runs_in_onnx_runtime_with_pytorchs_outputs()
        {
            var network = new ReluSoftmax483();
            OnnxModel.Load(network, Fixtures.Model("relu_softmax_4_8_3"));
            string path = Path.Combine(_folder, "again.onnx");
            OnnxModel.Save(network, path);

            var (inputs, outputs) = Fixtures.Samples("relu_softmax_4_8_3");
            float[] batch = Flatten(inputs, v => (float)v);
            float[] result = Run(path, batch, inputs.Length, ReluSoftmax483.InputCount);
            for (int s = 0; s < inputs.Length; s++)
            {
                for (int j = 0; j < ReluSoftmax483.OutputCount; j++)
                {
                    Assert.Equal(outputs[s][j], result[(s * ReluSoftmax483.OutputCount) + j], 1e-5);
                }
            }
        }

        [Fact]
        public void Round_trip_is_bit_exact_in_float_and_double()
        {
            var single = new EveryActivation();
            single.InitializeParameters(21);
            var singleExpected = new float[EveryActivation.ParameterCount];
            single.CopyParametersTo(singleExpected);
            string singlePath = Path.Combine(_folder, "single.onnx");
            OnnxModel.Save(single, singlePath);
            Assert.Equal(EveryActivation.Topology, OnnxModel.ReadTopology(singlePath));
            float[] singleRead = OnnxModel.ReadParameters<float>(singlePath, EveryActivation.Topology);
            Assert.Equal(Array.ConvertAll(singleExpected, BitConverter.SingleToInt32Bits), Array.ConvertAll(singleRead, BitConverter.SingleToInt32Bits));

            var twice = new EveryActivation();
            OnnxModel.Load(twice, singlePath);
            string again = Path.Combine(_folder, "again.onnx");
            OnnxModel.Save(twice, again);
            Assert.Equal(File.ReadAllBytes(singlePath), File.ReadAllBytes(again));

            var dbl = new EveryActivationDouble();
            dbl.InitializeParameters(22);
            var doubleExpected = new double[EveryActivationDouble.ParameterCount];
            dbl.CopyParametersTo(doubleExpected);
            string doublePath = Path.Combine(_folder, "double.onnx");
            OnnxModel.Save(dbl, doublePath);
            Assert.Equal(EveryActivationDouble.Topology, OnnxModel.ReadTopology(doublePath));
            double[] doubleRead = OnnxModel.ReadParameters<double>(doublePath, EveryActivationDouble.Topology);
            Assert.Equal(Array.ConvertAll(doubleExpected, BitConverter.DoubleToInt64Bits), Array.ConvertAll(doubleRead, BitConverter.DoubleToInt64Bits));
        }

        [Fact]
        public void Saving_over_an_existing_file_replaces_it_and_a_stream_gets_the_same_bytes()
        {
            var network = new TanhSigmoid241();
            network.InitializeParameters(1);
            string path = Path.Combine(_folder, "model.onnx");
            File.WriteAllText(path, "old");
            OnnxModel.Save(network, path);
            using var stream = new MemoryStream();
            OnnxModel.Save(network, stream);
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(_folder));
        }

        [Fact]
        public void A_network_with_a_nan_parameter_is_not_saved()
        {
            var network = new TanhSigmoid241();
            var values = new float[TanhSigmoid241.ParameterCount];
            values[3] = float.NaN;
            network.LoadParameters(values);
            Assert.Throws<InvalidOperationException>(() => OnnxModel.Save(network, Path.Combine(_folder, "nan.onnx")));
            Assert.Empty(Directory.GetFiles(_folder));
        }

        private void AssertOnnxRuntimeAgrees(IReadOnlyNetwork<float> network, double tolerance)
        {
            string path = Path.Combine(_folder, "model.onnx");
            OnnxModel.Save(network, path);
            float[] batch = Samples(network.InputCount, x => (float)x);
            float[] result = Run(path, batch, Batch, network.InputCount);
            var output = new float[network.OutputCount];
            for (int s = 0; s < Batch; s++)
            {
                network.Forward(batch.AsSpan(s * network.InputCount, network.InputCount), output);
                for (int j = 0; j < output.Length; j++)
                {
                    float actual = result[(s * output.Length) + j];
                    Assert.True(Math.Abs(output[j] - actual) <= tolerance * Math.Max(1, Math.Abs(output[j])), $"sample {s}, output {j}: BackpropGen {output[j]}, ONNX Runtime {actual}");
                }
            }
        }

        private void AssertOnnxRuntimeAgrees(IReadOnlyNetwork<double> network, double tolerance)
        {
            string path = Path.Combine(_folder, "model.onnx");
            OnnxModel.Save(network, path);
            double[] batch = Samples(network.InputCount, x => x);
            double[] result = Run(path, batch, Batch, network.InputCount);
            var output = new double[network.OutputCount];
            for (int s = 0; s < Batch; s++)
            {
                network.Forward(batch.AsSpan(s * network.InputCount, network.InputCount), output);
                for (int j = 0; j < output.Length; j++)
                {
                    double actual = result[(s * output.Length) + j];
                    Assert.True(Math.Abs(output[j] - actual) <= tolerance * Math.Max(1, Math.Abs(output[j])), $"sample {s}, output {j}: BackpropGen {output[j]}, ONNX Runtime {actual}");
                }
            }
        }

        /// <summary>A batch spread over [−3, 3], so ReLU and LeakyReLU see both signs.</summary>
        private static T[] Samples<T>(int inputs, Func<double, T> convert)
        {
            var values = new T[Batch * inputs];
            var random = new Random(5);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = convert((random.NextDouble() * 6) - 3);
            }

            return values;
        }

        private static T[] Flatten<T>(double[][] rows, Func<double, T> convert)
        {
            int width = rows[0].Length;
            var values = new T[rows.Length * width];
            for (int s = 0; s < rows.Length; s++)
            {
                for (int k = 0; k < width; k++)
                {
                    values[(s * width) + k] = convert(rows[s][k]);
                }
            }

            return values;
        }

        internal static T[] Run<T>(string path, T[] batch, int count, int inputs)
            where T : unmanaged
        {
            using var session = new InferenceSession(path);
            Assert.Equal(new[] { "input" }, session.InputNames);
            Assert.Equal(new[] { "output" }, session.OutputNames);
            Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
            using var input = OrtValue.CreateTensorValueFromMemory(batch, new long[] { count, inputs });
            using var options = new RunOptions();
            using var results = session.Run(options, new[] { "input" }, new[] { input }, new[] { "output" });
            long[] shape = results[0].GetTensorTypeAndShape().Shape;
            Assert.Equal(count, shape[0]);
            return results[0].GetTensorDataAsSpan<T>().ToArray();
        }
    }
}
