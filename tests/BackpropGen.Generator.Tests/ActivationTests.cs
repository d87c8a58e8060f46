using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Each activation on its own, for every value of the enum: a single neuron with w = 1, b = 0 as
    /// hidden and as output layer, in both precisions, so aᴸ is σ(z) and the gradient of w is
    /// e σ'(z) x: both checked against the definitions (and SiLU and GELU against PyTorch's values).
    /// </summary>
    public class ActivationTests
    {
        private static readonly Activation[] s_perNeuron = Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).ToArray();
        private static readonly double[] s_points = { -6, -2.5, -1, -0.3, 0.2, 0.7, 1, 3, 8 };
        private static readonly Lazy<Assembly> s_assembly = new(Compile);

        public static IEnumerable<object[]> Cases =>
            from activation in s_perNeuron
            from precision in new[] { "Single", "Double" }
            select new object[] { activation, precision };

        private static Assembly Compile()
        {
            var source = new StringBuilder("using BackpropGen;\nnamespace Activations\n{\n");
            foreach (object[] c in Cases)
            {
                // Output layer alone, and hidden layer under a Linear output (w = 1, b = 0 for both).
                source.Append($"[Network(1, Precision = Precision.{c[1]})][Layer(1, Activation.{c[0]})] public partial class Output{c[0]}{c[1]} {{ }}\n");
                source.Append($"[Network(1, Precision = Precision.{c[1]})][Layer(1, Activation.{c[0]})][Layer(1, Activation.Linear)] public partial class Hidden{c[0]}{c[1]} {{ }}\n");
            }

            return GeneratorHarness.CompileAndLoad(source.Append("}\n").ToString());
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Forward_is_sigma_and_the_weight_gradient_is_e_times_sigma_prime_times_x(Activation activation, string precision)
        {
            bool isDouble = precision == "Double";
            foreach (string layer in new[] { "Output", "Hidden" })
            {
                string name = "Activations." + layer + activation + precision;
                double[] parameters = layer == "Output" ? new[] { 1.0, 0 } : new[] { 1.0, 0, 1, 0 };
                foreach (double x in s_points)
                {
                    double sigma = ReferenceNetwork.Activate(activation, x);
                    const double H = 1e-6;
                    double sigmaPrime = (ReferenceNetwork.Activate(activation, x + H) - ReferenceNetwork.Activate(activation, x - H)) / (2 * H);
                    double target = 0.25;

                    // C = ½ (a − y)², a = σ(w x) (times the Linear output's weight 1): ∂C/∂w¹ = (a − y) σ'(x) x.
                    (double output, double gradient) = isDouble ? Run<double>(name, parameters, x, target) : Run<float>(name, parameters, x, target);
                    double tolerance = isDouble ? 1e-9 : 2e-5;
                    Assert.True(Math.Abs(output - sigma) <= tolerance * Math.Max(1, Math.Abs(sigma)), $"{name}: σ({x}) = {output:R}, expected {sigma:R}");
                    double expected = (sigma - target) * sigmaPrime * x;
                    Assert.True(Math.Abs(gradient - expected) <= (isDouble ? 1e-7 : 1e-4) * Math.Max(1, Math.Abs(expected)), $"{name}: ∂C/∂w at x = {x}: {gradient:R}, expected {expected:R}");
                }
            }
        }

        /// <summary>torch.nn.SiLU() and torch.nn.GELU(approximate="tanh") at −1, 1 and 2 (float64).</summary>
        [Theory]
        [InlineData(Activation.SiLU, -1, -0.2689414213699951)]
        [InlineData(Activation.SiLU, 1, 0.7310585786300049)]
        [InlineData(Activation.SiLU, 2, 1.7615941559557646)]
        [InlineData(Activation.GELU, -1, -0.15880800939172324)]
        [InlineData(Activation.GELU, 1, 0.8411919906082768)]
        [InlineData(Activation.GELU, 2, 1.954597694087775)]
        public void SiLU_and_GELU_give_PyTorchs_values(Activation activation, double x, double expected)
        {
            (double output, _) = Run<double>("Activations.Output" + activation + "Double", new[] { 1.0, 0 }, x, 0);
            Assert.Equal(expected, output, 1e-14);
        }

        [Fact]
        public void SiLU_and_GELU_layers_are_He_initialized()
        {
            foreach (Activation activation in new[] { Activation.SiLU, Activation.GELU })
            {
                string text = string.Concat(GeneratorHarness.Run($"using BackpropGen;\n[Network(6)][Layer(3, Activation.{activation})] public partial class N {{ }}\n").GeneratedSources.Select(s => s.SourceText.ToString()));
                Assert.Contains($"// Layer 1 ({activation}): He uniform, w¹ⱼₖ ~ U(−r, r), r = √(6 / nˡ⁻¹) = 1;", text, StringComparison.Ordinal);
            }
        }

        private static (double Output, double WeightGradient) Run<T>(string name, double[] parameters, double x, double target)
            where T : struct
        {
            INetwork<T> network = Networks.Create<T>(s_assembly.Value, name);
            T Cast(double v) => (T)Convert.ChangeType(v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
            network.LoadParameters(parameters.Select(Cast).ToArray());
            var output = new T[1];
            network.Forward(new[] { Cast(x) }, output);
            var gradient = new T[network.ParameterCount];
            network.AccumulateGradient(new[] { Cast(x) }, new[] { Cast(target) }, gradient);
            return (Convert.ToDouble(output[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(gradient[0], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
