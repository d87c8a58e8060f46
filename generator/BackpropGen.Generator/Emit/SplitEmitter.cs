using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The passes of a network too large for one method per member (<see cref="EmitContext.IsSplit"/>):
    /// the public member keeps the order of the steps and calls one private method per step and block
    /// of neurons, each small enough for the JIT to optimize. The steps share z, a and δ through a
    /// <see cref="EmitContext.ScratchType"/> local of the public member (on its stack, so Forward
    /// stays safe to call from several threads). The statements are the ones the unsplit form writes,
    /// in the same order, so both give the same numbers.
    /// </summary>
    internal static class SplitEmitter
    {
        /// <summary>
        /// The multiply-adds one private method may hold. Each costs about 7 IL instructions and 2 local
        /// references (an update about 14 and 5), so a method stays far below the JIT's MinOpts
        /// thresholds (20,000 instructions, 8,000 local references); JitLimitTests checks it.
        /// </summary>
        public const int TermsPerMethod = 512;

        private const string ScratchParameter = "ref " + ScratchType + " s";
        private const string ScratchArgument = "ref s";

        /// <summary>The forward pass as calls: input, then each layer's blocks (and its softmax).</summary>
        public static void EmitForward(SourceWriter w, EmitContext c)
        {
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            w.WriteLine(ScratchType + " s = default;");
            foreach (var (start, end) in Blocks(c.Size(0), 1))
            {
                Call(w, c, "BpgInput", start, end, readOnlySpan + " input, " + ScratchParameter, "input, " + ScratchArgument, "a⁰ₖ for k in [{0}..{1})", body => ForwardEmitter.EmitInputs(body, c, start, end));
            }

            Dispatch(w, c, vector =>
            {
                for (int l = 1; l <= c.L; l++)
                {
                    int layer = l;
                    foreach (var (start, end) in Blocks(c.Size(l), Terms(vector, c.Size(l - 1)) + 1, vector?.Lanes ?? 1))
                    {
                        Call(w, c, Name("BpgForward", vector, l), start, end, ScratchParameter, ScratchArgument, "Layer " + Count(l) + ", neurons [{0}..{1}): zˡⱼ and aˡⱼ", body =>
                        {
                            if (vector is not null)
                            {
                                VectorEmitter.EmitNeurons(body, c, vector, layer, start, end);
                            }
                            else
                            {
                                ForwardEmitter.EmitNeurons(body, c, layer, start, end);
                            }
                        });
                    }

                    if (c.ActivationOf(l) == Activation.Softmax)
                    {
                        string name = "BpgSoftmax" + Count(l);
                        w.WriteLine(name + "(" + ScratchArgument + ");");
                        c.AddMethod("// Layer " + Count(l) + ": softmax", "private void " + name + "(" + ScratchParameter + ")", body => ForwardEmitter.EmitSoftmax(body, c, layer));
                    }
                }
            });
        }

        /// <summary>
        /// A vector network calls its Vector256 steps when the hardware runs Vector256 (x64 with AVX2;
        /// a constant to the JIT, so only one branch is compiled) and its Vector128 steps otherwise
        /// (ARM64, SSE-only x64); a scalar network calls its scalar steps (a null shape).
        /// </summary>
        public static void Dispatch(SourceWriter w, EmitContext c, System.Action<VectorShape?> calls)
        {
            if (!c.IsVector)
            {
                calls(null);
                return;
            }

            VectorShape wide = VectorShape.Wide(c);
            w.OpenBlock("if (" + wide.Alias + ".IsHardwareAccelerated)");
            calls(wide);
            w.CloseBrace();
            w.OpenBlock("else");
            calls(VectorShape.Narrow(c));
            w.CloseBrace();
        }

        private static void EmitGradients(SourceWriter w, EmitContext c, VectorShape? vector, int l, int start, int end, int columnStart, int columnEnd, GradientUse use)
        {
            if (vector is not null)
            {
                VectorEmitter.EmitGradients(w, c, vector, l, start, end, columnStart, columnEnd, use);
            }
            else
            {
                BackwardEmitter.EmitGradients(w, c, l, start, end, columnStart, columnEnd, use);
            }
        }

        /// <summary>The statements a sum over <paramref name="count"/> products costs: one per vector and one per left-over product.</summary>
        private static int Terms(VectorShape? vector, int count) => vector is null ? count : (count / vector.Lanes) + (count % vector.Lanes);

        /// <summary>A step's name before its first neuron: BpgForward1_ (scalar) or BpgForwardV256_1_.</summary>
        private static string Name(string step, VectorShape? vector, int l) => step + (vector is null ? string.Empty : vector.Suffix + "_") + Count(l) + "_";

        /// <summary>
        /// ComputeLoss, TrainStep and AccumulateGradient after their argument checks: the forward
        /// pass, the loss, and for <paramref name="backward"/> the backward pass and the gradients.
        /// </summary>
        public static void EmitSampleBody(SourceWriter w, EmitContext c, GradientUse? backward)
        {
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            string span = "global::System.Span<" + c.T + ">";
            EmitForward(w, c);
            if (backward is not { } use)
            {
                w.WriteLine(c.T + " " + LossEmitter.LossLocal + " = BpgLoss(target, " + ScratchArgument + ");");
                c.AddMethod("// The loss C", "private " + c.T + " BpgLoss(" + readOnlySpan + " target, " + ScratchParameter + ")", body =>
                {
                    LossEmitter.Emit(body, c);
                    body.WriteLine("return " + LossEmitter.LossLocal + ";");
                });
                w.WriteLine("return " + LossEmitter.LossLocal + ";");
                return;
            }

            w.WriteLine(c.T + " " + LossEmitter.LossLocal + " = BpgLossAndOutputDeltas(target, " + ScratchArgument + ");");
            c.AddMethod("// The loss C and δᴸ", "private " + c.T + " BpgLossAndOutputDeltas(" + readOnlySpan + " target, " + ScratchParameter + ")", body =>
            {
                LossEmitter.Emit(body, c);
                BackwardEmitter.EmitOutputDeltas(body, c);
                body.WriteLine("return " + LossEmitter.LossLocal + ";");
            });

            Dispatch(w, c, vector =>
            {
                for (int l = c.L - 1; l >= 1; l--)
                {
                    int layer = l;
                    // A vector computes the δ of eight neurons with one term per neuron above.
                    foreach (var (start, end) in Blocks(c.Size(l), vector is null ? c.Size(l + 1) : System.Math.Max(1, c.Size(l + 1) / vector.Lanes), vector?.Lanes ?? 1))
                    {
                        Call(w, c, Name("BpgDeltas", vector, l), start, end, ScratchParameter, ScratchArgument, "δˡⱼ of layer " + Count(l) + ", neurons [{0}..{1})", body =>
                        {
                            if (vector is not null)
                            {
                                VectorEmitter.EmitHiddenDeltas(body, c, vector, layer, start, end);
                            }
                            else
                            {
                                BackwardEmitter.EmitHiddenDeltas(body, c, layer, start, end);
                            }
                        });
                    }
                }
            });

            if (use == GradientUse.Store)
            {
                w.WriteLine("// The optimizer keeps state, so the step goes through ApplyGradient with g = ∂C/∂θ on the stack.");
                w.WriteLine(span + " gradient = stackalloc " + c.T + "[ParameterCount];");
            }
            else
            {
                BackwardEmitter.EmitGuardComment(w, c, use);
                BackwardEmitter.EmitGuardCheck(w, c, use, "BpgGradientBound(" + ScratchArgument + ")");
                c.AddMethod("// Σₗ (1 + Σₖ |aˡ⁻¹ₖ|) Σⱼ |δˡⱼ|, a bound on every |∂C/∂θ|", "private " + c.T + " BpgGradientBound(" + ScratchParameter + ")", body =>
                {
                    string sum = BackwardEmitter.EmitGuardSums(body, c);
                    body.WriteLine("return " + sum + ";");
                });
            }

            string name = use switch
            {
                GradientUse.Descend => "BpgDescend",
                GradientUse.Accumulate => "BpgAccumulate",
                GradientUse.Store => "BpgStore",
                _ => throw Unreachable(use),
            };
            string parameters = ScratchParameter + (use == GradientUse.Descend ? ", " + c.T + " learningRate" : ", " + span + " gradient");
            string arguments = ScratchArgument + (use == GradientUse.Descend ? ", learningRate" : ", gradient");
            Dispatch(w, c, vector =>
            {
                for (int l = c.L; l >= 1; l--)
                {
                    int layer = l;
                    int fanIn = c.Size(l - 1);
                    if (Terms(vector, fanIn) > TermsPerMethod)
                    {
                        // A row longer than a step: each neuron's row in steps of TermsPerMethod updates
                        // (the updates are independent statements, so the order of the numbers is unchanged).
                        int columns = TermsPerMethod * (vector?.Lanes ?? 1);
                        for (int j = 0; j < c.Size(l); j++)
                        {
                            int neuron = j;
                            for (int k = 0; k < fanIn; k += columns)
                            {
                                int columnStart = k;
                                int columnEnd = System.Math.Min(fanIn, k + columns);
                                Call(w, c, Name(name, vector, l) + Count(j) + "_k", columnStart, columnEnd, parameters, arguments, "Layer " + Count(l) + ", neuron " + Count(j) + ", columns [{0}..{1}): ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ" + (columnEnd == fanIn ? ", ∂C/∂bˡⱼ = δˡⱼ" : string.Empty), body => EmitGradients(body, c, vector, layer, neuron, neuron + 1, columnStart, columnEnd, use));
                            }
                        }

                        continue;
                    }

                    foreach (var (start, end) in Blocks(c.Size(l), Terms(vector, fanIn) + 1, vector?.Lanes ?? 1))
                    {
                        Call(w, c, Name(name, vector, l), start, end, parameters, arguments, "Layer " + Count(l) + ", neurons [{0}..{1}): ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ, ∂C/∂bˡⱼ = δˡⱼ", body => EmitGradients(body, c, vector, layer, start, end, 0, fanIn, use));
                    }
                }
            });

            if (use == GradientUse.Store)
            {
                w.WriteLine("if (!ApplyGradient(gradient, learningRate)) return " + c.T + ".NaN;");
            }

            w.WriteLine("return " + LossEmitter.LossLocal + ";");
        }

        /// <summary>The fields of the scratch struct: every a (inputs included), z and δ, and m and Σ of a softmax.</summary>
        public static void EmitScratchType(SourceWriter w, EmitContext c, string generatedCode)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>The signals of one pass through " + c.Spec.TypeName + " (zˡⱼ, aˡⱼ, δˡⱼ), shared by the private steps; a local of each public member.</summary>");
            w.WriteLine(generatedCode);
            w.WriteLine("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]");
            w.OpenBlock("private struct " + ScratchType);
            var inputs = new List<string>(c.Size(0));
            for (int k = 0; k < c.Size(0); k++)
            {
                inputs.Add(c.A(0, k).Substring(2));
            }

            w.WriteLine("public " + c.T + " " + string.Join(", ", inputs) + ";");

            // Each layer's z, a and δ are contiguous, so a vector step reads eight neighbours with one load.
            for (int l = 1; l <= c.L; l++)
            {
                foreach (System.Func<int, int, string> signal in new System.Func<int, int, string>[] { c.Z, c.A, c.Delta })
                {
                    var names = new List<string>(c.Size(l));
                    for (int j = 0; j < c.Size(l); j++)
                    {
                        names.Add(signal(l, j).Substring(2));
                    }

                    w.WriteLine("public " + c.T + " " + string.Join(", ", names) + ";");
                }

                if (c.ActivationOf(l) == Activation.Softmax)
                {
                    w.WriteLine("public " + c.T + " " + c.SoftmaxMax(l).Substring(2) + ", " + c.SoftmaxSum(l).Substring(2) + ";");
                }
            }

            w.CloseBrace();
        }

        /// <summary>Writes the call of block [start, end) and asks for its method.</summary>
        private static void Call(SourceWriter w, EmitContext c, string prefix, int start, int end, string parameters, string arguments, string what, System.Action<SourceWriter> body)
        {
            string name = prefix + Count(start);
            w.WriteLine(name + "(" + arguments + ");");
            c.AddMethod("// " + string.Format(System.Globalization.CultureInfo.InvariantCulture, what, Count(start), Count(end)), "private void " + name + "(" + parameters + ")", body);
        }

        /// <summary>
        /// Consecutive ranges of <paramref name="count"/> units that each hold at most <see cref="TermsPerMethod"/>
        /// terms (at least one unit), a multiple of <paramref name="multiple"/> units each (whole vectors)
        /// where that many fit. Where fewer fit (a neuron of 1024 inputs is 128 vector updates, so
        /// eight of them would be 61 KB of IL, past the JIT's 60,000-byte MinOpts threshold), a block is
        /// smaller than a vector: the steps write what does not fill a vector as scalar statements.
        /// </summary>
        private static IEnumerable<(int Start, int End)> Blocks(int count, int termsPerUnit, int multiple = 1)
        {
            int perBlock = System.Math.Max(1, TermsPerMethod / System.Math.Max(1, termsPerUnit));
            if (perBlock >= multiple)
            {
                perBlock -= perBlock % multiple;
            }

            for (int start = 0; start < count; start += perBlock)
            {
                yield return (start, System.Math.Min(count, start + perBlock));
            }
        }
    }
}
