using System;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>The published 2-2-2 walkthrough of MATH.md, number for number, through the real generator.</summary>
    public class WorkedExampleTests
    {
        private const string Source = """
            using BackpropGen;

            namespace Walkthrough
            {
                [Network(inputs: 2, Loss = LossFunction.HalfSquaredError)]
                [Layer(2, Activation.Sigmoid)]
                [Layer(2, Activation.Sigmoid)]
                public partial class TinyNet { }

                [Network(inputs: 2, Loss = LossFunction.HalfSquaredError, Precision = Precision.Double)]
                [Layer(2, Activation.Sigmoid)]
                [Layer(2, Activation.Sigmoid)]
                public partial struct TinyNetDouble { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

        // Canonical order: w¹₀₀ w¹₀₁ w¹₁₀ w¹₁₁ b¹₀ b¹₁ w²₀₀ w²₀₁ w²₁₀ w²₁₁ b²₀ b²₁.
        private static readonly double[] s_parameters = { 0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60 };
        private static readonly double[] s_input = { 0.05, 0.10 };
        private static readonly double[] s_target = { 0.01, 0.99 };

        [Fact]
        public void Float_network_reproduces_the_published_numbers() =>
            Reproduce(Networks.Create<float>(s_assembly.Value, "Walkthrough.TinyNet"), d => (float)d, f => f);

        [Fact]
        public void Double_network_reproduces_the_published_numbers() =>
            Reproduce(Networks.Create<double>(s_assembly.Value, "Walkthrough.TinyNetDouble"), d => d, d => d);

        private static void Reproduce<T>(INetwork<T> network, Func<double, T> from, Func<T, double> to)
            where T : struct
        {
            const double Tolerance = 1e-6;
            network.LoadParameters(Array.ConvertAll(s_parameters, x => from(x)));
            T[] input = Array.ConvertAll(s_input, x => from(x));
            T[] target = Array.ConvertAll(s_target, x => from(x));

            var output = new T[2];
            network.Forward(input, output);
            Assert.Equal(0.75136507, to(output[0]), Tolerance);
            Assert.Equal(0.772928465, to(output[1]), Tolerance);
            Assert.Equal(0.298371109, to(network.ComputeLoss(input, target)), Tolerance);

            T loss = network.TrainStep(input, target, from(0.5));
            Assert.Equal(0.298371109, to(loss), Tolerance);

            T[] after = Networks.Parameters(network);
            double[] hidden = { 0.149780716, 0.19956143, 0.24975114, 0.29950229 };
            double[] output2 = { 0.35891648, 0.408666186, 0.511301270, 0.561370121 };
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(hidden[i], to(after[i]), Tolerance);
                Assert.Equal(output2[i], to(after[6 + i]), Tolerance);
            }
        }
    }
}
