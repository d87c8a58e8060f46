using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Usage: BackpropGen.Roslyn43 <generator.dll> <runtime.dll> <netstandard2.1 reference folder>
// Runs the generator from the package the way Unity 2022.3 does: Roslyn 4.3.1, C# 9, netstandard2.1
// references, no nullable context. Prints what the test checks: the compiler version, any generator
// exception, the BPG diagnostics per declaration, and every diagnostic of the final compilation but
// CS1701/CS1702 (assembly unification, which every SDK build suppresses).
string generatorPath = args[0];
string runtimePath = args[1];
string referenceFolder = args[2];

Console.WriteLine("Roslyn " + typeof(CSharpCompilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]);

const string Valid = """
    using BackpropGen;

    namespace Game.AI
    {
        /// <summary>Steers an agent.</summary>
        [Network(4, Loss = LossFunction.MeanSquaredError, Optimizer = Optimizer.Adam)]
        [Layer(8, Activation.ReLU)]
        [Layer(2, Activation.Tanh)]
        public partial class Brain { }

        /// <summary>A struct network.</summary>
        [Network(3, Loss = LossFunction.CrossEntropy, Precision = Precision.Double)]
        [Layer(5, Activation.LeakyReLU)]
        [Layer(3, Activation.Softmax)]
        public partial struct Classifier { }

        /// <summary>Large enough to be split into private steps: 64 → 32 → 10.</summary>
        [Network(64, Optimizer = Optimizer.Momentum)]
        [Layer(32, Activation.Sigmoid)]
        [Layer(10, Activation.Sigmoid)]
        public partial class Wide { }

        /// <summary>Named inputs and outputs, FastMath.</summary>
        [Network(2, FastMath = true, InputNames = new[] { "left", "right" }, OutputNames = new[] { "jump" })]
        [Layer(4, Activation.Tanh)]
        [Layer(1, Activation.Sigmoid)]
        public partial class Reflex { }
    }
    """;

// Each invalid declaration names the diagnostic it must get.
const string Invalid = """
    using BackpropGen;

    namespace Game.Broken
    {
        [Network(2)]
        [Layer(1, Activation.Sigmoid)]
        public class BPG0001NotPartial { }

        [Network(2)]
        public partial class BPG0004NoLayers { }

        [Network(2)]
        [Layer(0, Activation.Sigmoid)]
        public partial class BPG0006EmptyLayer { }
    }
    """;

var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp9, DocumentationMode.Diagnose);
var references = Directory.GetFiles(referenceFolder, "*.dll").Append(runtimePath)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
    .WithNullableContextOptions(NullableContextOptions.Disable)
    .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

Assembly generatorAssembly = Assembly.LoadFrom(generatorPath);
ISourceGenerator[] generators = generatorAssembly.GetTypes()
    .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t))
    .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
    .ToArray();
Console.WriteLine("generators " + generators.Length);

int failures = 0;
foreach (var (name, source) in new[] { ("valid", Valid), ("invalid", Invalid) })
{
    CSharpCompilation compilation = CSharpCompilation.Create(
        "Unity" + name,
        new[] { CSharpSyntaxTree.ParseText(source, parseOptions, path: name + ".cs") },
        references,
        options);
    GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions)
        .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
    GeneratorDriverRunResult result = driver.GetRunResult();
    foreach (GeneratorRunResult run in result.Results.Where(r => r.Exception is not null))
    {
        Console.WriteLine(name + " exception " + run.Exception);
        failures++;
    }

    Console.WriteLine(name + " generated " + result.GeneratedTrees.Length);
    foreach (Diagnostic diagnostic in generatorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start))
    {
        // The declaration the diagnostic is on (its attributes are part of it), found by its span in
        // the one source file (the location may carry only the file's path).
        string declared = compilation.SyntaxTrees[0].GetRoot().FindNode(diagnostic.Location.SourceSpan)
            .AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "?";
        Console.WriteLine(name + " diagnostic " + diagnostic.Id + " on " + declared);
    }

    // Compiled with C# 9 against netstandard2.1: nothing at all (documentation of the test's own types aside).
    using var stream = new MemoryStream();
    var emit = output.Emit(stream);
    foreach (Diagnostic diagnostic in emit.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
    {
        bool own = diagnostic.Id == "CS1591" && diagnostic.Location.SourceTree?.FilePath == name + ".cs";
        if (!own)
        {
            Console.WriteLine(name + " compiler " + diagnostic);
            failures++;
        }
    }

    Console.WriteLine(name + " emitted " + emit.Success);
}

Console.WriteLine(failures == 0 ? "clean" : failures + " problems");
return failures == 0 ? 0 : 1;
