using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// <c>FastMath = true</c>: FastActivation's error over the whole float range against the documented
    /// bounds, and generated networks that use it: close to the exact network, trainable, with
    /// gradients that differ from finite differences of their own forward pass only as much as the
    /// approximation's derivative explains.
    /// </summary>
    public class FastMathTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Fast
            {
                [Network(2, FastMath = true)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Xor { }

                [Network(2)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class XorExact { }

                [Network(2, FastMath = true, Precision = Precision.Double)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct XorDouble { }

                [Network(2, Precision = Precision.Double)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial struct XorDoubleExact { }

                // Three approximated layers around an exact one, for the gradient check.
                [Network(3, FastMath = true, Precision = Precision.Double, Loss = LossFunction.MeanSquaredError)]
                [Layer(5, Activation.Sigmoid)]
                [Layer(4, Activation.ReLU)]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Deep { }

                [Network(1, FastMath = true, Precision = Precision.Double)]
                [Layer(1, Activation.Sigmoid)]
                public partial class OneSigmoid { }

                [Network(1, FastMath = true, Precision = Precision.Double)]
                [Layer(1, Activation.Tanh)]
                public partial class OneTanh { }
            }
            """;

        /// <summary>
        /// |σ̃'(z) / (a (1 − a)) − 1| and |tanh̃'(z) / (1 − a²) − 1| at most: the derivative the generated
        /// backward pass writes with a (exact for the exact functions) against the true derivative of
        /// the approximation. It is max |p'(f) / (ln 2 · p(f)) − 1| = 4.59e-3 of FastActivation's cubic
        /// p(f) ≈ 2ᶠ (docs/math.md).
        /// </summary>
        private const double DerivativeMismatch = 4.6e-3;

        private static readonly Lazy<(Assembly Assembly, GeneratorOutcome Outcome)> s_compiled = new(() =>
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(Source);
            return (GeneratorHarness.CompileAndLoad(Source), outcome);
        });

        private static Assembly Compiled => s_compiled.Value.Assembly;

        // ---- FastActivation itself ----

        public static TheoryData<string> Functions => new() { "Sigmoid", "Tanh" };

        private sealed class Function
        {
            public Function(string name)
            {
                Name = name;
                bool sigmoid = name == "Sigmoid";
                Single = sigmoid ? FastActivation.Sigmoid : FastActivation.Tanh;
                Double = sigmoid ? FastActivation.Sigmoid : FastActivation.Tanh;
                Exact = sigmoid ? z => 1 / (1 + Math.Exp(-z)) : Math.Tanh;
                Bound = sigmoid ? FastActivation.SigmoidMaxError : FastActivation.TanhMaxError;
                Low = sigmoid ? 0 : -1;
            }

            public string Name { get; }

            public Func<float, float> Single { get; }

            public Func<double, double> Double { get; }

            public Func<double, double> Exact { get; }

            public double Bound { get; }

            public double Low { get; }
        }

        /// <summary>The worst error seen so far, and every property a single value must have.</summary>
        private sealed class Sweep(Function function)
        {
            public double MaxError { get; private set; }

            public double WorstInput { get; private set; }

            public long Count { get; private set; }

            public void Check(double z, double y)
            {
                Count++;
                if (double.IsNaN(z))
                {
                    Assert.True(double.IsNaN(y), function.Name + "(NaN) = " + y);
                    return;
                }

                if (!double.IsFinite(y) || y < function.Low || y > 1)
                {
                    Assert.Fail(FormattableString.Invariant($"{function.Name}({z:R}) = {y:R}: not finite or outside [{function.Low}, 1]"));
                }

                double error = Math.Abs(y - function.Exact(z));
                if (error > MaxError)
                {
                    MaxError = error;
                    WorstInput = z;
                }
            }

            public void AssertWithinBound(string what) =>
                Assert.True(
                    MaxError <= function.Bound,
                    FormattableString.Invariant($"{function.Name} ({what}): error {MaxError:E3} at z = {WorstInput:R} exceeds the documented {function.Bound:E1} ({Count} values)"));
        }

        /// <summary>Zeros, the smallest and largest numbers, infinities, NaNs with other payloads and signs.</summary>
        private static IEnumerable<float> SpecialSingles()
        {
            int[] bits = { 0x7FC00000, unchecked((int)0xFFC00000), 0x7F800001, 0x7FC00001, 0x7FFFFFFF, unchecked((int)0xFFFFFFFF) };
            return new[]
            {
                0f, -0f, float.Epsilon, -float.Epsilon, 1.17549435E-38f, -1.17549435E-38f, 1e-30f, -1e-30f,
                float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f,
            }.Concat(bits.Select(BitConverter.Int32BitsToSingle));
        }

        /// <summary>Where a clamp or a rounding to 0, 1 or ±1 sets in (either function, both signs): every float around each.</summary>
        private static IEnumerable<float> NearSaturation()
        {
            // y = z log₂e (or 2z log₂e) reaches −125, 127.5 and 128; float σ rounds to 1 near z = 16.6 and
            // tanh to ±1 near 9.01; e⁻ᶻ overflows float near 88.7.
            double[] edges = { 125 / 1.4426950408889634, 127.5 / 1.4426950408889634, 128 / 1.4426950408889634, 16.635532, 17.32868, 9.0109133, 88.7228, 103.97 };
            foreach (double edge in edges.SelectMany(e => new[] { e, e / 2, -e, -e / 2 }))
            {
                int center = BitConverter.SingleToInt32Bits((float)edge);
                for (int d = -3000; d <= 3000; d++)
                {
                    yield return BitConverter.Int32BitsToSingle(center + d);
                }
            }
        }

        // Tens of millions of evaluations: Category=Slow (the fast subset keeps the other bounds checks).
        [Trait("Category", "Slow")]
        [Theory]
        [MemberData(nameof(Functions))]
        public void Float_error_is_within_the_documented_bound_over_the_whole_float_range(string name)
        {
            var function = new Function(name);
            var sweep = new Sweep(function);

            // Every 211th bit pattern (211 is prime, so the low bits take every value): both signs,
            // every exponent, subnormals, infinities and NaN payloads; 20 million floats.
            for (long bits = 0; bits <= uint.MaxValue; bits += 211)
            {
                float z = BitConverter.Int32BitsToSingle(unchecked((int)(uint)bits));
                sweep.Check(z, function.Single(z));
            }

            sweep.AssertWithinBound("every 211th float");
            foreach (float z in SpecialSingles().Concat(NearSaturation()))
            {
                sweep.Check(z, function.Single(z));
            }

            sweep.AssertWithinBound("special values and saturation edges");

            // A dense sweep where the functions bend: every multiple of 2⁻¹² in [−20, 20], and the
            // floats in [−2⁻¹⁰, 2⁻¹⁰] (where 2⁻¹² is coarse) with a prime stride of 4099.
            for (int i = -20 * 4096; i <= 20 * 4096; i++)
            {
                float z = i / 4096f;
                sweep.Check(z, function.Single(z));
            }

            int top = BitConverter.SingleToInt32Bits(1f / 1024);
            for (int bits = 0; bits <= top; bits += 4099)
            {
                float z = BitConverter.Int32BitsToSingle(bits);
                sweep.Check(z, function.Single(z));
                sweep.Check(-z, function.Single(-z));
            }

            sweep.AssertWithinBound("dense sweep of [−20, 20]");
        }

        [Theory]
        [MemberData(nameof(Functions))]
        public void Double_error_is_within_the_same_bound(string name)
        {
            var function = new Function(name);
            var sweep = new Sweep(function);
            var random = new Random(2026);
            for (int i = 0; i < 1_000_000; i++)
            {
                double z = (random.NextDouble() * 60) - 30;
                sweep.Check(z, function.Double(z));
            }

            // Random bit patterns cover the rest of the range, subnormals, infinities and NaNs.
            var bytes = new byte[8];
            for (int i = 0; i < 1_000_000; i++)
            {
                random.NextBytes(bytes);
                double z = BitConverter.ToDouble(bytes, 0);
                sweep.Check(z, function.Double(z));
            }

            foreach (double z in new[] { 0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 709.8, -709.8, 1021 / 1.4426950408889634, -745.2, 1e300, -1e300 })
            {
                sweep.Check(z, function.Double(z));
            }

            sweep.AssertWithinBound("double");
        }

        [Fact]
        public void Saturated_and_central_values_are_exact()
        {
            Assert.Equal(0.5f, FastActivation.Sigmoid(0f));
            Assert.Equal(0f, FastActivation.Tanh(0f));
            Assert.Equal(1f, FastActivation.Sigmoid(float.PositiveInfinity));
            Assert.Equal(0f, FastActivation.Sigmoid(float.NegativeInfinity));
            Assert.Equal(1f, FastActivation.Tanh(float.PositiveInfinity));
            Assert.Equal(-1f, FastActivation.Tanh(float.NegativeInfinity));
            Assert.Equal(1f, FastActivation.Sigmoid(20f));
            Assert.Equal(0f, FastActivation.Sigmoid(-90f));
            Assert.Equal(1f, FastActivation.Tanh(10f));
            Assert.Equal(-1f, FastActivation.Tanh(-10f));

            Assert.Equal(0.5, FastActivation.Sigmoid(0.0));
            Assert.Equal(0.0, FastActivation.Tanh(0.0));
            Assert.Equal(1.0, FastActivation.Sigmoid(double.PositiveInfinity));
            Assert.Equal(0.0, FastActivation.Sigmoid(double.NegativeInfinity));
            Assert.Equal(1.0, FastActivation.Tanh(double.PositiveInfinity));
            Assert.Equal(-1.0, FastActivation.Tanh(double.NegativeInfinity));
            Assert.Equal(0.0, FastActivation.Sigmoid(-710.0));
            Assert.True(double.IsNaN(FastActivation.Sigmoid(double.NaN)) && double.IsNaN(FastActivation.Tanh(double.NaN)));
        }

        [Theory]
        [MemberData(nameof(Functions))]
        public void Increasing_up_to_a_rounding_step(string name)
        {
            // The pieces 2ⁿ p(f) join continuously and p increases, so only float rounding can step
            // back: a unit or two in the last place of the result. Checked between consecutive floats
            // around every join (y = n + ½) and in random windows, and on a grid over [−30, 30].
            var function = new Function(name);
            double scale = name == "Sigmoid" ? -1.4426950408889634 : -2 * 1.4426950408889634;
            double worstDrop = 0;
            void Walk(float start, int count)
            {
                float previous = function.Single(start);
                for (float z = MathF.BitIncrement(start); count-- > 0; z = MathF.BitIncrement(z))
                {
                    float y = function.Single(z);
                    worstDrop = Math.Max(worstDrop, previous - y);
                    previous = y;
                }
            }

            for (int n = -45; n <= 45; n++)
            {
                float join = (float)((n + 0.5) / scale);
                Walk(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(join) - 2000), 4000);
            }

            var random = new Random(3);
            for (int i = 0; i < 300; i++)
            {
                Walk((float)((random.NextDouble() * 40) - 20), 3000);
            }

            float before = function.Single(-30f);
            for (int i = 1; i <= 600_000; i++)
            {
                float y = function.Single(-30f + (i / 10_000f));
                worstDrop = Math.Max(worstDrop, before - y);
                before = y;
            }

            Assert.True(worstDrop <= 2.4e-7, name + " steps back by " + worstDrop.ToString("E2", System.Globalization.CultureInfo.InvariantCulture));
        }

        [Theory]
        [MemberData(nameof(Functions))]
        public void The_derivative_written_with_a_is_within_the_documented_mismatch(string name)
        {
            // The true derivative of the approximation is a(1 − a)(1 + η) (resp. (1 − a²)(1 + η)),
            // η = p'(f) / (ln 2 p(f)) − 1 for f the reduced argument; measured in double by central
            // differences on a grid fine enough (step 1e-3 in z) to see every wiggle of η.
            var function = new Function(name);
            double worst = 0;
            const double H = 1e-7;
            for (double z = -6; z <= 6; z += 1e-3)
            {
                double a = function.Double(z);
                double written = name == "Sigmoid" ? a * (1 - a) : 1 - (a * a);
                double slope = (function.Double(z + H) - function.Double(z - H)) / (2 * H);
                worst = Math.Max(worst, Math.Abs((slope / written) - 1));
            }

            Assert.InRange(worst, 4e-3, DerivativeMismatch);
        }

        [Fact]
        public void The_generator_documents_the_runtime_bounds()
        {
            Assert.Equal(FastActivation.SigmoidMaxError, ActivationMath.FastSigmoidMaxError);
            Assert.Equal(FastActivation.TanhMaxError, ActivationMath.FastTanhMaxError);
        }

        // ---- Generated networks ----

        [Fact]
        public void Only_Sigmoid_and_Tanh_layers_of_FastMath_networks_call_FastActivation()
        {
            GeneratorOutcome outcome = s_compiled.Value.Outcome;
            string Generated(string type) => outcome.GeneratedSource("Fast." + type + ".BackpropGen.g.cs");

            string xor = Generated("Xor");
            Assert.Contains("float a1_0 = global::BackpropGen.FastActivation.Tanh(z1_0);", xor, StringComparison.Ordinal);
            Assert.Contains("float a2_0 = global::BackpropGen.FastActivation.Sigmoid(z2_0);", xor, StringComparison.Ordinal);
            Assert.Contains("σ(z) ≈ tanh z (FastMath: FastActivation.Tanh, |error| ≤ 6e-5)", xor, StringComparison.Ordinal);
            Assert.Contains("σ(z) ≈ 1 / (1 + e⁻ᶻ) (FastMath: FastActivation.Sigmoid, |error| ≤ 3e-5)", xor, StringComparison.Ordinal);
            Assert.DoesNotContain("MathF.Exp", xor, StringComparison.Ordinal);
            Assert.DoesNotContain("MathF.Tanh", xor, StringComparison.Ordinal);

            // The derivatives are written with a, as for the exact functions (in the per-sample members: the batch
            // members of the exact network run layer by layer, with their signals in memory).
            static bool PerSampleDelta(string l) => (l.Contains("d1_", StringComparison.Ordinal) || l.Contains("d2_", StringComparison.Ordinal)) && !l.Contains("Bpg", StringComparison.Ordinal) && !l.Contains("dot", StringComparison.Ordinal) && !l.Contains("s.d", StringComparison.Ordinal) && !l.Contains("TVector", StringComparison.Ordinal);
            Assert.Equal(
                Generated("XorExact").Split('\n').Where(PerSampleDelta),
                xor.Split('\n').Where(PerSampleDelta));

            Assert.Contains("double a1_0 = global::BackpropGen.FastActivation.Tanh(z1_0);", Generated("XorDouble"), StringComparison.Ordinal);
            Assert.Contains("double a2_0 = z2_0 > 0d ? z2_0 : 0d;", Generated("Deep"), StringComparison.Ordinal);
            Assert.DoesNotContain("FastActivation", Generated("XorExact"), StringComparison.Ordinal);
            Assert.DoesNotContain("FastActivation", Generated("XorDoubleExact"), StringComparison.Ordinal);
        }

        [Fact]
        public void Softmax_and_the_losses_stay_exact()
        {
            string generated = GeneratedSingle("""
                using BackpropGen;
                [Network(3, FastMath = true, Loss = LossFunction.CrossEntropy)]
                [Layer(4, Activation.Tanh)]
                [Layer(3, Activation.Softmax)]
                public partial class Classes { }

                [Network(3, FastMath = true, Loss = LossFunction.BinaryCrossEntropy)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Flags { }
                """, "Classes.BackpropGen.g.cs", out GeneratorOutcome outcome);
            Assert.Contains("global::BackpropGen.FastActivation.Tanh(z1_0)", generated, StringComparison.Ordinal);
            Assert.Contains("global::System.MathF.Exp(z2_0 - m2)", generated, StringComparison.Ordinal);
            Assert.Contains("global::System.MathF.Log(", generated, StringComparison.Ordinal);

            string flags = outcome.GeneratedSource("Flags.BackpropGen.g.cs");
            Assert.Contains("global::BackpropGen.FastActivation.Sigmoid(z1_0)", flags, StringComparison.Ordinal);
            Assert.Contains("global::System.MathF.Log(1f + global::System.MathF.Exp(-global::System.Math.Abs(z1_0)))", flags, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(CompileMatrixTests.Targets), MemberType = typeof(CompileMatrixTests))]
        public void FastMath_networks_compile_without_warnings_for_every_target(TargetProfile profile, LanguageVersion languageVersion)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(Source, profile, languageVersion);
            GeneratorHarness.AssertClean(outcome);
            using var stream = new MemoryStream();
            Assert.True(outcome.Output.Emit(stream).Success);
        }

        [Fact]
        public void Forward_is_within_the_propagated_bound_of_the_exact_network()
        {
            // Output error ≤ ε_σ + σ'max · Σₖ |w²₀ₖ| · ε_tanh, with σ'max = ¼: the hidden errors pass
            // through the output weights and the exact sigmoid's slope; float rounding adds < 1e-6.
            INetwork<float> fast = Networks.Create<float>(Compiled, "Fast.Xor");
            INetwork<float> exact = Networks.Create<float>(Compiled, "Fast.XorExact");
            INetwork<double> fastDouble = Networks.Create<double>(Compiled, "Fast.XorDouble");
            INetwork<double> exactDouble = Networks.Create<double>(Compiled, "Fast.XorDoubleExact");
            var random = new Random(17);
            double worstRatio = 0;
            for (int trial = 0; trial < 200; trial++)
            {
                double scale = trial % 4 == 0 ? 8 : 2;
                double[] parameters = Enumerable.Range(0, exact.ParameterCount).Select(_ => ((random.NextDouble() * 2) - 1) * scale).ToArray();
                float[] single = parameters.Select(p => (float)p).ToArray();
                fast.LoadParameters(single);
                exact.LoadParameters(single);
                fastDouble.LoadParameters(parameters);
                exactDouble.LoadParameters(parameters);
                double outputWeights = Enumerable.Range(12, 4).Sum(i => Math.Abs(parameters[i]));
                double bound = FastActivation.SigmoidMaxError + (0.25 * outputWeights * FastActivation.TanhMaxError);

                for (int i = 0; i < 20; i++)
                {
                    double[] x = { (random.NextDouble() * 4) - 2, (random.NextDouble() * 4) - 2 };
                    float[] xs = x.Select(v => (float)v).ToArray();
                    float[] a = new float[1], b = new float[1];
                    fast.Forward(xs, a);
                    exact.Forward(xs, b);
                    Assert.True(Math.Abs(a[0] - b[0]) <= bound + 1e-6, $"float: {a[0]} vs {b[0]}, bound {bound}");
                    double[] c = new double[1], d = new double[1];
                    fastDouble.Forward(x, c);
                    exactDouble.Forward(x, d);
                    Assert.True(Math.Abs(c[0] - d[0]) <= bound, $"double: {c[0]} vs {d[0]}, bound {bound}");
                    worstRatio = Math.Max(worstRatio, Math.Abs(c[0] - d[0]) / bound);
                }
            }

            // The bound is not vacuous: the approximation's error shows, at a good fraction of it.
            Assert.InRange(worstRatio, 0.2, 1);
        }

        [Fact]
        public void A_FastMath_network_learns_XOR()
        {
            INetwork<float> network = Networks.Create<float>(Compiled, "Fast.Xor");
            network.InitializeParameters(7);
            float[][] x = { new[] { 0f, 0f }, new[] { 0f, 1f }, new[] { 1f, 0f }, new[] { 1f, 1f } };
            float[][] y = { new[] { 0f }, new[] { 1f }, new[] { 1f }, new[] { 0f } };
            for (int epoch = 0; epoch < 2000; epoch++)
            {
                for (int i = 0; i < 4; i++)
                {
                    network.TrainStep(x[i], y[i], 0.5f);
                }
            }

            float loss = Enumerable.Range(0, 4).Sum(i => network.ComputeLoss(x[i], y[i])) / 4;
            Assert.True(loss < 0.005f, "mean loss " + loss);
            var output = new float[1];
            for (int i = 0; i < 4; i++)
            {
                network.Forward(x[i], output);
                Assert.Equal(y[i][0], MathF.Round(output[0]));
            }
        }

        [Theory]
        [InlineData("OneSigmoid")]
        [InlineData("OneTanh")]
        public void One_neuron_gradient_differs_from_its_own_finite_difference_by_the_derivative_mismatch_only(string name)
        {
            // C = ½ (a − y)², a = σ̃(w x + b): ∂C/∂w as generated is (a − y) a(1 − a) x; the finite
            // difference of the network's own C is (a − y) σ̃'(z) x; their ratio is 1 + η exactly.
            INetwork<double> network = Networks.Create<double>(Compiled, "Fast." + name);
            double worst = 0;
            for (double w = -4; w <= 4; w += 0.0123)
            {
                double[] parameters = { w, 0.1 };
                double[] x = { 1.3 }, y = { name == "OneTanh" ? -2 : 2 }; // a − y never 0
                network.LoadParameters(parameters);
                var gradient = new double[2];
                network.AccumulateGradient(x, y, gradient);
                double numeric = FiniteDifference(network, parameters, 0, x, y);
                worst = Math.Max(worst, Math.Abs((numeric / gradient[0]) - 1));
            }

            Assert.InRange(worst, 1e-3, DerivativeMismatch * 1.001);
        }

        [Fact]
        public void Deep_gradient_matches_finite_differences_of_its_own_forward_within_the_explained_tolerance()
        {
            // Every path from θ to C crosses at most k = 3 approximated activations, and at each the true
            // derivative is the written one times (1 + η), |η| ≤ DerivativeMismatch: so
            // |g − g_fd| ≤ ((1 + η)ᵏ − 1) · S_θ, with S_θ the sum of the paths' absolute contributions as
            // written, which a backward pass over absolute values computes. Plus 1e-8 for finite-difference noise.
            INetwork<double> network = Networks.Create<double>(Compiled, "Fast.Deep");
            int[] sizes = { 3, 5, 4, 4, 2 };
            bool[] approximated = { false, true, false, true, true };
            double factor = Math.Pow(1 + DerivativeMismatch, 3) - 1;
            var random = new Random(5);
            double worstShare = 0;
            for (int trial = 0; trial < 20; trial++)
            {
                double[] parameters = Enumerable.Range(0, network.ParameterCount).Select(_ => (random.NextDouble() * 3) - 1.5).ToArray();
                double[] x = Enumerable.Range(0, 3).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
                double[] y = Enumerable.Range(0, 2).Select(_ => random.NextDouble()).ToArray();
                network.LoadParameters(parameters);
                var gradient = new double[network.ParameterCount];
                network.AccumulateGradient(x, y, gradient);
                double[] paths = AbsolutePathSums(parameters, sizes, approximated, x, y);

                for (int i = 0; i < parameters.Length; i++)
                {
                    double numeric = FiniteDifference(network, parameters, i, x, y);
                    double tolerance = (factor * paths[i]) + 1e-8;
                    double difference = Math.Abs(gradient[i] - numeric);
                    Assert.True(difference <= tolerance, FormattableString.Invariant($"trial {trial}, θ[{i}]: generated {gradient[i]:R}, finite difference {numeric:R}, tolerance {tolerance:E2}"));
                    if (paths[i] > 1e-4)
                    {
                        worstShare = Math.Max(worstShare, difference / tolerance);
                    }
                }
            }

            // And the approximation's effect is visible: an exact derivative would leave only noise.
            Assert.InRange(worstShare, 0.1, 1);
        }

        private static double FiniteDifference(INetwork<double> network, double[] parameters, int index, double[] x, double[] y)
        {
            const double H = 1e-6;
            var probe = (double[])parameters.Clone();
            probe[index] = parameters[index] + H;
            network.LoadParameters(probe);
            double plus = network.ComputeLoss(x, y);
            probe[index] = parameters[index] - H;
            network.LoadParameters(probe);
            double minus = network.ComputeLoss(x, y);
            network.LoadParameters(parameters);
            return (plus - minus) / (2 * H);
        }

        /// <summary>
        /// Σ over the paths from each parameter to C of |product of the factors the generated backward
        /// pass multiplies| (mean squared error; FastActivation forward; σ' written with a; ReLU exact):
        /// backpropagation with every factor replaced by its absolute value.
        /// </summary>
        private static double[] AbsolutePathSums(double[] parameters, int[] sizes, bool[] approximated, double[] x, double[] y)
        {
            int layers = sizes.Length - 1;
            var a = new double[layers + 1][];
            var z = new double[layers + 1][];
            var offsets = new int[layers + 1];
            a[0] = x;
            for (int l = 1, offset = 0; l <= layers; l++)
            {
                offsets[l] = offset;
                z[l] = new double[sizes[l]];
                a[l] = new double[sizes[l]];
                for (int j = 0; j < sizes[l]; j++)
                {
                    double sum = parameters[offset + (sizes[l] * sizes[l - 1]) + j];
                    for (int k = 0; k < sizes[l - 1]; k++)
                    {
                        sum += parameters[offset + (j * sizes[l - 1]) + k] * a[l - 1][k];
                    }

                    z[l][j] = sum;
                    a[l][j] = !approximated[l] ? Math.Max(0, sum) : l == 3 ? FastActivation.Tanh(sum) : FastActivation.Sigmoid(sum);
                }

                offset += (sizes[l - 1] + 1) * sizes[l];
            }

            double Slope(int l, int j) => !approximated[l] ? (z[l][j] > 0 ? 1 : 0) : l == 3 ? 1 - (a[l][j] * a[l][j]) : a[l][j] * (1 - a[l][j]);

            var result = new double[parameters.Length];
            double[] delta = Enumerable.Range(0, sizes[layers]).Select(j => Math.Abs(2 * (a[layers][j] - y[j]) / sizes[layers]) * Slope(layers, j)).ToArray();
            for (int l = layers; l >= 1; l--)
            {
                for (int j = 0; j < sizes[l]; j++)
                {
                    for (int k = 0; k < sizes[l - 1]; k++)
                    {
                        result[offsets[l] + (j * sizes[l - 1]) + k] = Math.Abs(a[l - 1][k]) * delta[j];
                    }

                    result[offsets[l] + (sizes[l] * sizes[l - 1]) + j] = delta[j];
                }

                if (l > 1)
                {
                    int layer = l;
                    double[] above = delta;
                    delta = Enumerable.Range(0, sizes[l - 1])
                        .Select(k => Enumerable.Range(0, sizes[layer]).Sum(j => Math.Abs(parameters[offsets[layer] + (j * sizes[layer - 1]) + k]) * above[j]) * Slope(layer - 1, k))
                        .ToArray();
                }
            }

            return result;
        }

        [Fact]
        public void A_baked_FastMath_network_computes_bit_for_bit_what_the_trainable_one_does()
        {
            INetwork<float> trainable = Networks.Create<float>(Compiled, "Fast.Xor");
            trainable.InitializeParameters(3);
            var json = new StringWriter();
            ParameterFile.SaveJson(trainable, json);
            Assembly baked = GeneratorHarness.CompileAndLoad(
                "using BackpropGen;\n[Network(2, FastMath = true)][Layer(4, Activation.Tanh)][Layer(1, Activation.Sigmoid)][BakedParameters(\"xor.json\")]\npublic partial class BakedXor { }\n",
                additionalTexts: new[] { new GeneratorHarness.InMemoryAdditionalText("/game/xor.json", json.ToString()) });
            var network = (IReadOnlyNetwork<float>)Activator.CreateInstance(baked.GetType("BakedXor", throwOnError: true)!)!;

            var random = new Random(8);
            float[] expected = new float[1], actual = new float[1];
            for (int i = 0; i < 1000; i++)
            {
                float[] x = { (float)((random.NextDouble() * 8) - 4), (float)((random.NextDouble() * 8) - 4) };
                trainable.Forward(x, expected);
                network.Forward(x, actual);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[0]), BitConverter.SingleToInt32Bits(actual[0]));
            }

            // FastMath is not part of the topology: the exact network takes the same parameter file.
            INetwork<float> exact = Networks.Create<float>(Compiled, "Fast.XorExact");
            ParameterFile.LoadJson(exact, new StringReader(json.ToString()));
            Assert.Equal(Networks.Parameters(trainable), Networks.Parameters(exact));
        }

        // ---- Parser, caching, snapshot ----

        [Fact]
        public void The_parser_reads_FastMath_into_the_spec()
        {
            const string Template = "using BackpropGen;\n[Network(2{0})][Layer(2, Activation.Tanh)][Layer(1, Activation.Sigmoid)]\npublic partial class Net {{ }}\n";
            NetworkSpec Parse(string arguments)
            {
                GeneratorOutcome outcome = GeneratorHarness.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, arguments));
                GeneratorHarness.AssertClean(outcome);
                return (NetworkSpec)outcome.Result.Results.Single().TrackedSteps[TrackingNames.NetworkSpecs].Single().Outputs.Single().Value;
            }

            NetworkSpec byDefault = Parse(string.Empty);
            NetworkSpec off = Parse(", FastMath = false");
            NetworkSpec on = Parse(", FastMath = true");
            Assert.False(byDefault.FastMath);
            Assert.True(on.FastMath);
            Assert.Equal(byDefault, off);
            Assert.NotEqual(byDefault, on);
            Assert.Equal(byDefault with { FastMath = true }, on);
            Assert.True(Parse(", FastMath = true, Trainable = false").FastMath);
        }

        [Fact]
        public void Switching_FastMath_regenerates_that_network_only_and_an_unrelated_edit_nothing()
        {
            const string Networks = """
                using BackpropGen;
                [Network(2, FastMath = true)][Layer(3, Activation.Tanh)][Layer(1, Activation.Sigmoid)]
                public partial class Switched { }
                [Network(2, FastMath = true)][Layer(3, Activation.Sigmoid)]
                public partial class Untouched { }
                """;
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { Networks });
            var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
            GeneratorDriver driver = GeneratorHarness.CreateDriver(parseOptions).RunGenerators(compilation);

            GeneratorRunResult unrelated = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Other { }", parseOptions))).GetRunResult().Results.Single();
            Assert.All(
                unrelated.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
                o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

            SyntaxTree tree = compilation.SyntaxTrees.Single();
            int at = Networks.IndexOf("FastMath = true", StringComparison.Ordinal);
            SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(at, "FastMath = true".Length, "FastMath = false"));
            GeneratorRunResult switched = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited)).GetRunResult().Results.Single();
            IncrementalStepRunReason[] emitted = switched.TrackedSteps[TrackingNames.EmitInputs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.Equal(1, emitted.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.DoesNotContain("FastActivation", switched.GeneratedSources.Single(s => s.HintName == "Switched.BackpropGen.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Snapshot_of_a_FastMath_network()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run("""
                using BackpropGen;

                namespace Game
                {
                    [Network(2, FastMath = true)]
                    [Layer(3, Activation.Tanh)]
                    [Layer(2, Activation.ReLU)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class QuickBrain { }
                }
                """);
            GeneratorHarness.AssertClean(outcome);
            GeneratedSourceResult generated = Assert.Single(outcome.GeneratedSources);
            Snapshot.Verify(generated.SourceText.ToString(), generated.HintName);
        }

        private static string GeneratedSingle(string source, string hintName, out GeneratorOutcome outcome)
        {
            outcome = GeneratorHarness.Run(source);
            GeneratorHarness.AssertClean(outcome);
            return outcome.GeneratedSource(hintName);
        }
    }
}
