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
    public class IncrementalTests
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

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
        {
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { NetworkSource });
            GeneratorDriver driver = GeneratorHarness.CreateDriver((CSharpParseOptions)compilation.SyntaxTrees.First().Options).RunGenerators(compilation);
            Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Length);
            return (driver, compilation);
        }
    }
}
