using System;
using System.IO;
using System.Linq;
using BackpropGen;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>
    /// A network with input scaling exports with μ and s folded into the first Gemm
    /// (W′ = W·diag(s), b′ = b − W·diag(s)·μ): ONNX Runtime, given the raw inputs, computes what the
    /// generated Forward does. Importing gives the folded parameters and identity scaling.
    /// </summary>
    public sealed class InputScalingExportTests : IDisposable
    {
        private const int Batch = 9;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "backpropgen-onnx-scaling-" + Guid.NewGuid().ToString("N"));

        public InputScalingExportTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void A_scaled_float_network_runs_in_onnx_runtime_on_raw_inputs_with_the_same_outputs()
        {
            var network = new Scaled342();
            network.InitializeParameters(3);
            float[] offset = { 1000, -40, 2.5f };
            float[] scale = { 1 / 300f, -0.05f, 4 };
            network.SetInputScaling(offset, scale);
            float[] batch = RawInputs(3, offset, x => (float)x);
            AssertAgrees(network, batch, 1e-5);
        }

        [Fact]
        public void A_scaled_double_struct_network_runs_in_onnx_runtime_on_raw_inputs_with_the_same_outputs()
        {
            var network = default(ScaledDouble353);
            network.InitializeParameters(4);
            double[] offset = { 500, 0.25, -7 };
            double[] scale = { 0.002, 10, -0.5 };
            network.SetInputScaling(offset, scale);
            double[] batch = RawInputs(3, offset, x => x);
            string path = Path.Combine(_folder, "double.onnx");
            OnnxModel.Save(network, path);
            double[] result = ExportTests.Run(path, batch, Batch, 3);
            var output = new double[3];
            for (int s = 0; s < Batch; s++)
            {
                network.Forward(batch.AsSpan(s * 3, 3), output);
                for (int j = 0; j < 3; j++)
                {
                    Assert.True(Math.Abs(output[j] - result[(s * 3) + j]) <= 1e-12, $"sample {s}, output {j}: BackpropGen {output[j]}, ONNX Runtime {result[(s * 3) + j]}");
                }
            }
        }

        [Fact]
        public void A_scaled_frozen_64_32_10_network_runs_in_onnx_runtime()
        {
            var network = new ScaledFrozen64x32x10();
            network.InitializeParameters(5);
            float[] offset = Enumerable.Range(0, 64).Select(k => 100f * k).ToArray();
            float[] scale = Enumerable.Range(0, 64).Select(k => 1f / (1 + k)).ToArray();
            network.SetInputScaling(offset, scale);
            AssertAgrees(network, RawInputs(64, offset, x => (float)x), 1e-5);
        }

        [Fact]
        public void Importing_an_exported_scaled_network_gives_the_folded_parameters_and_identity_scaling()
        {
            var network = new Scaled342();
            network.InitializeParameters(6);
            float[] offset = { 1000, -40, 2.5f };
            network.SetInputScaling(offset, new[] { 0.01f, 0.5f, -2 });
            string path = Path.Combine(_folder, "scaled.onnx");
            OnnxModel.Save(network, path);

            var imported = new Scaled342();
            imported.SetInputScaling(new float[] { 1, 2, 3 }, new float[] { 4, 5, 6 });
            OnnxModel.Load(imported, path);
            var importedOffset = new float[3];
            var importedScale = new float[3];
            imported.CopyInputScalingTo(importedOffset, importedScale);
            Assert.Equal(new float[3], importedOffset);
            Assert.Equal(new float[] { 1, 1, 1 }, importedScale);

            float[] batch = RawInputs(3, offset, x => (float)x);
            var expected = new float[2];
            var actual = new float[2];
            for (int s = 0; s < Batch; s++)
            {
                network.Forward(batch.AsSpan(s * 3, 3), expected);
                imported.Forward(batch.AsSpan(s * 3, 3), actual);
                for (int j = 0; j < 2; j++)
                {
                    Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-5, $"sample {s}, output {j}: {expected[j]} vs {actual[j]}");
                }
            }

            // The unfolded weights differ from the folded ones: folding really happened.
            var original = new float[Scaled342.ParameterCount];
            network.CopyParametersTo(original);
            Assert.NotEqual(original, OnnxModel.ReadParameters<float>(path, Scaled342.Topology));
        }

        private void AssertAgrees(IReadOnlyNetwork<float> network, float[] batch, double tolerance)
        {
            string path = Path.Combine(_folder, "model.onnx");
            OnnxModel.Save(network, path);
            float[] result = ExportTests.Run(path, batch, Batch, network.InputCount);
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

        /// <summary>Raw inputs around each offset, spread so the scaled inputs cover about [−3, 3].</summary>
        private static T[] RawInputs<T>(int inputs, float[] offset, Func<double, T> convert) =>
            RawInputs(inputs, offset.Select(v => (double)v).ToArray(), convert);

        private static T[] RawInputs<T>(int inputs, double[] offset, Func<double, T> convert)
        {
            var random = new Random(9);
            var values = new T[Batch * inputs];
            for (int i = 0; i < values.Length; i++)
            {
                double center = offset[i % inputs];
                values[i] = convert(center + ((random.NextDouble() - 0.5) * 6 * Math.Max(1, Math.Abs(center) / 100)));
            }

            return values;
        }
    }
}
