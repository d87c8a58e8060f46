using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
            Case("BPG0026", "[Network(16, Explain = {|true|})][Layer(16, Activation.Tanh)][Layer(1, Activation.Sigmoid)] public partial class TooLargeToExplain { }"),
            Case("BPG0027", "[Network(2, Trainable = false, Explain = {|true|})][Layer(1, Activation.Sigmoid)] public partial class FrozenExplained { }"),
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

        /// <summary>Every descriptor of the catalog, found by reflection (the generator keeps no list).</summary>
        internal static IEnumerable<DiagnosticDescriptor> AllDescriptors =>
            typeof(DiagnosticDescriptors)
                .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
                .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

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
            bool warning = AllDescriptors.Single(d => d.Id == id).DefaultSeverity == DiagnosticSeverity.Warning;
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
            Assert.Equal(AllDescriptors.Select(d => d.Id).OrderBy(x => x), tested.OrderBy(x => x));
        }

        [Fact]
        public void Every_diagnostic_is_documented_with_a_help_link()
        {
            string root = ReferenceAssemblies.Metadata("RepositoryRoot");
            foreach (DiagnosticDescriptor descriptor in AllDescriptors)
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

        [Theory]
        [MemberData(nameof(Cases))]
        public void Every_diagnostic_is_located_in_the_compilations_own_syntax_tree(string id, string markup)
        {
            // A location built from a path alone is an "external file": #pragma and .editorconfig
            // severities, looked up through the syntax tree, would not apply to it.
            GeneratorOutcome outcome = GeneratorHarness.Run("using BackpropGen;\nnamespace Cases\n{\n" + markup.Replace("{|", "", StringComparison.Ordinal).Replace("|}", "", StringComparison.Ordinal) + "\n}\n");

            Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
            Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
            Assert.Same(outcome.Input.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
        }

        private const string UnusedBeta = "[Network(2, Beta1 = 0.8)][Layer(1, Activation.Sigmoid)] public partial class ";

        [Fact]
        public void Pragma_warning_disable_suppresses_BPG0019_where_it_stands()
        {
            string source = "using BackpropGen;\nnamespace Pragmas\n{\n" +
                "#pragma warning disable BPG0019\n" + UnusedBeta + "Quiet { }\n#pragma warning restore BPG0019\n" +
                UnusedBeta + "Loud { }\n}\n";
            CSharpCompilation input = GeneratorHarness.CreateCompilation(new[] { source });

            GeneratorHarness.CreateDriver((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)input.SyntaxTrees.First().Options)
                .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> reported);

            // What the compiler reports: the warning inside the pragma region is suppressed, the other is not.
            Diagnostic[] warnings = reported.Where(d => d.Id == "BPG0019").OrderBy(d => d.Location.SourceSpan.Start).ToArray();
            Assert.Equal(2, warnings.Length);
            Assert.True(warnings[0].IsSuppressed, "BPG0019 inside #pragma warning disable was not suppressed");
            Assert.False(warnings[1].IsSuppressed, "BPG0019 after #pragma warning restore was suppressed");
            Assert.Single(reported.Where(d => d.Id == "BPG0019" && !d.IsSuppressed && d.Severity == DiagnosticSeverity.Warning));
            Assert.Equal(2, output.SyntaxTrees.Count() - input.SyntaxTrees.Count());
        }

        [Theory]
        [InlineData("none", null)]
        [InlineData("error", DiagnosticSeverity.Error)]
        [InlineData("suggestion", DiagnosticSeverity.Info)]
        [InlineData(null, DiagnosticSeverity.Warning)]
        public void Editorconfig_severity_applies_to_BPG0019(string? severity, DiagnosticSeverity? expected)
        {
            const string Directory = "/project";
            SyntaxTree tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
                "using BackpropGen;\nnamespace Configured\n{\n" + UnusedBeta + "Net { }\n}\n",
                GeneratorHarness.ParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest),
                path: Directory + "/Net.cs");
            string editorConfig = "root = true\n\n[*.cs]\n" + (severity is null ? string.Empty : "dotnet_diagnostic.BPG0019.severity = " + severity + "\n");
            AnalyzerConfigSet configs = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(editorConfig, Directory + "/.editorconfig")));
            CSharpCompilation input = GeneratorHarness.CreateCompilation(Array.Empty<string>()).AddSyntaxTrees(tree);
            input = input.WithOptions(input.Options.WithSyntaxTreeOptionsProvider(new EditorConfigOptions(configs)));

            GeneratorHarness.CreateDriver((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)tree.Options)
                .RunGeneratorsAndUpdateCompilation(input, out _, out ImmutableArray<Diagnostic> reported);

            Diagnostic? warning = reported.SingleOrDefault(d => d.Id == "BPG0019");
            Assert.Equal(expected, warning?.Severity);
        }

        /// <summary>What the compiler builds from .editorconfig files: per-tree diagnostic severities.</summary>
        private sealed class EditorConfigOptions(AnalyzerConfigSet configs) : SyntaxTreeOptionsProvider
        {
            public override GeneratedKind IsGenerated(SyntaxTree tree, System.Threading.CancellationToken cancellationToken) => GeneratedKind.Unknown;

            public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity) =>
                configs.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

            public override bool TryGetGlobalDiagnosticValue(string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity)
            {
                severity = default;
                return false;
            }
        }

        [Fact]
        public void Emitted_files_compiled_again_get_one_BPG0018_that_says_to_exclude_them()
        {
            // The "where no generator runs" recipe: EmitCompilerGeneratedFiles with
            // CompilerGeneratedFilesOutputPath=Generated writes the files into the project, and the
            // next build compiles them as sources while the generator runs again.
            const string Network = "using BackpropGen;\nnamespace Recipe\n{\n    [Network(2, Optimizer = Optimizer.Adam)]\n    [Layer(3, Activation.Tanh)]\n    [Layer(1, Activation.Sigmoid)]\n    public partial class Brain { }\n}\n";
            GeneratorOutcome first = GeneratorHarness.Run(Network);
            GeneratedSourceResult emitted = Assert.Single(first.GeneratedSources);
            string emittedPath = "/project/Generated/BackpropGen.Generator/BackpropGen.Generator.NetworkGenerator/" + emitted.HintName;
            CSharpCompilation input = GeneratorHarness.CreateCompilation(new[] { Network })
                .AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(emitted.SourceText, (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)first.Input.SyntaxTrees.First().Options, emittedPath));

            GeneratorDriverRunResult second = GeneratorHarness.CreateDriver((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)input.SyntaxTrees.First().Options)
                .RunGenerators(input).GetRunResult();

            Diagnostic diagnostic = Assert.Single(second.Diagnostics);
            Assert.Equal("BPG0018", diagnostic.Id);
            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("<Compile Remove=\"Generated/**\" />", message, StringComparison.Ordinal);
            Assert.Contains(emitted.HintName, message, StringComparison.Ordinal);
            Assert.DoesNotContain("rename it", message, StringComparison.Ordinal);
            // On the user's declaration, not in the stale copy.
            Assert.Same(input.SyntaxTrees.First(), diagnostic.Location.SourceTree);
            Assert.Equal("Brain", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        }

        [Fact]
        [Trait("Category", "Slow")]
        public void In_a_real_build_pragma_and_editorconfig_apply_and_BPG0018_advice_for_emitted_files_fixes_the_next_build()
        {
            // The compiler itself, through dotnet build: the generator and the runtime as built
            // with the tests, a project that writes its generated files into Generated/.
            string root = Path.Combine(Path.GetTempPath(), "backpropgen-rebuild-" + Guid.NewGuid().ToString("N"));
            try
            {
                string project = Path.Combine(root, "Consumer");
                Directory.CreateDirectory(Path.Combine(project, "Strict"));
                File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
                File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");
                string csproj = $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                        <CompilerGeneratedFilesOutputPath>Generated</CompilerGeneratedFilesOutputPath>
                      </PropertyGroup>
                      <ItemGroup>
                        <Reference Include="{typeof(BackpropGen.Activation).Assembly.Location}" />
                        <Analyzer Include="{typeof(NetworkGenerator).Assembly.Location}" />
                        <!--EXCLUDE-->
                      </ItemGroup>
                    </Project>
                    """;
                File.WriteAllText(Path.Combine(project, "Consumer.csproj"), csproj);
                File.WriteAllText(Path.Combine(project, ".editorconfig"), "root = true\n\n[Strict/*.cs]\ndotnet_diagnostic.BPG0019.severity = none\n");
                const string Shape = "[Layer(2, Activation.Tanh)][Layer(1, Activation.Sigmoid)] public partial class ";
                File.WriteAllText(Path.Combine(project, "Quiet.cs"), "using BackpropGen;\n#pragma warning disable BPG0019\n[Network(2, Beta1 = 0.8)]\n#pragma warning restore BPG0019\n" + Shape + "Quiet { }\n");
                File.WriteAllText(Path.Combine(project, "Strict", "Configured.cs"), "using BackpropGen;\n[Network(2, Beta1 = 0.8)]" + Shape + "Configured { }\n");
                File.WriteAllText(Path.Combine(project, "Loud.cs"), "using BackpropGen;\n[Network(2, Beta1 = 0.8)]" + Shape + "Loud { }\n");

                ChildProcess.Result first = Build(project);
                Assert.True(first.ExitCode == 0, first.Output);
                string[] warnings = first.Output.Split('\n').Where(l => l.Contains("BPG0019", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToArray();
                Assert.NotEmpty(warnings);
                Assert.All(warnings, w => Assert.Contains("Loud.cs", w, StringComparison.Ordinal));
                Assert.True(File.Exists(Path.Combine(project, "Generated", "BackpropGen.Generator", "BackpropGen.Generator.NetworkGenerator", "Loud.BackpropGen.g.cs")), first.Output);

                // The next build compiles Generated/ as sources, and the generator runs again.
                ChildProcess.Result second = Build(project);
                Assert.NotEqual(0, second.ExitCode);
                Assert.Contains("BPG0018", second.Output, StringComparison.Ordinal);
                Assert.Contains("<Compile Remove=\"Generated/**\" />", second.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("rename it", second.Output, StringComparison.Ordinal);

                // Doing what it says fixes it.
                File.WriteAllText(Path.Combine(project, "Consumer.csproj"), csproj.Replace("<!--EXCLUDE-->", "<Compile Remove=\"Generated/**\" />", StringComparison.Ordinal));
                ChildProcess.Result third = Build(project);
                Assert.True(third.ExitCode == 0, third.Output);
                Assert.DoesNotContain("BPG0018", third.Output, StringComparison.Ordinal);
            }
            finally
            {
                try
                {
                    Directory.Delete(root, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a temp folder left behind is harmless.
                }
            }

            static ChildProcess.Result Build(string project) =>
                ChildProcess.Run("dotnet", new[] { "build", project, "-nologo", "-clp:NoSummary" }, workingDirectory: project, timeout: TimeSpan.FromMinutes(5));
        }

        [Fact]
        public void A_member_the_user_wrote_still_gets_rename_it()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run("using BackpropGen;\n[Network(2)][Layer(1, Activation.Sigmoid)] public partial class Mine { [System.CodeDom.Compiler.GeneratedCode(\"OtherTool\", \"1\")] public void Forward() { } }\n");

            Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
            Assert.Equal("BPG0018", diagnostic.Id);
            Assert.EndsWith("rename it", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("[Network(2, InputNames = new[] { \"speed\" })][Layer(1, Activation.Sigmoid)] public partial class OneName { }", "gives 1 name for 2 inputs;")]
        [InlineData("[Network(1, InputNames = new[] { \"a\", \"b\" })][Layer(1, Activation.Sigmoid)] public partial class TwoNames { }", "gives 2 names for 1 input;")]
        [InlineData("[Network(1, OutputNames = new[] { \"a\", \"b\" })][Layer(1, Activation.Sigmoid)] public partial class OneOutput { }", "gives 2 names for 1 output;")]
        [InlineData("[Network(1)][Layer(100000, Activation.Tanh)][Layer(1, Activation.Sigmoid)] public partial class Huge { }", "has 1 input, 300001 parameters, 100001 neurons and 1 output;")]
        public void Counts_in_messages_agree_in_number(string markup, string expected)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run("using BackpropGen;\nnamespace Counting\n{\n" + markup + "\n}\n");

            Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
            Assert.Contains(expected, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        [Fact]
        public void SourceWriter_refuses_unbalanced_text()
        {
            var open = new Emit.SourceWriter();
            open.OpenBlock("namespace N");
            Assert.Contains("1 level(s) still open", Assert.Throws<InvalidOperationException>(() => open.ToString()).Message, StringComparison.Ordinal);

            Assert.Throws<InvalidOperationException>(() => new Emit.SourceWriter().CloseBrace());
            Assert.Throws<InvalidOperationException>(() => new Emit.SourceWriter().Unindent());

            var crossed = new Emit.SourceWriter();
            crossed.OpenBrace();
            crossed.Indent();
            Assert.Throws<InvalidOperationException>(() => crossed.CloseBrace());

            var balanced = new Emit.SourceWriter();
            balanced.OpenBlock("class C");
            balanced.Indent();
            balanced.WriteLine("int x;");
            balanced.Unindent();
            balanced.CloseBrace();
            Assert.Equal("class C\n{\n        int x;\n}\n", balanced.ToString());
        }
    }
}
