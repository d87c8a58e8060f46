using System;
using System.Linq;
using System.Reflection;
using BackpropGen.Benchmarks.Baselines;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The benchmark baselines (benchmarks/…/Baselines) must compute what the generated network
    /// computes, or the comparison would not be honest: same outputs, same parameters after 100 steps.
    /// </summary>
    // The benchmarks' yardsticks (100 steps of 64-32-10 among them), not the product: Category=Slow.
    [Trait("Category", "Slow")]
    public class BaselineTests
    {
        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad("""
            using BackpropGen;
            namespace Bench
            {
                [Network(2)][Layer(2, Activation.Sigmoid)][Layer(2, Activation.Sigmoid)] public partial class Net222 { }
                [Network(2)][Layer(4, Activation.Sigmoid)][Layer(1, Activation.Sigmoid)] public partial class Net241 { }
                [Network(4)][Layer(8, Activation.Sigmoid)][Layer(3, Activation.Sigmoid)] public partial class Net483 { }
                [Network(16)][Layer(16, Activation.Sigmoid)][Layer(4, Activation.Sigmoid)] public partial class Net16164 { }
            }
            """));

        [Theory]
        [InlineData("Net222", new[] { 2, 2, 2 })]
        [InlineData("Net241", new[] { 2, 4, 1 })]
        [InlineData("Net483", new[] { 4, 8, 3 })]
        [InlineData("Net16164", new[] { 16, 16, 4 })]
        public void Baselines_match_the_generated_network_after_100_steps(string name, int[] sizes)
        {
            INetwork<float> generated = Networks.Create<float>(s_assembly.Value, "Bench." + name);
            generated.InitializeParameters(1);
            float[] start = Networks.Parameters(generated);
            var loop = new LoopNetwork(sizes);
            loop.LoadParameters(start);
            var simd = new SimdNetwork(sizes);
            simd.LoadParameters(start);

            var random = new ParameterRandom(3);
            for (int step = 0; step < 100; step++)
            {
                float[] x = Enumerable.Range(0, sizes[0]).Select(_ => (float)random.NextUniform(1)).ToArray();
                float[] y = Enumerable.Range(0, sizes[^1]).Select(_ => (float)random.NextDouble()).ToArray();
                float expected = generated.TrainStep(x, y, 0.5f);
                Assert.Equal(expected, loop.TrainStep(x, y, 0.5f), 1e-5f);
                Assert.Equal(expected, simd.TrainStep(x, y, 0.5f), 1e-5f);
            }

            float[] reference = Networks.Parameters(generated);
            var loopParameters = new float[reference.Length];
            var simdParameters = new float[reference.Length];
            loop.CopyParametersTo(loopParameters);
            simd.CopyParametersTo(simdParameters);
            for (int i = 0; i < reference.Length; i++)
            {
                Assert.True(Math.Abs(loopParameters[i] - reference[i]) < 1e-4, $"loop [{i}]: {loopParameters[i]} vs {reference[i]}");
                Assert.True(Math.Abs(simdParameters[i] - reference[i]) < 1e-4, $"simd [{i}]: {simdParameters[i]} vs {reference[i]}");
            }

            Assert.NotEqual(start, reference);
        }
    }
}
