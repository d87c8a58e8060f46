using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Every BPG diagnostic: its ID, and its exact place. In each source <c>{|…|}</c> marks the span
    /// the diagnostic must point at; no network is generated for a declaration with an error.
    /// </summary>
    public class DiagnosticTests
    {
        public static IEnumerable<object[]> Cases => new[]
        {
            Case("BPG0001", "[Network(2)][Layer(1, Activation.Sigmoid)] public class {|NotPartial|} { }"),
            Case("BPG0002", "public class {|Outer|} { [Network(2)][Layer(1, Activation.Sigmoid)] public partial class Inner { } }"),
            Case("BPG0003", "[Network(2)][Layer(1, Activation.Sigmoid)] public partial class {|Generic|}<T> { }"),
            Case("BPG0003", "public partial class {|Outer|}<T> { [Network(2)][Layer(1, Activation.Sigmoid)] public partial class Inner { } }"),
            Case("BPG0004", "[{|Network(2)|}] public partial class NoLayers { }"),
            Case("BPG0005", "[{|Layer(2, Activation.Sigmoid)|}][Layer(1, Activation.Sigmoid)] public partial class Orphan { }"),
            Case("BPG0006", "[Network({|0|})][Layer(1, Activation.Sigmoid)] public partial class ZeroInputs { }"),
            Case("BPG0006", "[Network(inputs: {|-1|})][Layer(1, Activation.Sigmoid)] public partial class NegativeNamedInputs { }"),
            Case("BPG0006", "[Network(2)][Layer(3, Activation.Tanh)][Layer({|-3|}, Activation.Sigmoid)] public partial class NegativeLayer { }"),
            Case("BPG0007", "[Network(2)][Layer(2, {|(Activation)42|})] public partial class BadActivation { }"),
            Case("BPG0007", "[Network(2, Loss = {|(LossFunction)9|})][Layer(2, Activation.Sigmoid)] public partial class BadLoss { }"),
            Case("BPG0007", "[Network(2, Precision = {|(Precision)3|})][Layer(2, Activation.Sigmoid)] public partial class BadPrecision { }"),
            Case("BPG0008", "[Network(2)][Layer(2, {|Activation.Softmax|})][Layer(1, Activation.Sigmoid)] public partial class HiddenSoftmax { }"),
            Case("BPG0016", "[Network(2)][Layer(3, {|Activation.Softmax|})] public partial class SoftmaxWithSquaredError { }"),
            Case("BPG0016", "[Network(2, Loss = LossFunction.MeanSquaredError)][Layer(3, {|Activation.Softmax|})] public partial class SoftmaxWithMeanSquaredError { }"),
            Case("BPG0016", "[Network(2, Loss = {|LossFunction.CrossEntropy|})][Layer(3, Activation.Sigmoid)] public partial class CrossEntropyWithSigmoid { }"),
            Case("BPG0016", "[Network(2, Loss = {|LossFunction.BinaryCrossEntropy|})][Layer(1, Activation.Tanh)] public partial class BinaryCrossEntropyWithTanh { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Adam, Beta1 = {|1.0|})][Layer(1, Activation.Sigmoid)] public partial class BetaOne { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Adam, Beta2 = {|-0.5|})][Layer(1, Activation.Sigmoid)] public partial class NegativeBeta { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Momentum, Momentum = {|1.5|})][Layer(1, Activation.Sigmoid)] public partial class BigMomentum { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Adam, Epsilon = {|0|})][Layer(1, Activation.Sigmoid)] public partial class ZeroEpsilon { }"),
            Case("BPG0017", "[Network(2, WeightDecay = {|-1e-4|})][Layer(1, Activation.Sigmoid)] public partial class NegativeDecay { }"),
            Case("BPG0017", "[Network(2, WeightDecay = {|double.NaN|})][Layer(1, Activation.Sigmoid)] public partial class NaNDecay { }"),
            Case("BPG0007", "[Network(2, Optimizer = {|(Optimizer)7|})][Layer(1, Activation.Sigmoid)] public partial class BadOptimizer { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] file partial class FileLocal { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Adam, Beta2 = {|0.99999999999|})][Layer(1, Activation.Sigmoid)] public partial class BetaRoundsToOne { }"),
            Case("BPG0017", "[Network(2, Optimizer = Optimizer.Adam, Epsilon = {|1e-50|})][Layer(1, Activation.Sigmoid)] public partial class EpsilonRoundsToZero { }"),
            Case("BPG0017", "[Network(2, WeightDecay = {|1e39|})][Layer(1, Activation.Sigmoid)] public partial class DecayOverflowsFloat { }"),
            Case("BPG0018", "[Network(2)][Layer(1, Activation.Sigmoid)] public partial class ClashMethod { public void {|Forward|}() { } }"),
            Case("BPG0018", "[Network(2)][Layer(1, Activation.Sigmoid)] public partial class ClashField { private float {|_w1_0_0|}; }"),
            Case("BPG0018", "public class Base { public int InputCount; } [Network(2)][Layer(1, Activation.Sigmoid)] public partial class {|Derived|} : Base { }"),
            Case("BPG0018", "[Network(2)][Layer(1, Activation.Sigmoid)] public partial class {|Topology|} { }"),
            Case("BPG0019", "[Network(2, Beta1 = {|0.8|})][Layer(1, Activation.Sigmoid)] public partial class BetaWithSgd { }"),
            Case("BPG0019", "[Network(2, Optimizer = Optimizer.Adam, Momentum = {|0.5|})][Layer(1, Activation.Sigmoid)] public partial class MomentumWithAdam { }"),
            Case("BPG0020", "[Network(2)][Layer(1, Activation.Sigmoid)][BakedParameters({|\"missing.json\"|})] public partial class NotListed { }"),
            Case("BPG0013", "[Network(2)][Layer(1, Activation.Sigmoid)][BakedParameters({|\"\"|})] public partial class EmptyPath { }"),
            Case("BPG0025", "[Network(2, InputNames = {|new[] { \"speed\" }|})][Layer(1, Activation.Sigmoid)] public partial class TooFewNames { }"),
            Case("BPG0025", "[Network(2, InputNames = {|new[] { \"speed\", \"2fast\" }|})][Layer(1, Activation.Sigmoid)] public partial class NotAnIdentifier { }"),
            Case("BPG0025", "[Network(2, InputNames = {|new[] { \"speed\", \"class\" }|})][Layer(1, Activation.Sigmoid)] public partial class KeywordName { }"),
            Case("BPG0025", "[Network(2, InputNames = new[] { \"speed\", \"jump\" }, OutputNames = {|new[] { \"jump\" }|})][Layer(1, Activation.Sigmoid)] public partial class DuplicateName { }"),
            Case("BPG0025", "[Network(2, InputNames = {|new[] { \"a\", \"output\" }|})][Layer(1, Activation.Sigmoid)] public partial class TakenName { }"),
            Case("BPG0025", "[Network(2, OutputNames = {|new[] { \"Forward\" }|})][Layer(1, Activation.Sigmoid)] public partial class MethodName { }"),
            Case("BPG0010", "[{|Network(1000)|}][Layer(100, Activation.Tanh)][Layer(10, Activation.Sigmoid)] public partial class TooLarge { }"),
            Case("BPG0011", "[Network(2)][Layer(2, Activation.Tanh)] public partial class Split { } [{|Layer(1, Activation.Sigmoid)|}] public partial class Split { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] public static partial class StaticClass { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] public partial record RecordNet { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] public readonly partial struct ReadOnlyNet { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] public ref partial struct RefNet { }"),
            Case("BPG0012", "[{|Network(2)|}][Layer(1, Activation.Sigmoid)] public partial interface IInterfaceNet { }"),
            Case("BPG0012", "[{|Network(2)|}] public enum EnumNet { A }"),
            Case("BPG0013", "[{|Network|}][Layer(1, Activation.Sigmoid)] public partial class MissingInputs { }"),
            Case("BPG0013", "[{|Network(\"two\")|}][Layer(1, Activation.Sigmoid)] public partial class StringInputs { }"),
            Case("BPG0013", "[Network(2)][{|Layer(1)|}] public partial class MissingActivation { }"),
            Case("BPG0014", "[Network(2)][{|Network(3)|}][Layer(1, Activation.Sigmoid)] public partial class TwoNetworks { }"),
            Case("BPG0014", "[Network(2)][Layer(1, Activation.Sigmoid)] public partial class TwoDeclarations { } [{|Network(3)|}] public partial class TwoDeclarations { }"),
        };

        private static object[] Case(string id, string markup) => new object[] { id, markup };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Reports_the_diagnostic_on_the_offending_syntax(string id, string markup)
        {
            const string Prefix = "using BackpropGen;\nnamespace Cases\n{\n";
            int open = markup.IndexOf("{|", StringComparison.Ordinal);
            int close = markup.IndexOf("|}", StringComparison.Ordinal);
            string source = Prefix + markup.Remove(close, 2).Remove(open, 2) + "\n}\n";
            var expected = new TextSpan(Prefix.Length + open, close - open - 2);

            GeneratorOutcome outcome = GeneratorHarness.Run(source);

            Diagnostic[] ours = outcome.GeneratorDiagnostics.Where(d => d.Id.StartsWith("BPG", StringComparison.Ordinal)).ToArray();
            Diagnostic diagnostic = Assert.Single(ours);
            Assert.Equal(id, diagnostic.Id);
            bool warning = id == "BPG0019";
            Assert.Equal(warning ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(expected, diagnostic.Location.SourceSpan);
            Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
            Assert.DoesNotContain("{", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Equal(warning ? 1 : 0, outcome.GeneratedSources.Count());
        }

        [Theory]
        [InlineData("[Network(5)]\n[Layer(3, Activation.Tanh)]\npublic partial class")]
        [InlineData("public partial class\n{\n[Network(5)]\n[Layer(3, Activation.Tanh)]\npublic partial class Inner { }\n}")]
        public void Code_mid_typing_without_a_type_name_generates_nothing(string source)
        {
            // Found by GeneratorFuzzTests: a nameless type once produced "partial class  : INetwork<float>".
            GeneratorOutcome outcome = GeneratorHarness.Run("using BackpropGen;\nnamespace Typing\n{\n" + source + "\n}\n");
            Assert.Empty(outcome.GeneratedSources);
            Assert.DoesNotContain(outcome.AllDiagnostics, d => d.Location.SourceTree is { } tree && !outcome.Input.SyntaxTrees.Contains(tree));
        }

        [Fact]
        public void Every_diagnostic_has_a_test_case()
        {
            HashSet<string> tested = Cases.Select(c => (string)c[0]).ToHashSet();
            tested.Add(DiagnosticDescriptors.GeneratorFailure.Id); // Unexpected_failure_becomes_BPG0015
            tested.UnionWith(FrozenAndBakedTests.BadFiles.Select(row => (string)row[0])); // files in AdditionalFiles
            Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(x => x), tested.OrderBy(x => x));
        }

        [Fact]
        public void Every_diagnostic_is_documented_with_a_help_link()
        {
            string root = ReferenceAssemblies.Metadata("RepositoryRoot");
            foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
            {
                string page = Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md");
                Assert.True(File.Exists(page), "Missing " + page);
                Assert.StartsWith("# " + descriptor.Id, File.ReadAllText(page), StringComparison.Ordinal);
                Assert.EndsWith("/docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
                Assert.Contains(descriptor.Id, File.ReadAllText(Path.Combine(root, "README.md")), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Unexpected_failure_becomes_BPG0015()
        {
            var spec = new NetworkSpec(
                Namespace: null,
                ContainingTypes: EquatableArray<ContainingTypeSpec>.Empty,
                TypeName: "Broken",
                IsStruct: false,
                HintName: "Broken.BackpropGen.g.cs",
                Inputs: 2,
                Layers: new EquatableArray<LayerSpec>(new[] { new LayerSpec(1, (Model.Activation)99) }),
                Loss: Model.LossFunction.HalfSquaredError,
                Precision: Model.Precision.Single,
                Optimizer: OptimizerSpec.Default,
                Trainable: true,
                InputNames: EquatableArray<string>.Empty,
                OutputNames: EquatableArray<string>.Empty,
                BakedParameters: EquatableArray<double>.Empty);

            bool emitted = NetworkGenerator.TryEmit(spec, new TargetFeatures(true, true), out string? source, out Diagnostic? failure);

            Assert.False(emitted);
            Assert.Null(source);
            Assert.Equal("BPG0015", failure!.Id);
            Assert.Contains("Broken", failure.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException", failure.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }
}
