using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The generator runs on every keystroke in an IDE: an edit that does not touch a network must
    /// not re-run its emitter (or read a baked file again), and an edit to a [Layer] must. Every step
    /// named in <see cref="TrackingNames"/> is checked, and none may hold a Roslyn object.
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

                [Network(2)]
                [Layer(1, Activation.Linear)]
                [BakedParameters("baked.json")]
                public partial class Baked { }

                // Generated, with a warning (BPG0019), so the diagnostics steps have something to carry.
                [Network(2, Beta1 = 0.8)]
                [Layer(1, Activation.Sigmoid)]
                public partial class Warned { }

                // [Layer] without [Network] (BPG0005), for the OrphanLayers step.
                [Layer(1, Activation.Sigmoid)]
                public partial class Orphan { }
            }
            """;

        private const string BakedJson = """
            {
              "format": "BackpropGen.Parameters",
              "version": 1,
              "precision": "Single",
              "inputs": 2,
              "layers": [
                { "size": 1, "activation": "Linear" }
              ],
              "loss": "HalfSquaredError",
              "parameters": [0.5, -0.25, 0.125]
            }
            """;

        /// <summary>Every step name of the pipeline, found by reflection so a new step cannot be left unchecked.</summary>
        private static readonly string[] s_trackedSteps = typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        [Fact]
        public void The_test_source_runs_every_step_and_no_step_output_holds_a_Roslyn_object()
        {
            Assert.True(s_trackedSteps.Length >= 11, "TrackingNames has only " + s_trackedSteps.Length + " names");
            (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
            GeneratorRunResult first = driver.GetRunResult().Results.Single();
            GeneratorRunResult second = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", (CSharpParseOptions)compilation.SyntaxTrees.First().Options))).GetRunResult().Results.Single();

            foreach (GeneratorRunResult run in new[] { first, second })
            {
                foreach (string step in s_trackedSteps)
                {
                    Assert.True(run.TrackedSteps.ContainsKey(step), "Step " + step + " was not tracked; tracked: " + string.Join(", ", run.TrackedSteps.Keys));
                    object[] outputs = run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
                    Assert.True(outputs.Length > 0, "Step " + step + " produced nothing, so nothing of it was checked.");
                    foreach (object value in outputs)
                    {
                        AssertHoldsNoRoslynObject(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    }
                }
            }
        }

        [Fact]
        public void The_output_walk_finds_Roslyn_objects_where_there_are_some()
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText("class C { }");
            var records = new List<object> { Location.Create(tree, default), new KeyValuePair<string, object>("node", tree.GetRoot()), System.Tuple.Create(1, (object)CSharpCompilation.Create("C")) };
            foreach (object value in records)
            {
                Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertHoldsNoRoslynObject(value, "test", new HashSet<object>(ReferenceEqualityComparer.Instance)));
            }
        }

        /// <summary>Walks an output's object graph (fields and elements) and fails on anything that roots a compilation.</summary>
        private static void AssertHoldsNoRoslynObject(object? value, string path, HashSet<object> seen)
        {
            if (value is null || value is string || value is System.Type || value.GetType().IsPrimitive || value.GetType().IsEnum)
            {
                return;
            }

            Assert.False(
                value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or SyntaxReference or AttributeData or SyntaxToken or SyntaxTrivia,
                path + " holds a " + value.GetType().FullName);
            if (!value.GetType().IsValueType && !seen.Add(value))
            {
                return;
            }

            if (value is System.Collections.IEnumerable items)
            {
                int i = 0;
                foreach (object? item in items)
                {
                    AssertHoldsNoRoslynObject(item, path + "[" + i++ + "]", seen);
                }

                return;
            }

            for (System.Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    AssertHoldsNoRoslynObject(field.GetValue(value), path + "." + field.Name, seen);
                }
            }
        }

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

            // The four generated files come from the cache; only the two declarations with diagnostics
            // are reported again (located in the new compilation's trees, see NetworkGenerator.RegisterDiagnostics).
            IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.Equal(4, outputs.Count(r => r == IncrementalStepRunReason.Cached));
            Assert.Equal(2, outputs.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(6, outputs.Length);
        }

        [Fact]
        public void An_edit_above_a_baked_network_does_not_read_its_file_again()
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
            SyntaxTree tree = compilation.SyntaxTrees.Single();
            SyntaxTree moved = tree.WithChangedText(tree.GetText().Replace(0, 0, "// A comment that moves every declaration down.\n"));

            GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, moved)).GetRunResult().Results.Single();

            // The edit reached the network (its [BakedParameters] argument moved) ...
            Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.ResolvedNetworks));
            // ... but the file was not read again, and nothing was emitted again.
            Assert.All(Reasons(second, TrackingNames.BakedReads), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
            Assert.All(Reasons(second, TrackingNames.NetworkSpecs), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "NetworkSpecs was " + r));
            Assert.Equal(4, second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Count(o => o.Reason == IncrementalStepRunReason.Cached));
        }

        [Fact]
        public void Editing_the_baked_file_reads_it_again_and_regenerates_that_network()
        {
            (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
            AdditionalText edited = new GeneratorHarness.InMemoryAdditionalText("/project/baked.json", BakedJson.Replace("0.125", "0.375", System.StringComparison.Ordinal));

            GeneratorRunResult second = driver.ReplaceAdditionalText(s_bakedFile, edited)
                .RunGenerators(compilation).GetRunResult().Results.Single();

            Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(second, TrackingNames.BakedReads));
            Assert.Contains("0.375f", second.GeneratedSources.Single(s => s.HintName == "Cache.Baked.BackpropGen.g.cs").SourceText.ToString(), System.StringComparison.Ordinal);
            Assert.Equal(1, Reasons(second, TrackingNames.EmitInputs).Count(r => r == IncrementalStepRunReason.Modified));
        }

        [Fact]
        public void A_network_with_a_warning_reports_it_again_after_an_edit_without_parsing_again()
        {
            // Diagnostics are located in the current compilation's trees (so #pragma works), so they
            // are reported again on each edit; the parse and the emitted code stay cached.
            const string Warned = "using BackpropGen;\n[Network(2, Beta1 = 0.8)][Layer(1, Activation.Sigmoid)] public partial class Warned { }\n";
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { Warned, "class Unrelated { }" });
            GeneratorDriver driver = GeneratorHarness.CreateDriver((CSharpParseOptions)compilation.SyntaxTrees.First().Options).RunGenerators(compilation);
            SyntaxTree unrelated = compilation.SyntaxTrees.Last();
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("class Unrelated { int x; }")));

            GeneratorDriverRunResult second = driver.RunGenerators(edited).GetRunResult();

            Diagnostic warning = Assert.Single(second.Diagnostics);
            Assert.Equal("BPG0019", warning.Id);
            Assert.Same(edited.SyntaxTrees.First(), warning.Location.SourceTree);
            GeneratorRunResult run = second.Results.Single();
            Assert.All(Reasons(run, TrackingNames.NetworkDiagnostics), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "NetworkDiagnostics was " + r));
            Assert.All(Reasons(run, TrackingNames.EmitInputs), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "EmitInputs was " + r));
        }

        private static IncrementalStepRunReason[] Reasons(GeneratorRunResult run, string step) =>
            run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

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
                // The 20 sources, served from the cache (networks without diagnostics have no diagnostic output).
                Assert.Equal(20, outputs.Length);
                Assert.All(outputs, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
            }

            // Medians, after the first (cold) round.
            double fullMedian = full.Skip(1).OrderBy(x => x).ElementAt(3);
            double incrementalMedian = incremental.Skip(1).OrderBy(x => x).ElementAt(3);
            // Informational only: speed is measured by benchmarks/ (GeneratorBenchmarks), not asserted here.
            output.WriteLine($"20 networks: full generation {fullMedian:F1} ms, incremental update after an unrelated edit {incrementalMedian:F1} ms");
        }

        private static readonly AdditionalText s_bakedFile = new GeneratorHarness.InMemoryAdditionalText("/project/baked.json", BakedJson);

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
        {
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { NetworkSource });
            GeneratorDriver driver = GeneratorHarness.CreateDriver((CSharpParseOptions)compilation.SyntaxTrees.First().Options, new[] { s_bakedFile }).RunGenerators(compilation);
            GeneratorDriverRunResult result = driver.GetRunResult();
            Assert.Equal(new[] { "BPG0005", "BPG0019" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal));
            Assert.Equal(4, result.GeneratedTrees.Length);
            return (driver, compilation);
        }
    }
}
