using System;
using System.Linq;
using BackpropGen.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// What the generator costs an IDE: a full generation of 20 networks, against the incremental
    /// update after an edit elsewhere in the project (which must reuse every generated file).
    /// </summary>
    [MemoryDiagnoser]
    public class GeneratorBenchmarks
    {
        private CSharpCompilation _compilation = null!;
        private CSharpCompilation _edited = null!;
        private GeneratorDriver _warmDriver = null!;
        private CSharpParseOptions _parseOptions = null!;

        [GlobalSetup]
        public void Setup()
        {
            _parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
            var sources = Enumerable.Range(0, 20).Select(i => $$"""
                using BackpropGen;
                namespace Many
                {
                    [Network({{2 + (i % 5)}}, Optimizer = Optimizer.Adam)]
                    [Layer({{4 + i}}, Activation.Tanh)]
                    [Layer({{1 + (i % 3)}}, Activation.Sigmoid)]
                    public partial class Net{{i}} { }
                }
                """).Append("namespace Many { public class Game { public int Score; } }");
            _compilation = CSharpCompilation.Create(
                "Bench",
                sources.Select(s => CSharpSyntaxTree.ParseText(s, _parseOptions)),
                BenchmarkCompilation.References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            SyntaxTree unrelated = _compilation.SyntaxTrees.Last();
            _edited = _compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(SourceText.From(unrelated.ToString().Replace("Score", "Points", StringComparison.Ordinal))));
            _warmDriver = NewDriver().RunGenerators(_compilation);
        }

        private GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: _parseOptions);

        [Benchmark(Baseline = true, Description = "full generation, 20 networks")]
        public GeneratorDriver FullGeneration() => NewDriver().RunGenerators(_compilation);

        [Benchmark(Description = "incremental, unrelated edit")]
        public GeneratorDriver IncrementalUnrelatedEdit() => _warmDriver.RunGenerators(_edited);
    }
}
