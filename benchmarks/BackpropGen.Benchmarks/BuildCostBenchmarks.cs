using System;
using System.IO;
using System.Linq;
using BackpropGen.Generator;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// What a network adds to a build: generating its file and compiling the project (binding and
    /// emitting IL, Release), warm, as the compiler server does it, against the same project without
    /// the network. The difference between a row and "none" is the network's cost.
    /// <c>dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --filter '*BuildCost*'</c>
    /// </summary>
    [SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 8)]
    public class BuildCostBenchmarks
    {
        private CSharpCompilation _compilation = null!;
        private CSharpParseOptions _parseOptions = null!;

        // The last is the largest network accepted as the issue measured it (1024-15-1 with Adam).
        [Params("none", "16-16-4", "64-32-10", "1024-15-1 Adam")]
        public string Network { get; set; } = "none";

        [GlobalSetup]
        public void Setup()
        {
            _parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
            string[] words = Network.Split(' ');
            int[] sizes = Network == "none" ? Array.Empty<int>() : words[0].Split('-').Select(int.Parse).ToArray();
            string optimizer = words.Length > 1 ? ", Optimizer = Optimizer." + words[1] : string.Empty;
            string declaration = sizes.Length == 0
                ? string.Empty
                : "[Network(" + sizes[0] + optimizer + ")]\n" + string.Concat(sizes.Skip(1).Select(n => "[Layer(" + n + ", Activation.Sigmoid)]\n")) + "public partial class Brain { }\n";
            string source = "using BackpropGen;\nnamespace Game\n{\n    public class Player { public int Score; public void Hit() => Score++; }\n" + declaration + "}\n";
            _compilation = CSharpCompilation.Create(
                "Game",
                new[] { CSharpSyntaxTree.ParseText(source, _parseOptions) },
                BenchmarkCompilation.References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        }

        [Benchmark(Description = "generate and compile")]
        public bool GenerateAndCompile()
        {
            CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: _parseOptions)
                .RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out _);
            return output.Emit(Stream.Null).Success;
        }
    }
}
