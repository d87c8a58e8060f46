using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The batch shape (<see cref="EmitContext.HasBatchShape"/>): ForwardBatch and AccumulateGradientBatch
    /// SIMD across samples. A block of 8 float (4 double; half that for Vector128) samples runs through
    /// the unsplit statements of Forward and AccumulateGradient with every z, a, δ a vector local, one
    /// sample per lane, and every parameter broadcast: the pass emitters write them from the same rules
    /// in a batch context (<see cref="EmitContext.ForBatch"/>, <see cref="BatchAlgebra"/>,
    /// <see cref="BatchParameterWriter"/>), so this file holds only the loop over blocks, the gathering
    /// of the samples into lanes, and what the shape does with the guard and the gradient sums. Samples
    /// past the last whole block (and every sample where no vector width is accelerated) go through
    /// the per-sample member.
    /// </summary>
    internal static class BatchEmitter
    {
        /// <summary>The block's first input value: xₖ of lane i is <c>BpgUnsafe.Add(ref xs, i × InputCount + k)</c>.</summary>
        public const string BlockInputs = "xs";

        /// <summary>The block's first target value.</summary>
        public const string BlockTargets = "ys";

        private const string BlockOutputs = "os";

        /// <summary>The alias the file declares for Unsafe (element offsets into the spans without bounds checks).</summary>
        public const string UnsafeAliasDirective = "using BpgUnsafe = global::System.Runtime.CompilerServices.Unsafe;";

        private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

        /// <summary>Value <paramref name="index"/> of each lane's sample, from a block of samples of <paramref name="perSample"/> values each.</summary>
        public static string Gather(EmitContext b, string block, int index, int perSample)
        {
            VectorShape v = b.Batch ?? throw Unreachable("a gather outside the batch shape");
            if (perSample == 1)
            {
                // One value per sample: the lanes are consecutive.
                return v.Load(block);
            }

            var lanes = new string[v.Lanes];
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = "BpgUnsafe.Add(ref " + block + ", " + Count((i * perSample) + index) + ")";
            }

            return v.Alias + ".Create(" + string.Join(", ", lanes) + ")";
        }

        /// <summary>ForwardBatch after its argument checks (<c>count</c> is defined): the blocks, then the rest one sample at a time.</summary>
        public static void EmitForwardBatch(SourceWriter w, EmitContext c)
        {
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            string span = "global::System.Span<" + c.T + ">";
            w.WriteLine("int done = 0;");
            Dispatch(w, c, v =>
            {
                string name = "BpgForwardBatch" + v.Suffix;
                w.WriteLine("done = " + name + "(inputs, outputs, count);");
                c.AddMethod(
                    "// ForwardBatch " + Count(v.Lanes) + " samples at a time, one per lane of " + v.Type.Replace("global::System.Runtime.Intrinsics.", string.Empty) + "; returns how many it ran (whole blocks only)",
                    "private int " + name + "(" + readOnlySpan + " inputs, " + span + " outputs, int count)",
                    body => EmitForwardBlocks(body, c.ForBatch(v), v));
            });

            w.WriteLine("// The samples after the last whole block (all of them where no vector width is accelerated), one at a time");
            w.OpenBlock("for (int i = done; i < count; i++)");
            w.WriteLine("Forward(inputs.Slice(i * InputCount, InputCount), outputs.Slice(i * OutputCount, OutputCount));");
            w.CloseBrace();
        }

        /// <summary>AccumulateGradientBatch after its argument checks: the blocks, then the rest one sample at a time; returns Σᵢ Cᵢ.</summary>
        public static void EmitAccumulateGradientBatch(SourceWriter w, EmitContext c)
        {
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            string span = "global::System.Span<" + c.T + ">";
            w.WriteLine("int done = 0;");
            w.WriteLine(c.T + " loss = " + c.Literal(0) + ";");
            Dispatch(w, c, v =>
            {
                string name = "BpgAccumulateGradientBatch" + v.Suffix;
                w.WriteLine("loss = " + name + "(inputs, targets, gradient, count, ref done);");
                c.AddMethod(
                    "// AccumulateGradientBatch " + Count(v.Lanes) + " samples at a time, one per lane of " + v.Type.Replace("global::System.Runtime.Intrinsics.", string.Empty) + "; sets how many it took (whole blocks only) and returns their Σᵢ Cᵢ",
                    "private " + c.T + " " + name + "(" + readOnlySpan + " inputs, " + readOnlySpan + " targets, " + span + " gradient, int count, ref int done)",
                    body => EmitGradientBlocks(body, c.ForBatch(v), v));
            });

            w.WriteLine("// The samples after the last whole block (all of them where no vector width is accelerated), one at a time");
            w.OpenBlock("for (int i = done; i < count; i++)");
            w.WriteLine("loss += AccumulateGradient(inputs.Slice(i * InputCount, InputCount), targets.Slice(i * OutputCount, OutputCount), gradient);");
            w.CloseBrace();
            w.WriteLine("return loss;");
        }

        /// <summary>
        /// Vector256 where the hardware runs it (x64 with AVX2), else Vector128 where that is accelerated
        /// (ARM64, SSE-only x64, NativeAOT's default x64 instruction set); both are JIT-time constants.
        /// Where neither is, nothing here runs and every sample goes through the per-sample member.
        /// </summary>
        private static void Dispatch(SourceWriter w, EmitContext c, System.Action<VectorShape> call)
        {
            if (!c.HasBatchShape)
            {
                return;
            }

            VectorShape wide = VectorShape.Wide(c);
            VectorShape narrow = VectorShape.Narrow(c);
            w.OpenBlock("if (" + wide.Alias + ".IsHardwareAccelerated)");
            call(wide);
            w.CloseBrace();
            w.OpenBlock("else if (" + narrow.Alias + ".IsHardwareAccelerated)");
            call(narrow);
            w.CloseBrace();
            w.WriteLine();
        }

        private static void EmitForwardBlocks(SourceWriter w, EmitContext b, VectorShape v)
        {
            w.WriteLine("ref " + b.T + " inputStart = ref " + MemoryMarshal + ".GetReference(inputs);");
            w.WriteLine("ref " + b.T + " outputStart = ref " + MemoryMarshal + ".GetReference(outputs);");
            w.WriteLine("int sample = 0;");
            w.OpenBlock("for (; sample <= count - " + Count(v.Lanes) + "; sample += " + Count(v.Lanes) + ")");
            w.WriteLine("// Lane i holds sample (sample + i): the forward pass below is Forward's, for " + Count(v.Lanes) + " samples at once");
            w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
            w.WriteLine("ref " + b.T + " " + BlockOutputs + " = ref BpgUnsafe.Add(ref outputStart, sample * OutputCount);");
            ForwardEmitter.Emit(w, b);
            w.WriteLine();
            w.WriteLine("// ŷ = a" + Notation.Sup(b.L) + ", each lane into its sample's outputs");
            int outputs = b.Spec.Outputs;
            for (int j = 0; j < outputs; j++)
            {
                if (outputs == 1)
                {
                    w.WriteLine(v.Store(b.A(b.L, j), BlockOutputs) + ";");
                    continue;
                }

                for (int i = 0; i < v.Lanes; i++)
                {
                    w.WriteLine("BpgUnsafe.Add(ref " + BlockOutputs + ", " + Count((i * outputs) + j) + ") = " + b.A(b.L, j) + "[" + Count(i) + "];");
                }
            }

            w.CloseBrace();
            w.WriteLine("return sample;");
        }

        private static void EmitGradientBlocks(SourceWriter w, EmitContext b, VectorShape v)
        {
            w.WriteLine("// gradientSums[i]: ∂C/∂θᵢ summed per lane over the blocks; the lanes are added into gradient[i] at the end");
            w.WriteLine("global::System.Span<" + v.Type + "> gradientSums = stackalloc " + v.Type + "[ParameterCount];");
            w.WriteLine("ref " + v.Type + " " + BatchParameterWriter.Sums + " = ref " + MemoryMarshal + ".GetReference(gradientSums);");
            w.WriteLine("ref " + b.T + " inputStart = ref " + MemoryMarshal + ".GetReference(inputs);");
            w.WriteLine("ref " + b.T + " targetStart = ref " + MemoryMarshal + ".GetReference(targets);");
            w.WriteLine(v.Type + " losses = " + v.Type + ".Zero;");
            w.WriteLine(b.T + " redone = " + b.Literal(0) + ";");
            w.WriteLine("int sample = 0;");
            w.OpenBlock("for (; sample <= count - " + Count(v.Lanes) + "; sample += " + Count(v.Lanes) + ")");
            w.WriteLine("// Lane i holds sample (sample + i): the statements below are AccumulateGradient's, for " + Count(v.Lanes) + " samples at once");
            w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
            w.WriteLine("ref " + b.T + " " + BlockTargets + " = ref BpgUnsafe.Add(ref targetStart, sample * OutputCount);");
            ForwardEmitter.Emit(w, b);
            LossEmitter.Emit(w, b);
            BackwardEmitter.Emit(w, b, GradientUse.Accumulate);
            w.CloseBrace();
            w.WriteLine();
            w.WriteLine("// Σ over the lanes (the samples) of each parameter's sums");
            w.OpenBlock("for (int i = 0; i < ParameterCount; i++)");
            w.WriteLine("gradient[i] += " + v.Alias + ".Sum(BpgUnsafe.Add(ref " + BatchParameterWriter.Sums + ", i));");
            w.CloseBrace();
            w.WriteLine("done = sample;");
            w.WriteLine("return " + v.Alias + ".Sum(losses) + redone;");
        }

        /// <summary>
        /// The guard of the batch shape, after the bound of every lane is known: a block with a lane whose
        /// bound is not finite is redone one sample at a time by AccumulateGradient, which refuses the bad
        /// samples (NaN loss, gradient untouched) and adds the others, so the block ends exactly as
        /// per-sample accumulation would; otherwise the block's losses count and its gradients follow.
        /// </summary>
        public static void EmitGuardCheck(SourceWriter w, EmitContext b)
        {
            VectorShape v = b.Batch ?? throw Unreachable("the batch guard outside the batch shape");
            w.OpenBlock("if (!" + v.Alias + ".LessThanOrEqualAll(" + BackwardEmitter.GuardBound + ", " + b.Algebra.MaxValue + "))");
            w.WriteLine("// Some lane is not finite: these samples one at a time, as AccumulateGradient takes them");
            w.OpenBlock("for (int i = sample; i < sample + " + Count(v.Lanes) + "; i++)");
            w.WriteLine("redone += AccumulateGradient(inputs.Slice(i * InputCount, InputCount), targets.Slice(i * OutputCount, OutputCount), gradient);");
            w.CloseBrace();
            w.WriteLine("continue;");
            w.CloseBrace();
            w.WriteLine();
            w.WriteLine("losses += " + LossEmitter.LossLocal + ";");
        }
    }

    /// <summary>
    /// The batch shape's operations: <see cref="VectorAlgebra"/>'s, plus e^x, ln x and tanh x of every
    /// lane. Vector256.Exp and Vector256.Log where the target has them (.NET 9+,
    /// <see cref="Model.TargetFeatures.HasVectorMath"/>; they differ from MathF.Exp in the last bits);
    /// before, the scalar function lane by lane (each lane then bit for bit the per-sample value). No
    /// target has a vector tanh: with Vector256.Exp it is 1 − 2 / (e^(2x) + 1) (absolute error near a
    /// float's rounding step of 1, and exactly ±1 where e^(2x) overflows or vanishes), else lane by lane.
    /// </summary>
    internal sealed class BatchAlgebra : VectorAlgebra
    {
        private readonly EmitContext _b;
        private readonly VectorShape _v;

        public BatchAlgebra(EmitContext b, VectorShape v)
            : base(b, v)
        {
            _b = b;
            _v = v;
        }

        public override bool HasFunctions => true;

        public override string Exp(string x) => _b.Features.HasVectorMath ? _v.Alias + ".Exp(" + x + ")" : Helper("Exp", x, lane => _b.Exp(lane));

        public override string Log(string x) => _b.Features.HasVectorMath ? _v.Alias + ".Log(" + x + ")" : Helper("Log", x, lane => _b.Log(lane));

        public override string Tanh(string x)
        {
            if (!_b.Features.HasVectorMath)
            {
                return Helper("Tanh", x, lane => _b.Tanh(lane));
            }

            string name = "BpgTanh";
            _b.AddMethod(
                "// tanh x = 1 − 2 / (e^(2x) + 1) per lane (no vector tanh exists): ±1 exactly where e^(2x) overflows or vanishes",
                "private static " + _v.Type + " " + name + "(" + _v.Type + " x)",
                body => body.WriteLine("return " + One + " - " + Constant(2) + " / (" + _v.Alias + ".Exp(x + x) + " + One + ");"));
            return name + "(" + x + ")";
        }

        /// <summary>A private static function of one vector that applies the scalar <paramref name="scalar"/> lane by lane.</summary>
        private string Helper(string function, string x, System.Func<string, string> scalar)
        {
            string name = "Bpg" + function;
            _b.AddMethod(
                "// " + function + " lane by lane: the scalar function of each lane (this target has no vector " + function + ")",
                "private static " + _v.Type + " " + name + "(" + _v.Type + " x)",
                body => body.WriteLine("return " + LaneByLane("x", scalar) + ";"));
            return name + "(" + x + ")";
        }
    }

    /// <summary>
    /// The batch shape's gradient writes: AccumulateGradient's gradient[i] += ∂C/∂θᵢ becomes a vector
    /// add into the per-lane sums of parameter i (<see cref="Sums"/>), which the member adds across lanes
    /// into gradient[i] once at the end. The batch shape only accumulates; the other uses do not occur.
    /// </summary>
    internal sealed class BatchParameterWriter : ParameterWriter
    {
        /// <summary>A ref to the first of the ParameterCount vectors of per-lane sums.</summary>
        public const string Sums = "sums";

        public BatchParameterWriter(EmitContext b)
            : base(b.Algebra)
        {
        }

        public override string LearningRate => throw NotInBatch();

        public override string StepSize => throw NotInBatch();

        public override string SecondMomentScale => throw NotInBatch();

        public override string GradientLocal => throw NotInBatch();

        public override string Read(string field) => throw NotInBatch();

        public override string GradientAt(int index) => "BpgUnsafe.Add(ref " + Sums + ", " + Count(index) + ")";

        public override void Decrease(SourceWriter w, string field, string amount) => throw NotInBatch();

        public override string Assign(SourceWriter w, string field, string value, string temporary) => throw NotInBatch();

        public override void AddToGradient(SourceWriter w, int index, string value) => w.WriteLine(GradientAt(index) + " += " + value + ";");

        public override void StoreGradient(SourceWriter w, int index, string value) => throw NotInBatch();

        private static System.Exception NotInBatch() => Unreachable("a parameter update in the batch shape (it only accumulates gradients)");
    }
}
