using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The generator runs on every keystroke in an IDE: an edit that does not touch a network must
    /// not re-run its emitter, and an edit to a [Layer] must.
    /// </summary>
    public class IncrementalTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        private const string NetworkSource = """
            using BackpropGen;
            namespace Cache
            {
                [Network(2)]
                [Layer(3, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Cached { }

                [Network(3, Precision = Precision.Double)]
                [Layer(2, Activation.ReLU)]
                public partial struct Other { }
            }
            """;

        private static readonly string[] s_trackedSteps =
        {
            TrackingNames.Networks,
            TrackingNames.NetworkSpecs,
            TrackingNames.NetworkDiagnostics,
            TrackingNames.TargetFeatures,
            TrackingNames.EmitInputs,
            TrackingNames.HintNameClashes,
        };

        [Fact]
        public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
            CSharpCompilation edited = compilation.AddSyntaxTrees(
                CSharpSyntaxTree.ParseText("namespace Cache { public class Unrelated { public int Value => 42; } }", (CSharpParseOptions)compilation.SyntaxTrees.First().Options));

            GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

            foreach (string step in s_trackedSteps)
            {
                Assert.True(second.TrackedSteps.ContainsKey(step), "Step " + step + " was not tracked.");
                IEnumerable<IncrementalStepRunReason> reasons = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);
                Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + " was " + r));
            }

            IEnumerable<IncrementalStepRunReason> outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason);
            Assert.NotEmpty(outputs);
            Assert.All(outputs, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }

        [Fact]
        public void Editing_a_layer_regenerates_that_network()
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
            SyntaxTree tree = compilation.SyntaxTrees.Single();
            SyntaxTree changed = tree.WithChangedText(tree.GetText().Replace(
                NetworkSource.IndexOf("[Layer(3, Activation.Tanh)]", System.StringComparison.Ordinal),
                "[Layer(3, Activation.Tanh)]".Length,
                "[Layer(5, Activation.Tanh)]"));

            GeneratorDriver rerun = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed));
            GeneratorRunResult second = rerun.GetRunResult().Results.Single();

            IncrementalStepRunReason[] specs = second.TrackedSteps[TrackingNames.NetworkSpecs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.Contains(IncrementalStepRunReason.Modified, specs);
            IncrementalStepRunReason[] emitted = second.TrackedSteps[TrackingNames.EmitInputs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.Equal(1, emitted.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Contains("public const int ParameterCount = 21;", second.GeneratedSources.Single(s => s.HintName == "Cache.Cached.BackpropGen.g.cs").SourceText.ToString(), System.StringComparison.Ordinal);
        }

        [Fact]
        public void An_unrelated_edit_among_20_networks_rebuilds_nothing()
        {
            var sources = Enumerable.Range(0, 20).Select(i => $$"""
                using BackpropGen;
                namespace Many
                {
                    [Network({{2 + (i % 5)}}, Optimizer = Optimizer.Adam)]
                    [Layer({{4 + i}}, Activation.Tanh)]
                    [Layer({{1 + (i % 3)}}, Activation.Sigmoid)]
                    public partial class Net{{i}} { }
                }
                """).Append("namespace Many { public class Game { public int Score; } }").ToArray();
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
            var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
            SyntaxTree unrelated = compilation.SyntaxTrees.Last();

            var full = new List<double>();
            var incremental = new List<double>();
            for (int round = 0; round < 7; round++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                GeneratorDriver driver = GeneratorHarness.CreateDriver(parseOptions).RunGenerators(compilation);
                full.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(20, driver.GetRunResult().GeneratedTrees.Length);

                SyntaxTree edited = unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(unrelated.ToString().Replace("Score", "Score" + round, System.StringComparison.Ordinal)));
                CSharpCompilation next = compilation.ReplaceSyntaxTree(unrelated, edited);
                clock.Restart();
                GeneratorRunResult second = driver.RunGenerators(next).GetRunResult().Results.Single();
                incremental.Add(clock.Elapsed.TotalMilliseconds);

                IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
                // 20 sources plus the two diagnostic outputs of each network: all served from the cache.
                Assert.Equal(60, outputs.Length);
                Assert.All(outputs, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
            }

            // Medians, after the first (cold) round.
            double fullMedian = full.Skip(1).OrderBy(x => x).ElementAt(3);
            double incrementalMedian = incremental.Skip(1).OrderBy(x => x).ElementAt(3);
            // Informational only: speed is measured by benchmarks/ (GeneratorBenchmarks), not asserted here.
            output.WriteLine($"20 networks: full generation {fullMedian:F1} ms, incremental update after an unrelated edit {incrementalMedian:F1} ms");
        }

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
        {
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { NetworkSource });
            GeneratorDriver driver = GeneratorHarness.CreateDriver((CSharpParseOptions)compilation.SyntaxTrees.First().Options).RunGenerators(compilation);
            Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Length);
            return (driver, compilation);
        }
    }
}
