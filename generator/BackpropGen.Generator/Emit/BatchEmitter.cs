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

        /// <summary>
        /// The aliases the file declares for the batch shape besides VectorEmitter's (which a batch file
        /// always has, BpgUnsafe among them: element offsets into the spans without bounds checks): x64's
        /// Fma and Avx (the Vector256 blocks' multiply-adds).
        /// </summary>
        public static readonly string[] AliasDirectives =
        {
            "using BpgFma = global::System.Runtime.Intrinsics.X86.Fma;",
            "using BpgAvx = global::System.Runtime.Intrinsics.X86.Avx;",
        };

        private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

        /// <summary>The nested struct of a block's signals of the wide layers (<see cref="EmitContext.BatchSignalsInMemory"/>), generic in the vector type.</summary>
        public const string SignalsType = "BpgBatchSignals";

        /// <summary>Whether some layer's signals live in <see cref="SignalsType"/> rather than in vector locals.</summary>
        public static bool HasSignalsInMemory(EmitContext c)
        {
            for (int l = 0; l <= c.L; l++)
            {
                if (c.BatchSignalsInMemory(l))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The struct of the wide layers' signals, one vector of samples each (z, a, δ of a layer contiguous);
        /// the block methods keep one on the stack (stackalloc: memory the JIT reads operands from, where
        /// a struct local's fields could be promoted back into registers).
        /// </summary>
        public static void EmitSignalsType(SourceWriter w, EmitContext c, string generatedCode)
        {
            if (!c.HasBatchShape || !HasSignalsInMemory(c))
            {
                return;
            }

            w.WriteLine();
            w.WriteLine("/// <summary>The signals of " + c.Spec.TypeName + "'s wide layers for one block of samples in the batch members (a vector of samples each); on the stack of each block method.</summary>");
            w.WriteLine(generatedCode);
            w.OpenBlock("private struct " + SignalsType + "<TVector> where TVector : unmanaged");
            for (int l = 0; l <= c.L; l++)
            {
                if (!c.BatchSignalsInMemory(l))
                {
                    continue;
                }

                var kinds = l == 0 ? new[] { "a" } : new[] { "z", "a", "d" };
                foreach (string kind in kinds)
                {
                    var names = new System.Collections.Generic.List<string>(c.Size(l));
                    for (int j = 0; j < c.Size(l); j++)
                    {
                        names.Add(kind + Count(l) + "_" + Count(j));
                    }

                    w.WriteLine("public TVector " + string.Join(", ", names) + ";");
                }
            }

            w.CloseBrace();
        }

        /// <summary>The block method's <see cref="SignalsType"/> on its stack, as the ref <c>s</c> the signals' names start with.</summary>
        private static void EmitSignals(SourceWriter w, EmitContext b, VectorShape v, bool gradients)
        {
            if (b.Algebra.FusesMultiplyAdd)
            {
                w.WriteLine(v.Type + " " + ExpressionWriter.DotLocal + ";");
            }

            if (!HasSignalsInMemory(b))
            {
                return;
            }

            if (gradients)
            {
                w.WriteLine(v.Type + " " + BatchParameterWriter.RowLocal + ";");
            }

            string type = SignalsType + "<" + v.Type + ">";
            w.WriteLine("// The wide layers' signals, in memory: each is read as an operand where it is used");
            w.WriteLine("global::System.Span<" + type + "> signals = stackalloc " + type + "[1];");
            w.WriteLine("ref " + type + " s = ref " + MemoryMarshal + ".GetReference(signals);");
        }

        /// <summary>Value <paramref name="index"/> of each lane's sample, from a block of samples of <paramref name="perSample"/> values each.</summary>
        public static string Gather(EmitContext b, string block, int index, int perSample)
        {
            VectorShape v = b.Batch ?? throw Unreachable("a gather outside the batch shape");
            if (perSample == 1)
            {
                // One value per sample: the lanes are consecutive.
                return v.Load(block);
            }

            if (index < Transposed(b, v, perSample))
            {
                return block + "_" + Count(index);
            }

            var lanes = new string[v.Lanes];
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = "BpgUnsafe.Add(ref " + block + ", " + Count((i * perSample) + index) + ")";
            }

            return v.Alias + ".Create(" + string.Join(", ", lanes) + ")";
        }

        /// <summary>
        /// How many of a sample's <paramref name="perSample"/> values a block takes by 8×8 transposes of the
        /// samples' rows (whole tiles of 8, Vector256 of floats: x64 with AVX), rather than one strided
        /// <c>Create</c> of 8 scalars per value: 8 loads and 24 shuffles per tile instead of 64 loads and
        /// 56 inserts (and the same for the outputs' stores).
        /// </summary>
        private static int Transposed(EmitContext b, VectorShape v, int perSample) =>
            v.Bits == 256 && !b.IsDouble && perSample >= 8 ? perSample - (perSample % 8) : 0;

        /// <summary>
        /// The transposed tiles of <paramref name="block"/> (the block's inputs or targets, <paramref name="perSample"/>
        /// values a sample) as locals <c>block_k</c>, value k of every lane: what <see cref="Gather"/> then returns.
        /// </summary>
        private static void EmitTransposedGather(SourceWriter w, EmitContext b, VectorShape v, string block, int perSample)
        {
            int tiles = Transposed(b, v, perSample);
            if (tiles == 0)
            {
                return;
            }

            w.WriteLine("// Values 0.." + Count(tiles - 1) + " of each lane's sample from " + block + ": the samples' rows, transposed 8×8 (lane i of " + block + "_k is value k of sample i)");
            for (int t = 0; t < tiles; t += 8)
            {
                var rows = new string[8];
                for (int i = 0; i < 8; i++)
                {
                    rows[i] = v.Load("BpgUnsafe.Add(ref " + block + ", " + Count((i * perSample) + t) + ")");
                }

                var columns = new string[8];
                for (int k = 0; k < 8; k++)
                {
                    columns[k] = block + "_" + Count(t + k);
                }

                EmitTranspose(w, v, block + Count(t), rows, columns);
            }
        }

        /// <summary>
        /// An 8×8 transpose of float vectors: <paramref name="into"/>[k] lane i = <paramref name="rows"/>[i] lane k
        /// (unpack pairs of rows, shuffle pairs of those, then swap 128-bit halves), temporaries named after <paramref name="prefix"/>.
        /// </summary>
        private static void EmitTranspose(SourceWriter w, VectorShape v, string prefix, string[] rows, string[] into)
        {
            string t = v.Type + " ";
            for (int i = 0; i < 8; i++)
            {
                w.WriteLine(t + prefix + "r" + Count(i) + " = " + rows[i] + ";");
            }

            for (int i = 0; i < 8; i += 2)
            {
                string pair = prefix + "r" + Count(i) + ", " + prefix + "r" + Count(i + 1);
                w.WriteLine(t + prefix + "p" + Count(i) + " = BpgAvx.UnpackLow(" + pair + ");");
                w.WriteLine(t + prefix + "p" + Count(i + 1) + " = BpgAvx.UnpackHigh(" + pair + ");");
            }

            for (int half = 0; half < 8; half += 4)
            {
                for (int i = 0; i < 2; i++)
                {
                    string pair = prefix + "p" + Count(half + i) + ", " + prefix + "p" + Count(half + i + 2);
                    w.WriteLine(t + prefix + "q" + Count(half + (2 * i)) + " = BpgAvx.Shuffle(" + pair + ", 0x44);");
                    w.WriteLine(t + prefix + "q" + Count(half + (2 * i) + 1) + " = BpgAvx.Shuffle(" + pair + ", 0xEE);");
                }
            }

            for (int k = 0; k < 8; k++)
            {
                w.WriteLine(t + into[k] + " = BpgAvx.Permute2x128(" + prefix + "q" + Count(k % 4) + ", " + prefix + "q" + Count((k % 4) + 4) + ", " + (k < 4 ? "0x20" : "0x31") + ");");
            }
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
        /// Vector256 where the hardware runs it (x64 with AVX2) with fused multiply-adds (FMA3, which every AVX2
        /// processor we know of has), else Vector128 where that is accelerated (ARM64, SSE-only x64,
        /// NativeAOT's default x64 instruction set); all three are JIT-time constants.
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
            w.OpenBlock("if (" + wide.Alias + ".IsHardwareAccelerated && BpgFma.IsSupported)");
            call(wide);
            w.CloseBrace();
            w.OpenBlock("else if (" + narrow.Alias + ".IsHardwareAccelerated)");
            call(narrow);
            w.CloseBrace();
            w.WriteLine();
        }

        private static void EmitForwardBlocks(SourceWriter w, EmitContext b, VectorShape v)
        {
            EmitSignals(w, b, v, gradients: false);
            w.WriteLine("ref " + b.T + " inputStart = ref " + MemoryMarshal + ".GetReference(inputs);");
            w.WriteLine("ref " + b.T + " outputStart = ref " + MemoryMarshal + ".GetReference(outputs);");
            w.WriteLine("int sample = 0;");
            w.OpenBlock("for (; sample <= count - " + Count(v.Lanes) + "; sample += " + Count(v.Lanes) + ")");
            w.WriteLine("// Lane i holds sample (sample + i): the forward pass below is Forward's, for " + Count(v.Lanes) + " samples at once");
            w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
            w.WriteLine("ref " + b.T + " " + BlockOutputs + " = ref BpgUnsafe.Add(ref outputStart, sample * OutputCount);");
            EmitTransposedGather(w, b, v, BlockInputs, b.Spec.Inputs);
            ForwardEmitter.Emit(w, b);
            w.WriteLine();
            w.WriteLine("// ŷ = a" + Notation.Sup(b.L) + ", each lane into its sample's outputs");
            int outputs = b.Spec.Outputs;
            int transposed = Transposed(b, v, outputs);
            for (int t = 0; t < transposed; t += 8)
            {
                var columns = new string[8];
                var rows = new string[8];
                for (int k = 0; k < 8; k++)
                {
                    columns[k] = b.A(b.L, t + k);
                    rows[k] = BlockOutputs + Count(t) + "_row" + Count(k);
                }

                EmitTranspose(w, v, BlockOutputs + Count(t), columns, rows);
                for (int i = 0; i < 8; i++)
                {
                    w.WriteLine(v.Store(rows[i], "BpgUnsafe.Add(ref " + BlockOutputs + ", " + Count((i * outputs) + t) + ")") + ";");
                }
            }

            for (int j = transposed; j < outputs; j++)
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
            EmitSignals(w, b, v, gradients: true);
            w.WriteLine("ref " + b.T + " inputStart = ref " + MemoryMarshal + ".GetReference(inputs);");
            w.WriteLine("ref " + b.T + " targetStart = ref " + MemoryMarshal + ".GetReference(targets);");
            w.WriteLine(v.Type + " losses = " + v.Type + ".Zero;");
            w.WriteLine(b.T + " redone = " + b.Literal(0) + ";");
            w.WriteLine("int sample = 0;");
            w.OpenBlock("for (; sample <= count - " + Count(v.Lanes) + "; sample += " + Count(v.Lanes) + ")");
            w.WriteLine("// Lane i holds sample (sample + i): the statements below are AccumulateGradient's, for " + Count(v.Lanes) + " samples at once");
            w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
            w.WriteLine("ref " + b.T + " " + BlockTargets + " = ref BpgUnsafe.Add(ref targetStart, sample * OutputCount);");
            EmitTransposedGather(w, b, v, BlockInputs, b.Spec.Inputs);
            ForwardEmitter.Emit(w, b);
            EmitTransposedGather(w, b, v, BlockTargets, b.Spec.Outputs);
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
    /// lane, each a private static function of the network type (inlined). e^x of floats is a vector
    /// polynomial on every target (Cephes' expf: 2ⁿ · e^r with a degree-6 polynomial for e^r, within
    /// about 2 float rounding steps of MathF.Exp; measured faster than .NET 9's Vector256.Exp, which
    /// works in double); of doubles it is Vector256.Exp where the target has it (.NET 9+,
    /// <see cref="Model.TargetFeatures.HasVectorMath"/>), else Math.Exp lane by lane. ln x is
    /// Vector256.Log or lane by lane (the losses take one per output). No target has a vector tanh:
    /// it is 1 − 2 / (e^(2x) + 1) from the vector e^x (exactly ±1 where e^(2x) overflows or vanishes),
    /// or lane by lane.
    /// </summary>
    internal sealed class BatchAlgebra : VectorAlgebra
    {
        private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]";

        private readonly EmitContext _b;
        private readonly VectorShape _v;

        public BatchAlgebra(EmitContext b, VectorShape v)
            : base(b, v)
        {
            _b = b;
            _v = v;
        }

        public override bool HasFunctions => true;

        /// <summary>
        /// Vector256 blocks run only where x64's FMA3 is supported (<see cref="BatchEmitter"/>'s dispatch), so they
        /// write Fma.MultiplyAdd; Vector128 blocks write .NET 9's MultiplyAddEstimate (fused where the hardware
        /// fuses: ARM64, x64 with FMA3), and on .NET 8 the operators.
        /// </summary>
        public override bool FusesMultiplyAdd => _v.Bits == 256 || _b.Features.HasVectorMath;

        public override string MultiplyAdd(string a, string b, string c) => !FusesMultiplyAdd
            ? base.MultiplyAdd(a, b, c)
            : _v.Bits == 256
                ? "BpgFma.MultiplyAdd(" + a + ", " + b + ", " + c + ")"
                : _v.Alias + ".MultiplyAddEstimate(" + a + ", " + b + ", " + c + ")";

        /// <summary>
        /// A select whose other branch is 0 (ReLU's σ and σ') is the comparison's mask and-ed with the
        /// value: the same lanes (a NaN x gives 0, as x &gt; 0 ? … : 0 does), one operation and no temporaries.
        /// </summary>
        public override string IfPositive(string x, string then, string otherwise) => otherwise == Zero
            ? "(" + _v.Alias + ".GreaterThan(" + x + ", " + Zero + ") & " + then + ")"
            : base.IfPositive(x, then, otherwise);

        /// <summary>Whether e^x is a vector computation here (a float polynomial, or .NET 9's Vector256.Exp of doubles).</summary>
        private bool HasVectorExp => !_b.IsDouble || _b.Features.HasVectorMath;

        public override string Exp(string x)
        {
            if (_b.IsDouble)
            {
                return _b.Features.HasVectorMath ? _v.Alias + ".Exp(" + x + ")" : Helper("Exp", x, lane => _b.Exp(lane));
            }

            Function(
                "Exp",
                "// e^x per lane: x = n ln 2 + r (n = ⌊x log₂e + ½⌋, ln 2 in two parts), e^x = 2ⁿ · e^r with Cephes' expf polynomial for e^r;\n"
                + "// 0 below ln 2⁻¹²⁶, ∞ above 88.376 (where 2ⁿ would overflow the exponent), NaN stays NaN",
                body =>
                {
                    string v = _v.Type;
                    body.WriteLine(v + " c = " + _v.Alias + ".Min(" + _v.Alias + ".Max(x, " + Constant(ExpLow) + "), " + Constant(ExpHigh) + ");");
                    body.WriteLine(v + " n = " + _v.Alias + ".Floor(c * " + Constant(1.44269504088896341) + " + " + Constant(0.5) + ");");
                    body.WriteLine(v + " r = c - n * " + Constant(0.693359375) + ";");
                    body.WriteLine("r = r - n * " + Constant(-2.12194440e-4) + ";");
                    // Horner's rule, one multiply-add per coefficient where the block fuses them.
                    body.WriteLine(v + " p = " + MultiplyAdd(Constant(1.9875691500e-4), "r", Constant(1.3981999507e-3)) + ";");
                    foreach (double coefficient in new[] { 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1 })
                    {
                        body.WriteLine("p = " + MultiplyAdd("p", "r", Constant(coefficient)) + ";");
                    }

                    body.WriteLine("p = " + MultiplyAdd("p", "(r * r)", "r") + " + " + One + ";");
                    string integers = _v.Alias + ".ConvertToInt32(n) + " + _v.Alias + ".Create(127)";
                    body.WriteLine(v + " y = p * " + _v.Alias + ".AsSingle(" + _v.Alias + ".ShiftLeft(" + integers + ", 23));");
                    body.WriteLine("y = " + _v.Alias + ".ConditionalSelect(" + _v.Alias + ".GreaterThan(x, " + Constant(ExpHigh) + "), " + _v.Alias + ".Create(float.PositiveInfinity), y);");
                    body.WriteLine("y = " + _v.Alias + ".ConditionalSelect(" + _v.Alias + ".LessThan(x, " + Constant(ExpLow) + "), " + Zero + ", y);");
                    body.WriteLine("return " + _v.Alias + ".ConditionalSelect(" + _v.Alias + ".Equals(x, x), y, x);");
                });
            return "BpgExp(" + x + ")";
        }

        /// <summary>ln 2⁻¹²⁶ (so 2ⁿ stays a normal float) and the largest x whose n leaves the exponent below 255.</summary>
        private const double ExpLow = -87.3365447505531;

        private const double ExpHigh = 88.3762626647949;

        public override string Log(string x) => _b.Features.HasVectorMath ? _v.Alias + ".Log(" + x + ")" : Helper("Log", x, lane => _b.Log(lane));

        public override string Tanh(string x)
        {
            if (!HasVectorExp)
            {
                return Helper("Tanh", x, lane => _b.Tanh(lane));
            }

            string exp = Exp("x + x");
            Function(
                "Tanh",
                "// tanh x = 1 − 2 / (e^(2x) + 1) per lane (no vector tanh exists): ±1 exactly where e^(2x) overflows or vanishes",
                body => body.WriteLine("return " + One + " - " + Constant(2) + " / (" + exp + " + " + One + ");"));
            return "BpgTanh(" + x + ")";
        }

        /// <summary>A function of one vector that applies the scalar <paramref name="scalar"/> lane by lane.</summary>
        private string Helper(string function, string x, System.Func<string, string> scalar)
        {
            Function(function, "// " + function + " lane by lane: the scalar function of each lane (no vector " + function + " here)", body => body.WriteLine("return " + LaneByLane("x", scalar) + ";"));
            return "Bpg" + function + "(" + x + ")";
        }

        /// <summary>Asks for the private static, inlined function Bpg<paramref name="function"/> of one vector x (once per width).</summary>
        private void Function(string function, string comment, System.Action<SourceWriter> body) =>
            _b.AddMethod(comment + "\n" + Inline, "private static " + _v.Type + " Bpg" + function + "(" + _v.Type + " x)", body);
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

        /// <summary>Written as x = x + v rather than x += v: a compound assignment through a ref return makes the JIT keep a temporary per statement, and hundreds of them use up the locals it tracks.</summary>
        public override void AddToGradient(SourceWriter w, int index, string value) => w.WriteLine(GradientAt(index) + " = " + GradientAt(index) + " + " + value + ";");

        public override void StoreGradient(SourceWriter w, int index, string value) => throw NotInBatch();

        /// <summary>The local that holds a row's δˡⱼ while its weights' gradients are added, when δ is in memory (<see cref="BatchEmitter.SignalsType"/>).</summary>
        public const string RowLocal = "row";

        private string? _row;

        /// <summary>
        /// A weight's aˡ⁻¹ₖ δˡⱼ into its sums, as one multiply-add where the block fuses them. A δ kept in memory
        /// is read once per row into <see cref="RowLocal"/>: the stores into the sums between its uses would
        /// make the JIT read it again for every weight.
        /// </summary>
        public override void AddProductToGradient(SourceWriter w, int index, string left, string right)
        {
            if (right.StartsWith("s.", System.StringComparison.Ordinal))
            {
                if (_row != right)
                {
                    w.WriteLine(RowLocal + " = " + right + ";");
                    _row = right;
                }

                right = RowLocal;
            }

            if (!X.FusesMultiplyAdd)
            {
                base.AddProductToGradient(w, index, left, right);
                return;
            }

            w.WriteLine(GradientAt(index) + " = " + X.MultiplyAdd(left, right, GradientAt(index)) + ";");
        }

        private static System.Exception NotInBatch() => Unreachable("a parameter update in the batch shape (it only accumulates gradients)");
    }
}
