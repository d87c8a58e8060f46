using System;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>Saturated outputs: the cross-entropy losses and their gradients stay finite.</summary>
    public class SaturationTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Saturation
            {
                [Network(2, Loss = LossFunction.CrossEntropy)]
                [Layer(3, Activation.Softmax)]
                public partial class Softmax { }

                [Network(2, Loss = LossFunction.CrossEntropy, Precision = Precision.Double)]
                [Layer(3, Activation.Softmax)]
                public partial class SoftmaxDouble { }

                [Network(2, Loss = LossFunction.BinaryCrossEntropy)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Binary { }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

        [Theory]
        [InlineData(1e2f)]
        [InlineData(1e4f)]
        [InlineData(1e30f)]
        public void Softmax_cross_entropy_of_a_confidently_wrong_output_is_large_but_finite(float scale)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Saturation.Softmax");
            // z = (scale·x₀, −scale·x₀, 0): class 0 wins by a mile, the target says class 1.
            network.LoadParameters(new float[] { scale, 0, -scale, 0, 0, 0, 0, 0, 0 });
            float[] x = { 1, 0 };
            float[] y = { 0, 1, 0 };
            var output = new float[3];
            network.Forward(x, output);
            Assert.All(output, o => Assert.True(float.IsFinite(o)));
            Assert.Equal(1f, output.Sum(), 3);

            float loss = network.ComputeLoss(x, y);
            Assert.True(float.IsFinite(loss) && loss > 10, "loss " + loss);
            Assert.True(loss <= 16.2f, "the loss is floored at −ln 1e-7: " + loss);

            var gradient = new float[network.ParameterCount];
            network.AccumulateGradient(x, y, gradient);
            Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
            Assert.True(float.IsFinite(network.TrainStep(x, y, 0.1f)));
            Assert.All(Networks.Parameters(network), p => Assert.True(float.IsFinite(p)));
        }

        [Fact]
        public void Softmax_cross_entropy_of_a_confidently_right_output_is_zero()
        {
            INetwork<double> network = Networks.Create<double>(s_assembly.Value, "Saturation.SoftmaxDouble");
            network.LoadParameters(new double[] { 1e4, 0, -1e4, 0, 0, 0, 0, 0, 0 });
            Assert.Equal(0, network.ComputeLoss(new double[] { 1, 0 }, new double[] { 1, 0, 0 }), 12);
        }

        [Theory]
        [InlineData(1e2f)]
        [InlineData(1e4f)]
        [InlineData(1e30f)]
        public void Binary_cross_entropy_of_saturated_sigmoids_is_finite_and_exact(float scale)
        {
            INetwork<float> network = Networks.Create<float>(s_assembly.Value, "Saturation.Binary");
            network.LoadParameters(new float[] { scale, 0, -scale, 0, 0, 0 });
            float[] x = { 1, 0 };
            float[] y = { 0, 1 }; // both outputs confidently wrong: z = (+scale, −scale)
            float loss = network.ComputeLoss(x, y);
            Assert.True(float.IsFinite(loss), "loss " + loss);

            // From the logits the loss is exactly (1/n) Σ |z| here: no clamping error.
            Assert.Equal(scale, loss, scale * 1e-6f);

            var gradient = new float[network.ParameterCount];
            network.AccumulateGradient(x, y, gradient);
            Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
            Assert.Equal(new[] { 0.5f, 0f, -0.5f, 0f, 0.5f, -0.5f }, gradient);
        }
    }
}
