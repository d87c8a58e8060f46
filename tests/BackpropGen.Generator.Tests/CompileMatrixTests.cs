using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The generated code compiles without a single warning for every consumer we promise: .NET 10
    /// with the latest C#, Unity's netstandard2.1 with C# 9, and netstandard2.0 with C# 7.3 (the
    /// default language of a netstandard2.0 library project).
    /// </summary>
    public class CompileMatrixTests
    {
        private const string Networks = """
            using BackpropGen;

            [Network(2)]
            [Layer(3, Activation.Sigmoid)]
            [Layer(1, Activation.Sigmoid)]
            public partial class GlobalNet { }

            namespace Matrix.Deep
            {
                /// <summary>A documented container.</summary>
                public partial class Outer
                {
                    /// <summary>A nested network.</summary>
                    [Network(3, Loss = LossFunction.MeanSquaredError)]
                    [Layer(4, Activation.Tanh)]
                    [Layer(3, Activation.ReLU)]
                    [Layer(2, Activation.LeakyReLU)]
                    [Layer(2, Activation.Linear)]
                    public partial struct Nested { }

                    internal partial class Middle
                    {
                        [Network(2, Precision = Precision.Double)]
                        [Layer(2, Activation.Tanh)]
                        [Layer(1, Activation.Linear)]
                        internal partial class Inner { }
                    }
                }

                /// <summary>A documented network.</summary>
                [Network(1, Precision = Precision.Double, Loss = LossFunction.HalfSquaredError)]
                [Layer(1, Activation.Sigmoid)]
                public sealed partial class Sealed { }

                // Wide enough for vector steps where the target has Vector256 (scalar steps elsewhere).
                [Network(17, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam)]
                [Layer(9, Activation.ReLU)]
                [Layer(3, Activation.Softmax)]
                public partial struct Vectorized { }

                // Past the one-method size: split into private steps on every target.
                [Network(400, Optimizer = Optimizer.Momentum, Precision = Precision.Double)]
                [Layer(2, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                internal partial class Split { }
            }
            """;

        public static IEnumerable<object[]> Targets => new[]
        {
            new object[] { TargetProfile.Net10, LanguageVersion.Latest },
            new object[] { TargetProfile.Net10, LanguageVersion.CSharp9 },
            new object[] { TargetProfile.NetStandard21, LanguageVersion.CSharp9 },
            new object[] { TargetProfile.NetStandard20, LanguageVersion.CSharp7_3 },
        };

        [Theory]
        [MemberData(nameof(Targets))]
        public void Generated_code_compiles_without_warnings(TargetProfile profile, LanguageVersion languageVersion)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(Networks, profile, languageVersion);
            GeneratorHarness.AssertClean(outcome);
            Assert.Equal(6, outcome.GeneratedSources.Count());

            using var stream = new MemoryStream();
            Assert.True(outcome.Output.Emit(stream).Success);

            string all = string.Concat(outcome.GeneratedSources.Select(s => s.SourceText.ToString()));
            bool hasMathF = profile != TargetProfile.NetStandard20;
            Assert.Equal(hasMathF, all.Contains("global::System.MathF.", StringComparison.Ordinal));
            Assert.Equal(languageVersion >= LanguageVersion.CSharp8, all.Contains("#nullable enable", StringComparison.Ordinal));
            Assert.Equal(profile == TargetProfile.Net10, all.Contains("BpgVector256.IsHardwareAccelerated", StringComparison.Ordinal));
            Assert.Contains("private struct BpgScratch", all, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(Targets))]
        public void Generated_code_uses_no_loops_over_neurons_reflection_or_allocation(TargetProfile profile, LanguageVersion languageVersion)
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(Networks, profile, languageVersion);
            foreach (GeneratedSourceResult source in outcome.GeneratedSources)
            {
                SyntaxNode root = source.SyntaxTree.GetRoot();
                Assert.DoesNotContain(root.DescendantNodes(), n =>
                    n is Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.ArrayCreationExpressionSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.LambdaExpressionSyntax);

                // The loops there are: the batch members' loops over their samples (and over the
                // parameters to add up the lanes), the batch shape's activation kernels (σ of each vector
                // of samples of a layer, one statement), and ApplyGradient of a split network (θ a struct
                // viewed as a span), element-wise over the parameters; the members' statements stay unrolled.
                var loops = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax>()
                    .Where(loop => !System.Text.RegularExpressions.Regex.IsMatch(
                        loop.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()!.Identifier.Text,
                        "^(ForwardBatch|AccumulateGradientBatch|BpgForwardBatchV(256|128)|BpgAccumulateGradientBatchV(256|128)|Bpg[A-Za-z]+Layer)$"))
                    .ToArray();
                foreach (var kernel in root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                    .Where(m => System.Text.RegularExpressions.Regex.IsMatch(m.Identifier.Text, "^Bpg[A-Za-z]+Layer$")))
                {
                    // A kernel: the loop over a chunk's blocks and the one over the layer's vectors, around one statement.
                    var innermost = kernel.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax>().Last();
                    Assert.Equal(2, kernel.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax>().Count());
                    Assert.Equal(2, ((Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax)innermost.Statement).Statements.Count);
                }

                bool split = source.SourceText.ToString().Contains("_bpgParameters", StringComparison.Ordinal);
                Assert.True(split || loops.Length == 0, source.HintName + " is unsplit and has a loop");
                Assert.All(loops, loop =>
                {
                    Assert.Equal("ApplyGradient", loop.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()!.Identifier.Text);
                    Assert.Matches(@"^i <=? ParameterCount", loop.Condition!.ToString());
                    Assert.Empty(loop.Statement.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax>());
                });

                // Objects are created only for the PRNG (a struct) and the static topology, built once per type.
                var creations = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax>().ToArray();
                Assert.All(creations, c => Assert.Contains(c.Type.ToString(), new[] { "global::BackpropGen.ParameterRandom", "global::BackpropGen.NetworkTopology", "global::BackpropGen.LayerTopology" }));
                Assert.All(
                    creations.Where(c => c.Type.ToString() != "global::BackpropGen.ParameterRandom"),
                    c => Assert.Contains("static readonly", c.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax>()!.Modifiers.ToString(), StringComparison.Ordinal));
                string text = source.SourceText.ToString();
                Assert.DoesNotContain("System.Reflection", text, StringComparison.Ordinal);
                Assert.DoesNotContain("System.Linq", text, StringComparison.Ordinal);
                Assert.DoesNotContain("typeof(", text, StringComparison.Ordinal);
            }
        }
    
        [Fact]
        public void Keyword_namespaces_and_names_differing_only_in_case_generate_and_compile()
        {
            // Found in review: '@' reached the hint name, and hint names are compared ignoring case;
            // either made AddSource throw and the whole generator fail.
            GeneratorOutcome outcome = GeneratorHarness.Run("""
                using BackpropGen;
                namespace @class.@event { [Network(1)][Layer(1, Activation.Linear)] public partial class @float { } }
                namespace Cased
                {
                    [Network(1)][Layer(1, Activation.Linear)] public partial class Net { }
                    [Network(1)][Layer(1, Activation.Linear)] public partial class NET { }
                }
                """);

            GeneratorHarness.AssertClean(outcome);
            string[] hints = outcome.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToArray();
            Assert.Equal(3, hints.Length);
            Assert.Contains("class.event.float.BackpropGen.g.cs", hints);
            Assert.Equal(3, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void Hint_names_are_unique_per_type()
        {
            GeneratorOutcome outcome = GeneratorHarness.Run("""
                using BackpropGen;
                namespace A { [Network(1)][Layer(1, Activation.Linear)] public partial class Net { } }
                namespace B { [Network(1)][Layer(1, Activation.Linear)] public partial class Net { } }
                namespace B { public partial class Outer { [Network(1)][Layer(1, Activation.Linear)] public partial class Net { } } }
                [Network(1)][Layer(1, Activation.Linear)] public partial class Net { }
                """);

            GeneratorHarness.AssertClean(outcome);
            Assert.Equal(
                new[] { "A.Net.BackpropGen.g.cs", "B.Net.BackpropGen.g.cs", "B.Outer+Net.BackpropGen.g.cs", "Net.BackpropGen.g.cs" },
                outcome.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        }
}
}
