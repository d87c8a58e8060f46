using System;
using System.IO;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>Frozen networks (Trainable = false), baked parameters from AdditionalFiles, named inputs and outputs.</summary>
    public class FrozenAndBakedTests
    {
        private const string Shape = "[Network(3, Loss = LossFunction.CrossEntropy{0})][Layer(5, Activation.Tanh)][Layer(2, Activation.Softmax)]";

        private static readonly Lazy<Assembly> s_trainable = new(() => GeneratorHarness.CompileAndLoad($$"""
            using BackpropGen;
            namespace Shipped
            {
                {{string.Format(System.Globalization.CultureInfo.InvariantCulture, Shape, ", Optimizer = Optimizer.Adam")}}
                public partial class Trainable { }

                {{string.Format(System.Globalization.CultureInfo.InvariantCulture, Shape, ", Trainable = false")}}
                public partial class Frozen { }

                {{string.Format(System.Globalization.CultureInfo.InvariantCulture, Shape, ", Precision = Precision.Double")}}
                public partial class TrainableDouble { }

                [Network(2, InputNames = new[] { "speed", "distance" }, OutputNames = new[] { "jump", "duck" })]
                [Layer(4, Activation.Tanh)]
                [Layer(2, Activation.Sigmoid)]
                public partial struct Named { }

                [Network(2, InputNames = new[] { "speed", "distance" }, Trainable = false)]
                [Layer(2, Activation.Sigmoid)]
                public partial class NamedInputsOnly { }
            }
            """));

        private static (float[] Parameters, string Json) TrainedParameters()
        {
            INetwork<float> network = Networks.Create<float>(s_trainable.Value, "Shipped.Trainable");
            network.InitializeParameters(5);
            var random = new ParameterRandom(3);
            for (int i = 0; i < 200; i++)
            {
                float[] x = { (float)random.NextUniform(1), (float)random.NextUniform(1), (float)random.NextUniform(1) };
                network.TrainStep(x, x[0] > x[1] ? new[] { 1f, 0f } : new[] { 0f, 1f }, 0.01f);
            }

            var json = new StringWriter();
            ParameterFile.SaveJson(network, json);
            return (Networks.Parameters(network), json.ToString());
        }

        private static AdditionalText File(string path, string text) => new GeneratorHarness.InMemoryAdditionalText(path, text);

        [Fact]
        public void A_frozen_network_has_inference_only_and_works_with_parameter_files()
        {
            Type frozen = s_trainable.Value.GetType("Shipped.Frozen", throwOnError: true)!;
            Assert.True(typeof(IInferenceNetwork<float>).IsAssignableFrom(frozen));
            Assert.False(typeof(INetwork<float>).IsAssignableFrom(frozen));
            Assert.Null(frozen.GetMethod("TrainStep"));
            Assert.Null(frozen.GetMethod("AccumulateGradient"));
            Assert.DoesNotContain(frozen.GetFields(BindingFlags.Instance | BindingFlags.NonPublic), f => f.Name.StartsWith("_m", StringComparison.Ordinal));

            var (parameters, json) = TrainedParameters();
            var network = (IInferenceNetwork<float>)Activator.CreateInstance(frozen)!;
            ParameterFile.LoadJson(network, new StringReader(json));
            INetwork<float> trainable = Networks.Create<float>(s_trainable.Value, "Shipped.Trainable");
            trainable.LoadParameters(parameters);

            float[] x = { 0.3f, -0.2f, 0.9f };
            float[] expected = new float[2], actual = new float[2];
            trainable.Forward(x, expected);
            network.Forward(x, actual);
            Assert.Equal(expected, actual);
        }

        [Fact]
        public void A_baked_network_computes_bit_for_bit_what_the_trainable_one_does_and_has_no_fields()
        {
            var (parameters, json) = TrainedParameters();
            Assembly baked = GeneratorHarness.CompileAndLoad(
                "using BackpropGen;\nnamespace Shipped\n{\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Shape, string.Empty) + "\n[BakedParameters(\"Models/brain.json\")]\npublic partial class Baked { }\n}\n",
                additionalTexts: new[] { File("/project/Models/brain.json", json), File("/project/other.json", "{}") });

            Type type = baked.GetType("Shipped.Baked", throwOnError: true)!;
            Assert.Empty(type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic));
            Assert.False(typeof(IInferenceNetwork<float>).IsAssignableFrom(type));
            var network = (IReadOnlyNetwork<float>)Activator.CreateInstance(type)!;
            var copied = new float[network.ParameterCount];
            network.CopyParametersTo(copied);
            Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), copied.Select(BitConverter.SingleToInt32Bits));

            INetwork<float> trainable = Networks.Create<float>(s_trainable.Value, "Shipped.Trainable");
            trainable.LoadParameters(parameters);
            var random = new ParameterRandom(11);
            float[] expected = new float[2], actual = new float[2];
            for (int i = 0; i < 1000; i++)
            {
                float[] x = { (float)random.NextUniform(3), (float)random.NextUniform(3), (float)random.NextUniform(3) };
                trainable.Forward(x, expected);
                network.Forward(x, actual);
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(BitConverter.SingleToInt32Bits(trainable.ComputeLoss(x, new[] { 1f, 0f })), BitConverter.SingleToInt32Bits(network.ComputeLoss(x, new[] { 1f, 0f })));
            }

            // Saving a baked network works (it is read-only, not load-only).
            var again = new StringWriter();
            ParameterFile.SaveJson(network, again);
            Assert.Equal(json, again.ToString());
        }

        [Fact]
        public void A_double_file_bakes_into_a_double_network_exactly()
        {
            INetwork<double> source = Networks.Create<double>(s_trainable.Value, "Shipped.TrainableDouble");
            source.InitializeParameters(9);
            var json = new StringWriter();
            ParameterFile.SaveJson(source, json);
            Assembly baked = GeneratorHarness.CompileAndLoad(
                "using BackpropGen;\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Shape, ", Precision = Precision.Double") + "\n[BakedParameters(\"brain.json\")]\npublic partial struct BakedDouble { }\n",
                additionalTexts: new[] { File("C:\\\\game\\\\brain.json", json.ToString()) });
            var network = (IReadOnlyNetwork<double>)Activator.CreateInstance(baked.GetType("BakedDouble", throwOnError: true)!)!;
            var copied = new double[network.ParameterCount];
            network.CopyParametersTo(copied);
            Assert.Equal(Networks.Parameters(source), copied);
        }

        /// <summary>A parameter file's header for a network of <paramref name="inputs"/> inputs and one layer, up to its "parameters".</summary>
        private static string Header(int inputs, int size, string activation, string format = "\"format\": \"BackpropGen.Parameters\", \"version\": 1, ") =>
            "{ " + format + "\"inputs\": " + inputs.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"layers\": [{ \"size\": " + size.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"activation\": \"" + activation + "\" }], ";

        /// <summary>A complete file for a 1 → 1 Linear network.</summary>
        private static string OneByOne(string parameters) => Header(1, 1, "Linear") + "\"parameters\": [" + parameters + "] }";

        // Bad files for a 3 → 2 Tanh network: exactly what ParameterFile.LoadJson refuses (one validator, ParameterJson).
        public static TheoryData<string, string, string> BadFiles => new()
        {
            { "BPG0021", "{ \"parameters\": [1, 2,, 3] }", "line 1" },
            { "BPG0021", "  ", "is empty" },
            { "BPG0021", "[1, 2, 3]", "not a BackpropGen parameter file" },
            { "BPG0021", "{ \"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }", "\"format\": \"BackpropGen.Parameters\"" },
            { "BPG0021", Header(3, 2, "Tanh", "\"format\": \"BackpropGen.Parameters\", \"version\": 2, ") + "\"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }", "\"version\": 1" },
            { "BPG0021", "{ \"format\": \"BackpropGen.Parameters\", \"version\": 1, \"layers\": [{ \"size\": 2, \"activation\": \"Tanh\" }], \"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }", "\"inputs\"" },
            { "BPG0021", "{ \"format\": \"BackpropGen.Parameters\", \"version\": 1, \"inputs\": 3, \"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }", "\"layers\"" },
            { "BPG0021", Header(3, 2, "Tanh") + "\"parameters\": [1, 2, 3, 4, 5, 6, 7, \"eight\"] }", "not a number" },
            { "BPG0021", Header(3, 2, "Tanh") + "\"weights\": [] }", "needs \"parameters\"" },
            { "BPG0022", Header(3, 2, "Tanh") + "\"parameters\": [1, 2, 3] }", "holds 3 parameters" },
            { "BPG0023", Header(3, 2, "Tanh") + "\"parameters\": [" + string.Join(", ", Enumerable.Repeat("0.5", 7)) + ", 1e39] }", "[7]" },
            { "BPG0024", Header(3, 1, "Tanh") + "\"loss\": \"HalfSquaredError\", \"parameters\": [] }", "3 inputs → 2 Tanh" },
            { "BPG0024", Header(2, 2, "Sigmoid") + "\"loss\": \"HalfSquaredError\", \"parameters\": [1, 2, 3, 4, 5, 6] }", "Sigmoid" },
            { "BPG0028", Header(3, 2, "Tanh", "\"format\": \"BackpropGen.Parameters\", \"version\": 2, ") + "\"inputScaling\": { \"offset\": [0, 0, 0], \"scale\": [1, 1, 1] }, \"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }", "InputScaling = true" },
        };

        [Fact]
        public void A_baked_file_saved_with_another_loss_is_baked()
        {
            // The loss is a training setting, not part of the shape (as for ParameterFile.LoadJson).
            const string Source = "using BackpropGen;\n[Network(3, Loss = LossFunction.MeanSquaredError)][Layer(2, Activation.Tanh)][BakedParameters(\"w.json\")]\npublic partial class Good { }\n";
            string file = Header(3, 2, "Tanh") + "\"loss\": \"HalfSquaredError\", \"parameters\": [1, 2, 3, 4, 5, 6, 7, 8] }";
            GeneratorOutcome outcome = GeneratorHarness.Run(new[] { Source }, additionalTexts: new[] { File("/p/w.json", file) });
            GeneratorHarness.AssertClean(outcome);
            Assert.Single(outcome.GeneratedSources);
        }

        [Theory]
        [MemberData(nameof(BadFiles))]
        public void A_bad_baked_file_is_reported_on_the_attribute_argument(string id, string content, string messagePart)
        {
            const string Source = "using BackpropGen;\n[Network(3)][Layer(2, Activation.Tanh)][BakedParameters(\"bad.json\")]\npublic partial class Bad { }\n";
            GeneratorOutcome outcome = GeneratorHarness.Run(new[] { Source }, additionalTexts: new[] { File("/p/bad.json", content) });

            Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal("\"bad.json\"", Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
            Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Empty(outcome.GeneratedSources);
        }

        [Fact]
        public void Editing_the_baked_file_regenerates_the_network_and_other_networks_stay_cached()
        {
            const string Source = "using BackpropGen;\n[Network(1)][Layer(1, Activation.Linear)][BakedParameters(\"w.json\")]\npublic partial class One { }\n[Network(1)][Layer(1, Activation.Linear)]\npublic partial class Other { }\n";
            var compilation = GeneratorHarness.CreateCompilation(new[] { Source });
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)compilation.SyntaxTrees.First().Options;
            AdditionalText first = File("/p/w.json", OneByOne("2, 3"));
            GeneratorDriver driver = GeneratorHarness.CreateDriver(options, new[] { first }).RunGenerators(compilation);
            Assert.Contains("2f * a0_0 + 3f", driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.Contains("One", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);

            driver = driver.ReplaceAdditionalText(first, File("/p/w.json", OneByOne("-4, 5"))).RunGenerators(compilation);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            Assert.Contains("(-4f) * a0_0 + 5f", result.GeneratedSources.Single(s => s.HintName.StartsWith("One", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
            var emitted = result.TrackedSteps[TrackingNames.EmitInputs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.Equal(1, emitted.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(1, emitted.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }

        [Fact]
        public void Baked_paths_match_exactly_keep_hidden_names_and_refuse_ambiguity()
        {
            const string Source = "using BackpropGen;\n[Network(1)][Layer(1, Activation.Linear)][BakedParameters(\"{0}\")]\npublic partial class Net {{ }}\n";
            string[] Run(string path, params AdditionalText[] files)
            {
                GeneratorOutcome outcome = GeneratorHarness.Run(new[] { string.Format(System.Globalization.CultureInfo.InvariantCulture, Source, path) }, additionalTexts: files);
                return outcome.GeneratorDiagnostics.Select(d => d.Id).Concat(outcome.GeneratedSources.Select(s => s.SourceText.ToString().Contains("(-1f) * a0_0", StringComparison.Ordinal) ? "other" : "generated")).ToArray();
            }

            Assert.Equal(new[] { "generated" }, Run(".weights.json", File("/proj/.weights.json", OneByOne("2, 3"))));
            Assert.Equal(new[] { "generated" }, Run("./Models/w.json", File("/proj/Models/w.json", OneByOne("2, 3")), File("/proj/OtherModels/w.json", OneByOne("-1, 3"))));
            Assert.Equal(new[] { "BPG0021" }, Run("w.json", File("/proj/Other/w.json", OneByOne("-1, 3")), File("/proj/w.json", OneByOne("2, 3"))));
            Assert.Equal(new[] { "BPG0021" }, Run("w.json", File("/proj/w.json", new string('[', 100_000))));
        }

        [Fact]
        public void Named_inputs_and_outputs_give_a_typed_overload()
        {
            Type type = s_trainable.Value.GetType("Shipped.Named", throwOnError: true)!;
            MethodInfo typed = type.GetMethod("Forward", new[] { typeof(float), typeof(float), typeof(float).MakeByRefType(), typeof(float).MakeByRefType() })!;
            Assert.Equal(new[] { "speed", "distance", "jump", "duck" }, typed.GetParameters().Select(p => p.Name));

            object network = Activator.CreateInstance(type)!;
            ((INetwork<float>)network).InitializeParameters(4); // boxed: the same box is used below
            var span = new float[2];
            ((INetwork<float>)network).Forward(new[] { 0.7f, -1.5f }, span);
            object?[] arguments = { 0.7f, -1.5f, null, null };
            typed.Invoke(network, arguments);
            Assert.Equal(span[0], (float)arguments[2]!);
            Assert.Equal(span[1], (float)arguments[3]!);

            MethodInfo inputsOnly = s_trainable.Value.GetType("Shipped.NamedInputsOnly", throwOnError: true)!.GetMethods().Single(m => m.Name == "Forward" && m.GetParameters().Length == 3);
            Assert.Equal(new[] { "speed", "distance", "output" }, inputsOnly.GetParameters().Select(p => p.Name));
        }
    }
}
