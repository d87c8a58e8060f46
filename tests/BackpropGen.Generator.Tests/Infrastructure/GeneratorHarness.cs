using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>What one run of the generator produced.</summary>
    public sealed record GeneratorOutcome(
        CSharpCompilation Input,
        Compilation Output,
        GeneratorDriver Driver,
        GeneratorDriverRunResult Result)
    {
        public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

        /// <summary>Everything the compiler and the generator report about the final compilation, but hidden ones.</summary>
        public ImmutableArray<Diagnostic> AllDiagnostics =>
            Output.GetDiagnostics().AddRange(Result.Diagnostics).Where(d => d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray();

        public string GeneratedSource(string hintName) =>
            Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

        public IEnumerable<GeneratedSourceResult> GeneratedSources => Result.Results.SelectMany(r => r.GeneratedSources);
    }

    /// <summary>Drives the real generator through <see cref="CSharpGeneratorDriver"/>, as the compiler does.</summary>
    public static class GeneratorHarness
    {
        private static readonly ImmutableDictionary<string, ReportDiagnostic> s_sdkNoWarn = new Dictionary<string, ReportDiagnostic>
        {
            // The SDK passes /nowarn:1701,1702 (assembly unification) to every build.
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        }.ToImmutableDictionary();

        public static CSharpParseOptions ParseOptions(LanguageVersion languageVersion) =>
            new(languageVersion, DocumentationMode.Diagnose);

        public static CSharpCompilation CreateCompilation(
            IEnumerable<string> sources,
            TargetProfile profile = TargetProfile.Net10,
            LanguageVersion languageVersion = LanguageVersion.Latest,
            string assemblyName = "UserAssembly")
        {
            CSharpParseOptions parseOptions = ParseOptions(languageVersion);
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
                .WithOptimizationLevel(OptimizationLevel.Release)
                .WithNullableContextOptions(languageVersion >= LanguageVersion.CSharp8 || languageVersion == LanguageVersion.Latest ? NullableContextOptions.Enable : NullableContextOptions.Disable)
                .WithSpecificDiagnosticOptions(s_sdkNoWarn)
                .WithDeterministic(true);
            return CSharpCompilation.Create(
                assemblyName,
                sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: "Source" + i + ".cs")),
                ReferenceAssemblies.For(profile),
                options);
        }

        public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions, IEnumerable<AdditionalText>? additionalTexts = null) =>
            CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() },
                additionalTexts: additionalTexts,
                parseOptions: parseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        /// <summary>An AdditionalFiles item held in memory.</summary>
        public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
        {
            public override string Path { get; } = path;

            public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
                Microsoft.CodeAnalysis.Text.SourceText.From(text);
        }

        public static GeneratorOutcome Run(
            string source,
            TargetProfile profile = TargetProfile.Net10,
            LanguageVersion languageVersion = LanguageVersion.Latest) =>
            Run(new[] { source }, profile, languageVersion);

        public static GeneratorOutcome Run(
            IEnumerable<string> sources,
            TargetProfile profile = TargetProfile.Net10,
            LanguageVersion languageVersion = LanguageVersion.Latest,
            IEnumerable<AdditionalText>? additionalTexts = null)
        {
            CSharpCompilation input = CreateCompilation(sources, profile, languageVersion);
            GeneratorDriver driver = CreateDriver((CSharpParseOptions)input.SyntaxTrees.First().Options, additionalTexts)
                .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
            GeneratorDriverRunResult result = driver.GetRunResult();
            Assert.All(result.Results, r => Assert.Null(r.Exception));
            return new GeneratorOutcome(input, output, driver, result);
        }

        /// <summary>Runs the generator, requires a clean compilation (no warnings either), and loads the assembly.</summary>
        public static Assembly CompileAndLoad(string source, TargetProfile profile = TargetProfile.Net10, IEnumerable<AdditionalText>? additionalTexts = null)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            TimeSpan cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            GeneratorOutcome outcome = Run(new[] { source }, profile, LanguageVersion.Latest, additionalTexts);
            using var stream = new MemoryStream();
            EmitClean(outcome, stream);
            LogCompile(outcome, profile, stopwatch.Elapsed, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu);
            return Assembly.Load(stream.ToArray());
        }

        /// <summary>
        /// With BACKPROPGEN_COMPILE_LOG=path, each CompileAndLoad appends a line: wall seconds, the
        /// process's CPU seconds meanwhile (other tests' too, as they run in parallel), generated
        /// characters, the profile and the test class that asked. What the fast subset costs is mostly
        /// these compiles (docs/testing.md).
        /// </summary>
        private static void LogCompile(GeneratorOutcome outcome, TargetProfile profile, TimeSpan wall, TimeSpan cpu)
        {
            if (Environment.GetEnvironmentVariable("BACKPROPGEN_COMPILE_LOG") is not { Length: > 0 } path)
            {
                return;
            }

            string caller = new System.Diagnostics.StackTrace().GetFrames()
                .Select(f => f.GetMethod()?.DeclaringType)
                .Select(t => t?.DeclaringType is { } outer && t.Name.StartsWith("<", StringComparison.Ordinal) ? outer : t)
                .FirstOrDefault(t => t is not null && t != typeof(GeneratorHarness) && t.Namespace == typeof(GeneratorHarness).Namespace!.Replace(".Infrastructure", ""))?.Name ?? "?";
            long characters = outcome.GeneratedSources.Sum(s => (long)s.SourceText.Length);
            lock (s_logLock)
            {
                File.AppendAllText(path, FormattableString.Invariant($"{wall.TotalSeconds:F1}\t{cpu.TotalSeconds:F1}\t{characters}\t{profile}\t{caller}\n"));
            }
        }

        private static readonly object s_logLock = new();

        /// <summary>
        /// Emits the output compilation to <paramref name="stream"/> and requires it clean, warnings
        /// included. Emit reports every diagnostic <see cref="Compilation.GetDiagnostics"/> does
        /// (declarations, method bodies, documentation comments), so this binds the code once instead
        /// of twice (<see cref="AssertClean"/> and then Emit); for the large networks that halves the
        /// compile time.
        /// </summary>
        public static void EmitClean(GeneratorOutcome outcome, Stream stream)
        {
            var emit = outcome.Output.Emit(stream);
            AssertNone(outcome, emit.Diagnostics.AddRange(outcome.GeneratorDiagnostics).Where(d => d.Severity != DiagnosticSeverity.Hidden));
            Assert.True(emit.Success);
        }

        public static void AssertClean(GeneratorOutcome outcome) => AssertNone(outcome, outcome.AllDiagnostics);

        private static void AssertNone(GeneratorOutcome outcome, IEnumerable<Diagnostic> all)
        {
            // Test sources need not document their own types; everything generated must be spotless.
            ImmutableArray<Diagnostic> diagnostics = all
                .Where(d => !(d.Id == "CS1591" && d.Location.SourceTree is { } tree && outcome.Input.SyntaxTrees.Contains(tree)))
                .ToImmutableArray();
            Assert.True(diagnostics.IsEmpty, "Expected no diagnostics but got:" + Environment.NewLine + string.Join(Environment.NewLine, diagnostics));
        }
    }
}
