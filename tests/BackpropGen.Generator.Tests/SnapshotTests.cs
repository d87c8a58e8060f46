using System.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// Whole generated files, reviewed like code: a change to the emitter shows up here as a diff of
    /// the generated source (accept with BACKPROPGEN_ACCEPT_SNAPSHOTS=1 once it is right).
    /// </summary>
    public class SnapshotTests
    {
        [Fact]
        public void Math_md_worked_example()
        {
            Verify("""
                using BackpropGen;

                namespace Walkthrough
                {
                    [Network(inputs: 2, Loss = LossFunction.HalfSquaredError)]
                    [Layer(2, Activation.Sigmoid)]
                    [Layer(2, Activation.Sigmoid)]
                    public partial class TinyNet { }
                }
                """);
        }

        [Fact]
        public void Double_precision_struct_nested_in_a_class()
        {
            Verify("""
                using BackpropGen;

                namespace Demo.Games
                {
                    public partial class Agent
                    {
                        [Network(3, Loss = LossFunction.MeanSquaredError, Precision = Precision.Double)]
                        [Layer(3, Activation.ReLU)]
                        [Layer(2, Activation.LeakyReLU)]
                        [Layer(2, Activation.Linear)]
                        internal partial struct Brain { }
                    }
                }
                """);
        }

        [Fact]
        public void Global_namespace_tanh_network()
        {
            Verify("""
                using BackpropGen;

                [Network(2)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                internal partial class XorNet { }
                """);
        }

        [Fact]
        public void Netstandard20_and_CSharp_7_3_use_System_Math_and_no_nullable_directive()
        {
            Verify(
                """
                using BackpropGen;

                namespace Legacy
                {
                    [Network(2)]
                    [Layer(2, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class OldNet { }
                }
                """,
                TargetProfile.NetStandard20,
                LanguageVersion.CSharp7_3);
        }

        [Fact]
        public void Wide_input_layer_gets_Vector256_and_Vector128_steps()
        {
            // A fan-in of 17 on .NET 10: split into private steps, each as a Vector256 step (two
            // vectors of eight and a scalar tail of one) and a Vector128 step, chosen by Vector256.IsHardwareAccelerated.
            Verify("""
                using BackpropGen;

                namespace Sensors
                {
                    [Network(17)]
                    [Layer(3, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class Radar { }
                }
                """);
        }

        [Fact]
        public void Input_scaling_offsets_and_scales_the_input_before_layer_1()
        {
            // a⁰ₖ = (xₖ − μₖ)·sₖ with μ and s in fields outside θ, SetInputScaling and CopyInputScalingTo.
            Verify("""
                using BackpropGen;

                namespace Racing
                {
                    [Network(2, InputScaling = true, InputNames = new[] { "distance", "speed" })]
                    [Layer(2, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial struct Driver { }
                }
                """);
        }

        [Fact]
        public void Softmax_with_cross_entropy_is_fused()
        {
            Verify("""
                using BackpropGen;

                namespace Flowers
                {
                    [Network(4, Loss = LossFunction.CrossEntropy)]
                    [Layer(5, Activation.Tanh)]
                    [Layer(3, Activation.Softmax)]
                    public partial class IrisNet { }
                }
                """);
        }

        [Fact]
        public void Sigmoid_with_binary_cross_entropy_is_fused()
        {
            Verify("""
                using BackpropGen;

                namespace Flags
                {
                    [Network(3, Loss = LossFunction.BinaryCrossEntropy, Precision = Precision.Double)]
                    [Layer(4, Activation.ReLU)]
                    [Layer(2, Activation.Sigmoid)]
                    public partial class MultiLabel { }
                }
                """);
        }

        [Fact]
        public void Adam_with_weight_decay_keeps_its_state_in_fields()
        {
            Verify("""
                using BackpropGen;

                namespace Tuned
                {
                    [Network(2, Optimizer = Optimizer.Adam, WeightDecay = 0.0001)]
                    [Layer(2, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class AdamNet { }
                }
                """);
        }

        [Fact]
        public void Frozen_network_with_named_inputs_and_outputs()
        {
            Verify("""
                using BackpropGen;

                namespace Game
                {
                    [Network(2, Trainable = false, InputNames = new[] { "speed", "distance" }, OutputNames = new[] { "jump" })]
                    [Layer(3, Activation.ReLU)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial struct Reflex { }
                }
                """);
        }

        [Fact]
        public void Wide_layer_wraps_long_sums()
        {
            Verify("""
                using BackpropGen;

                namespace Wide
                {
                    [Network(10)]
                    [Layer(10, Activation.Sigmoid)]
                    [Layer(1, Activation.Linear)]
                    public partial class TenWide { }
                }
                """);
        }

        private static void Verify(
            string source,
            TargetProfile profile = TargetProfile.Net10,
            LanguageVersion languageVersion = LanguageVersion.Latest,
            [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(source, profile, languageVersion);
            GeneratorHarness.AssertClean(outcome);
            GeneratedSourceResult generated = Assert.Single(outcome.GeneratedSources);
            Snapshot.Verify(generated.SourceText.ToString(), generated.HintName, testMethod: testMethod);
        }
    }
}
