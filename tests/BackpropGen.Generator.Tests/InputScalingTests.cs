using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// <c>[Network(…, InputScaling = true)]</c>: every member computes a⁰ₖ = (xₖ − μₖ)·sₖ before layer 1.
    /// Each scaled network here has an unscaled twin of the same shape; with the same parameters the
    /// scaled one on x must give exactly (bit for bit) what the twin gives on (x − μ)·s computed by
    /// the test; here unsplit, float and double, on .NET 10 and netstandard2.1 (the split and vector
    /// shapes, which cost large compiles, are <see cref="InputScalingShapeTests"/>).
    /// </summary>
    public class InputScalingTests : IDisposable
    {
        private const string Source = """
            using BackpropGen;
            namespace Scaling
            {
                [Network(3, InputScaling = true)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Small { }

                [Network(3)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class SmallPlain { }

                [Network(3, InputScaling = true, Precision = Precision.Double, Optimizer = Optimizer.Adam, Loss = LossFunction.MeanSquaredError)]
                [Layer(4, Activation.ReLU)]
                [Layer(2, Activation.Linear)]
                public partial struct SmallDouble { }

                [Network(3, Precision = Precision.Double, Optimizer = Optimizer.Adam, Loss = LossFunction.MeanSquaredError)]
                [Layer(4, Activation.ReLU)]
                [Layer(2, Activation.Linear)]
                public partial struct SmallDoublePlain { }

                [Network(2, InputScaling = true, Explain = true, Optimizer = Optimizer.Adam)]
                [Layer(3, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Explained { }

                [Network(2, InputScaling = true, Loss = LossFunction.BinaryCrossEntropy, Optimizer = Optimizer.Adam)]
                [Layer(8, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Game { }

                [Network(2, Loss = LossFunction.BinaryCrossEntropy, Optimizer = Optimizer.Adam)]
                [Layer(8, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class GamePlain { }
            }
            """;

        private const string FrozenSource = """
            using BackpropGen;
            namespace Scaling
            {
                [Network(3, InputScaling = true, Trainable = false)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class Frozen { }

                [Network(3, Trainable = false)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial class FrozenPlain { }
            }
            """;

        private static readonly Lazy<Assembly> s_net10 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.Net10));
        private static readonly Lazy<Assembly> s_netStandard21 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.NetStandard21));

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "bpg-scaling-" + Guid.NewGuid().ToString("N"));

        public InputScalingTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [InlineData(TargetProfile.Net10)]
        [InlineData(TargetProfile.NetStandard21)]
        public void Every_member_sees_the_standardized_input(TargetProfile profile)
        {
            Assembly assembly = profile == TargetProfile.Net10 ? s_net10.Value : s_netStandard21.Value;
            Assert.DoesNotContain("BpgInput0", Generated(Source, profile, "Scaling.Small"), StringComparison.Ordinal);
            EveryMemberSeesTheStandardizedInput<float>(assembly, "Small");
            EveryMemberSeesTheStandardizedInput<double>(assembly, "SmallDouble");
        }

        internal static void EveryMemberSeesTheStandardizedInput<T>(Assembly assembly, string name)
            where T : struct
        {
            INetwork<T> scaled = Create<T>(assembly, name);
            INetwork<T> plain = Create<T>(assembly, name + "Plain");
            Assert.Equal(plain.ParameterCount, scaled.ParameterCount);
            Assert.False(plain is IReadOnlyInputScaling<T>);

            var random = new Random(7);
            T[] theta = Values<T>(Enumerable.Range(0, scaled.ParameterCount).Select(_ => (random.NextDouble() - 0.5) * 0.4));
            T[] offset = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => (k % 2 == 0 ? 1000 : -40) + (random.NextDouble() * 10)));
            T[] scale = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => k % 3 == 0 ? -0.02 : 0.005 + (random.NextDouble() * 0.05)));
            scaled.LoadParameters(theta);
            plain.LoadParameters(theta);
            ((IInputScaling<T>)scaled).SetInputScaling(offset, scale);

            for (int sample = 0; sample < 4; sample++)
            {
                T[] x = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => (k % 2 == 0 ? 1000 : -40) + ((random.NextDouble() - 0.5) * 200)));
                T[] standardized = Standardize(x, offset, scale);
                T[] target = Values<T>(Enumerable.Range(0, scaled.OutputCount).Select(_ => random.NextDouble()));

                var scaledOutput = new T[scaled.OutputCount];
                var plainOutput = new T[plain.OutputCount];
                scaled.Forward(x, scaledOutput);
                plain.Forward(standardized, plainOutput);
                Assert.Equal(plainOutput, scaledOutput);
                Assert.Equal(plain.ComputeLoss(standardized, target), scaled.ComputeLoss(x, target));

                var scaledGradient = new T[scaled.ParameterCount];
                var plainGradient = new T[plain.ParameterCount];
                Assert.Equal(plain.AccumulateGradient(standardized, target, plainGradient), scaled.AccumulateGradient(x, target, scaledGradient));
                Assert.Equal(plainGradient, scaledGradient);

                Assert.Equal(plain.TrainStep(standardized, target, Values<T>(new[] { 0.05 })[0]), scaled.TrainStep(x, target, Values<T>(new[] { 0.05 })[0]));
                Assert.Equal(Networks.Parameters(plain), Networks.Parameters(scaled));
            }

            // Training moved θ but never μ or s.
            Assert.NotEqual(theta, Networks.Parameters(scaled));
            var copiedOffset = new T[scaled.InputCount];
            var copiedScale = new T[scaled.InputCount];
            ((IInputScaling<T>)scaled).CopyInputScalingTo(copiedOffset, copiedScale);
            Assert.Equal(offset, copiedOffset);
            Assert.Equal(scale, copiedScale);
        }

        [Theory]
        [InlineData("Small")]
        [InlineData("SmallDouble")]
        public void A_new_network_has_identity_scaling_and_InitializeParameters_leaves_the_scaling_alone(string name)
        {
            if (name == "Small")
            {
                IdentityUntilSet<float>(s_net10.Value, name);
            }
            else
            {
                IdentityUntilSet<double>(s_net10.Value, name);
            }
        }

        internal static void IdentityUntilSet<T>(Assembly assembly, string name)
            where T : struct
        {
            // A class starts with zeroed fields and a struct (SmallDouble) is default(T): s reads as 1 either way.
            INetwork<T> scaled = Create<T>(assembly, name);
            INetwork<T> plain = Create<T>(assembly, name + "Plain");
            scaled.InitializeParameters(3);
            plain.InitializeParameters(3);
            var offset = new T[scaled.InputCount];
            var scale = new T[scaled.InputCount];
            ((IInputScaling<T>)scaled).CopyInputScalingTo(offset, scale);
            Assert.Equal(new T[scaled.InputCount], offset);
            Assert.Equal(Values<T>(Enumerable.Repeat(1.0, scaled.InputCount)), scale);

            T[] x = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => 0.1 * (k % 7)));
            Assert.Equal(Output(plain, x), Output(scaled, x));

            T[] newOffset = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => (double)k));
            T[] newScale = Values<T>(Enumerable.Range(0, scaled.InputCount).Select(k => 2.0 + k));
            ((IInputScaling<T>)scaled).SetInputScaling(newOffset, newScale);
            scaled.InitializeParameters(4);
            ((IInputScaling<T>)scaled).CopyInputScalingTo(offset, scale);
            Assert.Equal(newOffset, offset);
            Assert.Equal(newScale, scale);
        }

        [Fact]
        public void A_frozen_network_has_input_scaling()
        {
            Assembly assembly = GeneratorHarness.CompileAndLoad(FrozenSource);
            var frozen = (IInferenceNetwork<float>)Activator.CreateInstance(assembly.GetType("Scaling.Frozen", throwOnError: true)!)!;
            var plain = (IInferenceNetwork<float>)Activator.CreateInstance(assembly.GetType("Scaling.FrozenPlain", throwOnError: true)!)!;
            Assert.False(frozen is INetwork<float>);
            frozen.InitializeParameters(5);
            plain.InitializeParameters(5);
            float[] offset = { 10, 20, 30 };
            float[] scale = { 0.5f, -0.25f, 4 };
            ((IInputScaling<float>)frozen).SetInputScaling(offset, scale);
            float[] x = { 11, 18, 30.5f };
            var output = new float[2];
            var expected = new float[2];
            frozen.Forward(x, output);
            plain.Forward(Standardize(x, offset, scale), expected);
            Assert.Equal(expected, output);
        }

        [Theory]
        [InlineData("Small")]
        [InlineData("SmallDouble")]
        public void Gradients_match_finite_differences_with_scaling_on(string name)
        {
            if (name == "Small")
            {
                GradientCheckResult result = GradientsWithScaling<float>(name);
                Assert.True(result.MaxRelativeError < 2e-2, result.ToString());
            }
            else
            {
                GradientCheckResult result = GradientsWithScaling<double>(name);
                Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
            }
        }

        private static GradientCheckResult GradientsWithScaling<T>(string name)
            where T : struct
        {
            INetwork<T> network = Create<T>(s_net10.Value, name);
            network.InitializeParameters(11);
            ((IInputScaling<T>)network).SetInputScaling(Values<T>(new[] { 1000.0, -50, 3 }), Values<T>(new[] { 0.01, 0.2, -1.5 }));
            T[] x = Values<T>(new[] { 1040.0, -48, 2.5 });
            T[] y = Values<T>(new[] { 0.3, 0.8 });
            T[] before = Networks.Parameters(network);
            GradientCheckResult result = GradientCheck.Compare(network, x, y);

            // With the raw x and no scaling, the first layer would saturate: the check must see the scaled input.
            var output = new T[network.OutputCount];
            network.Forward(x, output);
            Assert.Equal(before, Networks.Parameters(network));
            return result;
        }

        [Fact]
        public void ExplainStep_is_TrainStep_and_shows_the_offset_and_scale()
        {
            INetwork<float> explained = Create<float>(s_net10.Value, "Explained");
            INetwork<float> trained = Create<float>(s_net10.Value, "Explained");
            float[] offset = { 100, -3 };
            float[] scale = { 0.1f, 2 };
            foreach (INetwork<float> network in new[] { explained, trained })
            {
                network.InitializeParameters(2);
                ((IInputScaling<float>)network).SetInputScaling(offset, scale);
            }

            float[] x = { 104, -2.5f };
            float[] y = { 1 };
            var writer = new StringWriter();
            var explain = (ExplainStepCall)Delegate.CreateDelegate(typeof(ExplainStepCall), explained, explained.GetType().GetMethod("ExplainStep")!);
            float explainedLoss = explain(x, y, 0.1f, writer);
            Assert.Equal(trained.TrainStep(x, y, 0.1f), explainedLoss);
            Assert.Equal(Networks.Parameters(trained), Networks.Parameters(explained));
            string text = writer.ToString();
            Assert.Contains("a⁰ₖ = (xₖ − μₖ)·sₖ", text, StringComparison.Ordinal);
            Assert.Contains("a⁰₀ = (x₀ − μ₀)·s₀ = (104 − 100)·0.1 = ", text, StringComparison.Ordinal);

            // Before SetInputScaling the scale reads as 1 (its field holds 0), and the trace prints the 1 the step uses.
            INetwork<float> fresh = Create<float>(s_net10.Value, "Explained");
            fresh.InitializeParameters(2);
            var freshWriter = new StringWriter();
            ((ExplainStepCall)Delegate.CreateDelegate(typeof(ExplainStepCall), fresh, fresh.GetType().GetMethod("ExplainStep")!))(x, y, 0.1f, freshWriter);
            Assert.Contains("a⁰₀ = (x₀ − μ₀)·s₀ = (104 − 0)·1 = 104", freshWriter.ToString(), StringComparison.Ordinal);
        }

        /// <summary>ExplainStep is not on an interface; reflection cannot pass spans, a delegate can.</summary>
        private delegate float ExplainStepCall(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, TextWriter writer);

        [Fact]
        public void Wrong_lengths_and_values_that_are_not_finite_or_zero_throw_and_change_nothing()
        {
            INetwork<float> network = Create<float>(s_net10.Value, "Small");
            var scaling = (IInputScaling<float>)network;
            float[] offset = { 1, 2, 3 };
            float[] scale = { 4, 5, 6 };
            scaling.SetInputScaling(offset, scale);

            Assert.Equal("offset", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(new float[2], scale)).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(offset, new float[4])).ParamName);
            Assert.Equal("offset", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(new[] { 0, float.NaN, 0 }, scale)).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(offset, new[] { 1, 1, float.PositiveInfinity })).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(offset, new[] { 1, 0f, 1 })).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => scaling.SetInputScaling(offset, new[] { 1, -0f, 1 })).ParamName);
            Assert.Equal("offset", Assert.Throws<ArgumentException>(() => scaling.CopyInputScalingTo(new float[4], new float[3])).ParamName);
            Assert.Equal("scale", Assert.Throws<ArgumentException>(() => scaling.CopyInputScalingTo(new float[3], new float[2])).ParamName);

            var copiedOffset = new float[3];
            var copiedScale = new float[3];
            scaling.CopyInputScalingTo(copiedOffset, copiedScale);
            Assert.Equal(offset, copiedOffset);
            Assert.Equal(scale, copiedScale);
        }

        [Fact]
        public void The_members_do_not_allocate() => MembersDoNotAllocate(Create<float>(s_net10.Value, "Small"));

        internal static void MembersDoNotAllocate(INetwork<float> network)
        {
            var scaling = (IInputScaling<float>)network;
            network.InitializeParameters(1);
            var offset = new float[network.InputCount];
            var scale = Enumerable.Repeat(0.5f, network.InputCount).ToArray();
            var input = Enumerable.Range(0, network.InputCount).Select(k => (float)k).ToArray();
            var output = new float[network.OutputCount];
            var target = new float[network.OutputCount];
            var gradient = new float[network.ParameterCount];
            long least = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 50; i++)
                {
                    scaling.SetInputScaling(offset, scale);
                    scaling.CopyInputScalingTo(offset, scale);
                    network.Forward(input, output);
                    network.ComputeLoss(input, target);
                    network.AccumulateGradient(input, target, gradient);
                    network.TrainStep(input, target, 0.001f);
                }

                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.Equal(0, least);
        }

        // ---- Parameter files and checkpoints -------------------------------------------------

        [Fact]
        public void Binary_and_json_files_carry_the_scaling_and_load_it_back()
        {
            INetwork<float> source = ScaledSmall(out float[] offset, out float[] scale);
            string binary = Path.Combine(_folder, "small.bpg");
            string json = Path.Combine(_folder, "small.json");
            ParameterFile.Save(source, binary);
            ParameterFile.SaveJson(source, json);
            Assert.Equal(2, File.ReadAllBytes(binary)[4]);
            Assert.Contains("\"version\": 2,", File.ReadAllText(json), StringComparison.Ordinal);
            Assert.Contains("\"inputScaling\": {", File.ReadAllText(json), StringComparison.Ordinal);

            foreach (Action<INetwork<float>> load in new Action<INetwork<float>>[] { n => ParameterFile.Load(n, binary), n => ParameterFile.LoadJson(n, json) })
            {
                INetwork<float> target = Create<float>(s_net10.Value, "Small");
                load(target);
                Assert.Equal(Networks.Parameters(source), Networks.Parameters(target));
                AssertScaling(target, offset, scale);
            }

            // Reading only the parameters would drop the scaling, so it is refused; the overload with offset and scale gives it.
            Assert.Equal(ParameterFileError.InputScalingMismatch, Assert.Throws<ParameterFileException>(() => ParameterFile.Read<float>(binary, source.Topology)).Error);
            Assert.Equal(ParameterFileError.InputScalingMismatch, Assert.Throws<ParameterFileException>(() => ParameterFile.ReadJson<float>(json, source.Topology)).Error);
            Assert.Equal(Networks.Parameters(source), ParameterFile.Read<float>(binary, source.Topology, out float[]? readOffset, out float[]? readScale));
            Assert.Equal(offset, readOffset);
            Assert.Equal(scale, readScale);
            ParameterFile.ReadJson<float>(json, source.Topology, out readOffset, out readScale);
            Assert.Equal(offset, readOffset);
            Assert.Equal(scale, readScale);
        }

        [Fact]
        public void A_struct_network_loads_its_scaling_in_place()
        {
            INetwork<double> source = Create<double>(s_net10.Value, "SmallDouble");
            source.InitializeParameters(6);
            double[] offset = { 1, 2, 3 };
            double[] scale = { 0.5, 0.25, 0.125 };
            ((IInputScaling<double>)source).SetInputScaling(offset, scale);
            string path = Path.Combine(_folder, "double.bpg");
            ParameterFile.Save(source, path);

            Type type = s_net10.Value.GetType("Scaling.SmallDouble", throwOnError: true)!;
            MethodInfo load = typeof(InputScalingTests).GetMethod(nameof(LoadStruct), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            var loaded = (INetwork<double>)load.Invoke(null, new object[] { path })!;
            Assert.Equal(Networks.Parameters(source), Networks.Parameters(loaded));
            AssertScaling(loaded, offset, scale);
        }

        private static TNetwork LoadStruct<TNetwork>(string path)
            where TNetwork : struct, INetwork<double>
        {
            var network = default(TNetwork);
            ParameterFile.Load<TNetwork, double>(ref network, path);
            return network;
        }

        [Fact]
        public void A_file_without_scaling_loads_with_identity_scaling_and_a_scaled_file_is_refused_by_an_unscaled_network()
        {
            INetwork<float> plain = Create<float>(s_net10.Value, "SmallPlain");
            plain.InitializeParameters(8);
            string plainBinary = Path.Combine(_folder, "plain.bpg");
            string plainJson = Path.Combine(_folder, "plain.json");
            ParameterFile.Save(plain, plainBinary);
            ParameterFile.SaveJson(plain, plainJson);

            // An unscaled network's files are what they always were: version 1.
            Assert.Equal(1, File.ReadAllBytes(plainBinary)[4]);
            Assert.Contains("\"version\": 1,", File.ReadAllText(plainJson), StringComparison.Ordinal);
            Assert.DoesNotContain("inputScaling", File.ReadAllText(plainJson), StringComparison.Ordinal);

            foreach (Action<INetwork<float>> load in new Action<INetwork<float>>[] { n => ParameterFile.Load(n, plainBinary), n => ParameterFile.LoadJson(n, plainJson) })
            {
                INetwork<float> scaled = ScaledSmall(out _, out _);
                load(scaled);
                AssertScaling(scaled, new float[3], new float[] { 1, 1, 1 });
                float[] x = { 0.3f, -0.2f, 0.9f };
                Assert.Equal(Output(plain, x), Output(scaled, x));
            }

            INetwork<float> source = ScaledSmall(out _, out _);
            string binary = Path.Combine(_folder, "scaled.bpg");
            string json = Path.Combine(_folder, "scaled.json");
            ParameterFile.Save(source, binary);
            ParameterFile.SaveJson(source, json);
            INetwork<float> unscaled = Create<float>(s_net10.Value, "SmallPlain");
            unscaled.InitializeParameters(9);
            float[] before = Networks.Parameters(unscaled);
            ParameterFileException fromBinary = Assert.Throws<ParameterFileException>(() => ParameterFile.Load(unscaled, binary));
            ParameterFileException fromJson = Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(unscaled, json));
            Assert.Equal(ParameterFileError.InputScalingMismatch, fromBinary.Error);
            Assert.Equal(ParameterFileError.InputScalingMismatch, fromJson.Error);
            Assert.Contains("InputScaling = true", fromJson.Message, StringComparison.Ordinal);
            Assert.Equal(before, Networks.Parameters(unscaled));
        }

        [Fact]
        public void A_damaged_scaling_section_is_refused()
        {
            INetwork<float> source = ScaledSmall(out _, out _);
            var text = new StringWriter();
            ParameterFile.SaveJson(source, text);
            string json = text.ToString();
            INetwork<float> target = Create<float>(s_net10.Value, "Small");
            string zeroScale = System.Text.RegularExpressions.Regex.Replace(json, "\"scale\": \\[\\s*[^,\\]]+", "\"scale\": [ 0");
            Assert.Contains("scale[0] = 0", Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(target, new StringReader(zeroScale))).Message, StringComparison.Ordinal);
            string version1 = json.Replace("\"version\": 2", "\"version\": 1", StringComparison.Ordinal);
            Assert.Equal(ParameterFileError.Malformed, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(target, new StringReader(version1))).Error);

            var binary = new MemoryStream();
            ParameterFile.Save(source, binary);
            byte[] bytes = binary.ToArray();
            Assert.Equal(ParameterFileError.Truncated, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(bytes.AsSpan(0, bytes.Length - 8).ToArray()))).Error);
        }

        [Fact]
        public void A_checkpoint_keeps_the_scaling_and_its_scaling_wins_over_FitInputScaling()
        {
            MakeGameData(out float[] inputs, out float[] targets, 64);
            string checkpoint = Path.Combine(_folder, "run.bpgc");
            var options = new TrainerOptions { Epochs = 3, BatchSize = 8, LearningRate = 0.01, FitInputScaling = true, CheckpointPath = checkpoint };
            INetwork<float> first = Create<float>(s_net10.Value, "Game");
            first.InitializeParameters(1);
            Trainer.Fit(ref first, inputs, targets, options);
            Assert.Equal(2, File.ReadAllBytes(checkpoint)[4]);

            // Resume with other training inputs: FitInputScaling would fit other μ and s, but the checkpoint's scaling wins.
            INetwork<float> resumed = Create<float>(s_net10.Value, "Game");
            resumed.InitializeParameters(2);
            float[] shifted = inputs.Select(v => (v * 3) + 7).ToArray();
            Trainer.Fit(ref resumed, shifted, targets, options);
            Assert.Equal(Networks.Parameters(first), Networks.Parameters(resumed));
            var offset = new float[2];
            var scale = new float[2];
            ((IInputScaling<float>)first).CopyInputScalingTo(offset, scale);
            AssertScaling(resumed, offset, scale);

            // A run split in two ends with the same bits as an uninterrupted one, scaling included.
            INetwork<float> whole = Create<float>(s_net10.Value, "Game");
            whole.InitializeParameters(1);
            Trainer.Fit(ref whole, inputs, targets, new TrainerOptions { Epochs = 6, BatchSize = 8, LearningRate = 0.01, FitInputScaling = true });
            Trainer.Fit(ref first, inputs, targets, new TrainerOptions { Epochs = 6, BatchSize = 8, LearningRate = 0.01, FitInputScaling = true, CheckpointPath = checkpoint });
            Assert.Equal(Networks.Parameters(whole), Networks.Parameters(first));
            AssertScaling(first, offset, scale);

            // A checkpoint of a scaled run is refused by a network without scaling.
            INetwork<float> plain = Create<float>(s_net10.Value, "GamePlain");
            Assert.Equal(ParameterFileError.InputScalingMismatch, Assert.Throws<ParameterFileException>(() => Trainer.Fit(ref plain, inputs, targets, new TrainerOptions { Epochs = 6, BatchSize = 8, CheckpointPath = checkpoint })).Error);
        }

        // ---- Trainer.FitInputScaling ---------------------------------------------------------

        [Fact]
        public void Raw_game_quantities_train_as_well_as_standardized_ones()
        {
            // Distance 500–1500 m and speed 2000–4000: far outside where tanh is not saturated.
            MakeGameData(out float[] raw, out float[] targets, 400);
            var options = new TrainerOptions { Epochs = 30, BatchSize = 8, LearningRate = 0.01, ShuffleSeed = 3 };

            INetwork<float> scaled = Create<float>(s_net10.Value, "Game");
            scaled.InitializeParameters(5);
            options.FitInputScaling = true;
            TrainingResult scaledResult = Trainer.Fit(ref scaled, raw, targets, options);

            // The same training on inputs standardized by hand (in double), without input scaling.
            double[] mean = new double[2], deviation = new double[2];
            for (int k = 0; k < 2; k++)
            {
                double[] column = Enumerable.Range(0, raw.Length / 2).Select(i => (double)raw[(i * 2) + k]).ToArray();
                mean[k] = column.Average();
                deviation[k] = Math.Sqrt(column.Select(v => (v - mean[k]) * (v - mean[k])).Average());
            }

            float[] standardized = raw.Select((v, i) => (float)((v - mean[i % 2]) / deviation[i % 2])).ToArray();
            INetwork<float> byHand = Create<float>(s_net10.Value, "GamePlain");
            byHand.InitializeParameters(5);
            options.FitInputScaling = false;
            TrainingResult byHandResult = Trainer.Fit(ref byHand, standardized, targets, options);

            INetwork<float> unscaled = Create<float>(s_net10.Value, "GamePlain");
            unscaled.InitializeParameters(5);
            TrainingResult unscaledResult = Trainer.Fit(ref unscaled, raw, targets, options);

            Assert.True(byHandResult.TrainingLoss < 0.15, "standardized: " + byHandResult.TrainingLoss);
            Assert.True(Math.Abs(scaledResult.TrainingLoss - byHandResult.TrainingLoss) <= (0.05 * byHandResult.TrainingLoss) + 1e-3, "scaled " + scaledResult.TrainingLoss + ", by hand " + byHandResult.TrainingLoss);
            Assert.True(unscaledResult.TrainingLoss > 2 * scaledResult.TrainingLoss, "raw without scaling: " + unscaledResult.TrainingLoss + ", scaled: " + scaledResult.TrainingLoss);

            // The fitted scaling is the mean and 1 / population standard deviation.
            var offset = new float[2];
            var scale = new float[2];
            ((IInputScaling<float>)scaled).CopyInputScalingTo(offset, scale);
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal((float)mean[k], offset[k]);
                Assert.Equal((float)(1 / deviation[k]), scale[k], 5e-6f * scale[k]);
            }
        }

        [Fact]
        public void FitInputScaling_gives_a_constant_input_scale_1_and_leaves_out_values_that_are_not_finite()
        {
            float[] inputs = { 5, 1, 5, float.NaN, 5, 3, 5, float.PositiveInfinity };
            float[] targets = { 1, 0, 1, 0 };
            INetwork<float> network = Create<float>(s_net10.Value, "Game");
            network.InitializeParameters(1);
            Trainer.Fit(ref network, inputs, targets, new TrainerOptions { Epochs = 1, FitInputScaling = true });
            var offset = new float[2];
            var scale = new float[2];
            ((IInputScaling<float>)network).CopyInputScalingTo(offset, scale);
            Assert.Equal(new float[] { 5, 2 }, offset);
            Assert.Equal(new float[] { 1, 1 }, scale);
        }

        [Fact]
        public void FitInputScaling_on_a_network_without_scaling_throws_before_training()
        {
            MakeGameData(out float[] inputs, out float[] targets, 16);
            INetwork<float> plain = Create<float>(s_net10.Value, "GamePlain");
            plain.InitializeParameters(1);
            float[] before = Networks.Parameters(plain);
            ArgumentException exception = Assert.Throws<ArgumentException>(() => Trainer.Fit(ref plain, inputs, targets, new TrainerOptions { Epochs = 2, FitInputScaling = true }));
            Assert.Contains("InputScaling = true", exception.Message, StringComparison.Ordinal);
            Assert.Equal(before, Networks.Parameters(plain));
        }

        // ---- [BakedParameters] ----------------------------------------------------------------

        [Fact]
        public void A_baked_network_bakes_the_scaling_of_its_file()
        {
            INetwork<float> source = ScaledSmall(out float[] offset, out float[] scale);
            var json = new StringWriter();
            ParameterFile.SaveJson(source, json);
            const string Baked = """
                using BackpropGen;
                [Network(3, InputScaling = true)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                [BakedParameters("small.json")]
                public partial class BakedSmall { }

                [Network(3, InputScaling = true)]
                [Layer(5, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                [BakedParameters("plain.json")]
                public partial class BakedFromPlain { }
                """;
            INetwork<float> plain = Create<float>(s_net10.Value, "SmallPlain");
            plain.InitializeParameters(4);
            var plainJson = new StringWriter();
            ParameterFile.SaveJson(plain, plainJson);

            GeneratorOutcome outcome = GeneratorHarness.Run(new[] { Baked }, additionalTexts: new[] { new GeneratorHarness.InMemoryAdditionalText("/p/small.json", json.ToString()), new GeneratorHarness.InMemoryAdditionalText("/p/plain.json", plainJson.ToString()) });
            string generated = outcome.GeneratedSources.Single(s => s.HintName.StartsWith("BakedSmall", StringComparison.Ordinal)).SourceText.ToString();
            Assert.DoesNotContain("SetInputScaling", generated, StringComparison.Ordinal);
            Assert.Contains("(input[0] - " + Literal(offset[0]) + ") * " + Literal(scale[0]), generated, StringComparison.Ordinal);

            using var stream = new MemoryStream();
            GeneratorHarness.EmitClean(outcome, stream);
            Assembly assembly = Assembly.Load(stream.ToArray());
            var baked = (IReadOnlyNetwork<float>)Activator.CreateInstance(assembly.GetType("BakedSmall", throwOnError: true)!)!;
            Assert.False(baked is IInputScaling<float>);
            var copiedOffset = new float[3];
            var copiedScale = new float[3];
            ((IReadOnlyInputScaling<float>)baked).CopyInputScalingTo(copiedOffset, copiedScale);
            Assert.Equal(offset, copiedOffset);
            Assert.Equal(scale, copiedScale);
            float[] x = { 1003, -41, 7 };
            var expected = new float[2];
            var output = new float[2];
            source.Forward(x, expected);
            baked.Forward(x, output);
            Assert.Equal(expected, output);

            // A file saved without scaling bakes μ = 0 and s = 1, as LoadJson loads it.
            var fromPlain = (IReadOnlyNetwork<float>)Activator.CreateInstance(assembly.GetType("BakedFromPlain", throwOnError: true)!)!;
            ((IReadOnlyInputScaling<float>)fromPlain).CopyInputScalingTo(copiedOffset, copiedScale);
            Assert.Equal(new float[3], copiedOffset);
            Assert.Equal(new float[] { 1, 1, 1 }, copiedScale);
            float[] small = { 0.5f, -0.25f, 0.125f };
            plain.Forward(small, expected);
            fromPlain.Forward(small, output);
            Assert.Equal(expected, output);
        }

        [Fact]
        public void The_new_member_names_are_reserved()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run("using BackpropGen;\n[Network(2)][Layer(1, Activation.Sigmoid)] public partial class Clash { public void SetInputScaling() { } }\n");
            Assert.Equal("BPG0018", Assert.Single(outcome.GeneratorDiagnostics).Id);
        }

        [Theory]
        [InlineData(TargetProfile.NetStandard20, Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3)]
        [InlineData(TargetProfile.NetStandard21, Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9)]
        public void The_scaled_networks_compile_clean_for_netstandard_and_old_language_versions(TargetProfile profile, Microsoft.CodeAnalysis.CSharp.LanguageVersion version)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(new[] { FrozenSource, Source }, profile, version);
            using var stream = new MemoryStream();
            GeneratorHarness.EmitClean(outcome, stream);
            Assert.Equal(9, outcome.GeneratedSources.Count());
        }

        // ---- helpers --------------------------------------------------------------------------

        private static INetwork<float> ScaledSmall(out float[] offset, out float[] scale)
        {
            INetwork<float> network = Create<float>(s_net10.Value, "Small");
            network.InitializeParameters(12);
            offset = new[] { 1000.5f, -40.25f, 3 };
            scale = new[] { 0.01f, -0.3f, 7 };
            ((IInputScaling<float>)network).SetInputScaling(offset, scale);
            return network;
        }

        private static void AssertScaling<T>(INetwork<T> network, T[] offset, T[] scale)
            where T : struct
        {
            var copiedOffset = new T[network.InputCount];
            var copiedScale = new T[network.InputCount];
            ((IInputScaling<T>)network).CopyInputScalingTo(copiedOffset, copiedScale);
            Assert.Equal(offset, copiedOffset);
            Assert.Equal(scale, copiedScale);
        }

        /// <summary>Samples of (distance in m, closing speed): 1 when the chaser should jump.</summary>
        private static void MakeGameData(out float[] inputs, out float[] targets, int count)
        {
            var random = new Random(42);
            inputs = new float[2 * count];
            targets = new float[count];
            for (int i = 0; i < count; i++)
            {
                double distance = 500 + (random.NextDouble() * 1000);
                double speed = 2000 + (random.NextDouble() * 2000);
                inputs[2 * i] = (float)distance;
                inputs[(2 * i) + 1] = (float)speed;
                targets[i] = ((distance - 1000) / 300) + ((speed - 3000) / 600) > 0 ? 1 : 0;
            }
        }

        private static T[] Output<T>(IReadOnlyNetwork<T> network, T[] x)
            where T : struct
        {
            var output = new T[network.OutputCount];
            network.Forward(x, output);
            return output;
        }

        /// <summary>(x − μ)·s in the network's own type, as an independent standardization.</summary>
        private static T[] Standardize<T>(T[] x, T[] offset, T[] scale)
            where T : struct
        {
            if (typeof(T) == typeof(float))
            {
                float[] xs = (float[])(object)x, mu = (float[])(object)offset, s = (float[])(object)scale;
                return (T[])(object)xs.Select((v, k) => (v - mu[k]) * s[k]).ToArray();
            }

            double[] xd = (double[])(object)x, mud = (double[])(object)offset, sd = (double[])(object)scale;
            return (T[])(object)xd.Select((v, k) => (v - mud[k]) * sd[k]).ToArray();
        }

        private static T[] Values<T>(IEnumerable<double> values)
            where T : struct =>
            typeof(T) == typeof(float) ? (T[])(object)values.Select(v => (float)v).ToArray() : (T[])(object)values.ToArray();

        internal static INetwork<T> Create<T>(Assembly assembly, string name)
            where T : struct => Networks.Create<T>(assembly, "Scaling." + name);

        internal static string Generated(string source, TargetProfile profile, string typeName) =>
            GeneratorHarness.Run(source, profile).GeneratedSources.Single(s => s.HintName == typeName + ".BackpropGen.g.cs").SourceText.ToString();

        private static string Literal(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) is var text && text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + "f)" : text + "f";
    }

    /// <summary>
    /// <see cref="InputScalingTests"/>' twin comparison in the shapes that need large compiles: a
    /// 36-22-10 network (split past 768 parameters, vector on .NET 10 with scalar tails, split scalar
    /// on netstandard2.1) and a 300-input double network (split, SetInputScaling in two blocks of up to
    /// 256 inputs), both run on both targets.
    /// </summary>
    [Trait("Category", "Slow")]
    public class InputScalingShapeTests
    {
        private const string Source = """
            using BackpropGen;
            namespace Scaling
            {
                [Network(36, InputScaling = true, Optimizer = Optimizer.Momentum)]
                [Layer(22, Activation.ReLU)]
                [Layer(10, Activation.Sigmoid)]
                public partial class Wide { }

                [Network(36, Optimizer = Optimizer.Momentum)]
                [Layer(22, Activation.ReLU)]
                [Layer(10, Activation.Sigmoid)]
                public partial class WidePlain { }

                [Network(300, InputScaling = true, Precision = Precision.Double)]
                [Layer(3, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Many { }

                [Network(300, Precision = Precision.Double)]
                [Layer(3, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class ManyPlain { }
            }
            """;

        private static readonly Lazy<Assembly> s_net10 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.Net10));
        private static readonly Lazy<Assembly> s_netStandard21 = new(() => GeneratorHarness.CompileAndLoad(Source, TargetProfile.NetStandard21));

        [Fact]
        public void The_shapes_are_the_ones_under_test()
        {
            string net10 = InputScalingTests.Generated(Source, TargetProfile.Net10, "Scaling.Wide");
            string netStandard21 = InputScalingTests.Generated(Source, TargetProfile.NetStandard21, "Scaling.Wide");
            Assert.Contains("BpgVector256.IsHardwareAccelerated", net10, StringComparison.Ordinal);
            Assert.Contains("BpgInput0(input, ref s);", net10, StringComparison.Ordinal);
            Assert.DoesNotContain("BpgVector256", netStandard21, StringComparison.Ordinal);
            Assert.Contains("BpgInput0(input, ref s);", netStandard21, StringComparison.Ordinal);
            Assert.Contains("BpgSetInputScaling1(offset, scale);", InputScalingTests.Generated(Source, TargetProfile.Net10, "Scaling.Many"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(TargetProfile.Net10)]
        [InlineData(TargetProfile.NetStandard21)]
        public void Every_member_sees_the_standardized_input(TargetProfile profile)
        {
            Assembly assembly = profile == TargetProfile.Net10 ? s_net10.Value : s_netStandard21.Value;
            InputScalingTests.EveryMemberSeesTheStandardizedInput<float>(assembly, "Wide");
            InputScalingTests.EveryMemberSeesTheStandardizedInput<double>(assembly, "Many");
            InputScalingTests.IdentityUntilSet<double>(assembly, "Many");
        }

        [Fact]
        public void The_members_do_not_allocate() => InputScalingTests.MembersDoNotAllocate(InputScalingTests.Create<float>(s_net10.Value, "Wide"));
    }
}
