using BackpropGen.Generator.Model;
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
        /// Fma, Avx and Avx2 (the Vector256 blocks' multiply-adds and shuffles; a Vector256 that is accelerated implies AVX2).
        /// </summary>
        public static readonly string[] AliasDirectives =
        {
            "using BpgFma = global::System.Runtime.Intrinsics.X86.Fma;",
            "using BpgAvx = global::System.Runtime.Intrinsics.X86.Avx;",
            "using BpgAvx2 = global::System.Runtime.Intrinsics.X86.Avx2;",
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
            // Sequential: a kernel reads a layer's z (and writes its a) as consecutive vectors.
            w.WriteLine("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]");
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

                if (l > 0 && c.ActivationOf(l) == Activation.Softmax)
                {
                    w.WriteLine("public TVector m" + Count(l) + ", sum" + Count(l) + ";");
                }
            }

            w.CloseBrace();
        }

        /// <summary>How many vectors <see cref="SignalsType"/> holds (one block's signals in memory): the stride between blocks of a chunk.</summary>
        public static int SignalCount(EmitContext c)
        {
            int count = 0;
            for (int l = 0; l <= c.L; l++)
            {
                if (c.BatchSignalsInMemory(l))
                {
                    count += l == 0 ? c.Size(0) : (3 * c.Size(l)) + (c.ActivationOf(l) == Activation.Softmax ? 2 : 0);
                }
            }

            return count;
        }

        /// <summary>The block method's <see cref="SignalsType"/> on its stack, as the ref <c>s</c> the signals' names start with.</summary>
        private static void EmitSignals(SourceWriter w, EmitContext b, VectorShape v, bool gradients)
        {
            if (b.Algebra.FusesMultiplyAdd)
            {
                int widest = 0;
                for (int l = 1; l <= b.L; l++)
                {
                    widest = System.Math.Max(widest, b.Size(l));
                }

                w.WriteLine(v.Type + " " + ExpressionWriter.DotLocals(widest) + ";");
            }

            if (!HasSignalsInMemory(b))
            {
                return;
            }

            if (gradients && HasRowLocal(b))
            {
                w.WriteLine(v.Type + " " + BatchParameterWriter.RowLocal + ";");
            }

            string type = SignalsType + "<" + v.Type + ">";
            if (b.BatchPhased)
            {
                w.WriteLine("// Every signal of a chunk of up to " + Count(b.BatchChunk) + " blocks, in memory: block k's are the k-th after first");
                EmitStackBuffer(w, "signals", type, FirstBlock, Count(b.BatchChunk));
                return;
            }

            w.WriteLine("// The wide layers' signals, in memory: each is read as an operand where it is used");
            EmitStackBuffer(w, "signals", type, "s", "1");
        }

        /// <summary>A zeroed stack buffer of <paramref name="length"/> values of <paramref name="type"/>, as the ref <paramref name="name"/> to its first.</summary>
        private static void EmitStackBuffer(SourceWriter w, string buffer, string type, string name, string length)
        {
            w.WriteLine("global::System.Span<" + type + "> " + buffer + " = stackalloc " + type + "[" + length + "];");
            w.WriteLine("ref " + type + " " + name + " = ref " + MemoryMarshal + ".GetReference(" + buffer + ");");
        }

        /// <summary>The signals of a phased member's first block (<see cref="EmitContext.BatchPhased"/>); block k's are BpgUnsafe.Add(ref first, k).</summary>
        private const string FirstBlock = "first";

        /// <summary>
        /// Opens the loop over a chunk's blocks of a phased member: <c>sample</c> (the block's first sample, where
        /// <paramref name="readsSamples"/>) and <c>s</c> (its signals) are what the pass emitters' statements and the guard read.
        /// </summary>
        private static void OpenBlockLoop(SourceWriter w, EmitContext b, VectorShape v, bool readsSamples)
        {
            w.OpenBlock("for (int block = 0; block < blocks; block++)");
            if (readsSamples)
            {
                w.WriteLine("int sample = start + (block * " + Count(v.Lanes) + ");");
            }

            w.WriteLine("ref " + SignalsType + "<" + v.Type + "> s = ref BpgUnsafe.Add(ref " + FirstBlock + ", block);");
        }

        /// <summary>
        /// Opens the loop over chunks of a phased member (<c>start</c>: the chunk's first sample; <c>blocks</c>: how many
        /// whole blocks it has), whose body <paramref name="chunk"/> writes; returns nothing, leaves <c>start</c> at the first sample not taken.
        /// </summary>
        private static void EmitChunks(SourceWriter w, EmitContext b, VectorShape v, System.Action chunk)
        {
            string lanes = Count(v.Lanes);
            w.WriteLine("int start = 0;");
            w.OpenBlock("for (int blocks = 0; count - start >= " + lanes + "; start += blocks * " + lanes + ")");
            w.WriteLine("// A chunk of up to " + Count(b.BatchChunk) + " blocks of " + lanes + " samples (lane i of block k holds sample start + k × " + lanes + " + i), layer by layer");
            w.WriteLine("blocks = global::System.Math.Min(" + Count(b.BatchChunk) + ", (count - start) / " + lanes + ");");
            chunk();
            w.CloseBrace();
        }

        /// <summary>
        /// The forward pass of a chunk, layer by layer: each layer's sums (and σ, unless the layer has a kernel)
        /// in a loop over the blocks, then the kernel of the layer's σ once for every neuron of every block.
        /// </summary>
        private static void EmitPhasedForward(SourceWriter w, EmitContext b, VectorShape v)
        {
            for (int l = 1; l <= b.L; l++)
            {
                w.WriteLine();
                OpenBlockLoop(w, b, v, readsSamples: l == 1);
                if (l == 1)
                {
                    w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
                    EmitTransposedGather(w, b, v, BlockInputs, b.Spec.Inputs);
                    ForwardEmitter.EmitInputs(w, b, 0, b.Size(0));
                    w.WriteLine();
                }

                ForwardEmitter.EmitSums(w, b, l, 0, b.Size(l));
                if (!b.BatchKernel(l))
                {
                    ForwardEmitter.EmitActivations(w, b, l, 0, b.Size(l));
                    if (b.ActivationOf(l) == Activation.Softmax)
                    {
                        ForwardEmitter.EmitSoftmax(w, b, l);
                    }
                }

                w.CloseBrace();
                if (b.BatchKernel(l))
                {
                    string kernel = ((BatchAlgebra)b.Algebra).ActivationKernel(b.ActivationOf(l));
                    w.WriteLine("// a" + Notation.Sup(l) + "ⱼ = σ(z" + Notation.Sup(l) + "ⱼ), " + ActivationMath.Formula(b, b.ActivationOf(l)) + ": every neuron of every block in one call");
                    w.WriteLine(kernel + "(ref " + InFirstBlock(b.Z(l, 0)) + ", ref " + InFirstBlock(b.A(l, 0)) + ", " + Count(b.Size(l)) + ", blocks, " + Count(SignalCount(b)) + ");");
                }
            }
        }

        /// <summary>A signal of the block loop's <c>s</c> (s.z1_0) as the first block's (first.z1_0).</summary>
        private static string InFirstBlock(string signal) => FirstBlock + signal.Substring(signal.IndexOf('.'));

        /// <summary>Value <paramref name="index"/> of each lane's sample, from a block of samples of <paramref name="perSample"/> values each.</summary>
        public static string Gather(EmitContext b, string block, int index, int perSample)
        {
            VectorShape v = b.Batch ?? throw Unreachable("a gather outside the batch shape");
            if (perSample == 1)
            {
                // One value per sample: the lanes are consecutive.
                return v.Load(block);
            }

            if (index < Transposed(b, v, perSample) || IsPairs(b, v, perSample))
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
        /// Whether a block's samples of two values each (a 2-input network's inputs, a 2-output network's targets and outputs)
        /// move as two vectors, deinterleaved by shuffles (Vector256 of floats): 2 loads and 4 shuffles for 16 values
        /// instead of 16 loads and 16 inserts (the outputs: 4 shuffles and 2 stores instead of 16 extracts).
        /// </summary>
        private static bool IsPairs(EmitContext b, VectorShape v, int perSample) => v.Bits == 256 && !b.IsDouble && perSample == 2;

        /// <summary>
        /// The transposed tiles of <paramref name="block"/> (the block's inputs or targets, <paramref name="perSample"/>
        /// values a sample) as locals <c>block_k</c>, value k of every lane: what <see cref="Gather"/> then returns.
        /// </summary>
        private static void EmitTransposedGather(SourceWriter w, EmitContext b, VectorShape v, string block, int perSample)
        {
            if (IsPairs(b, v, perSample))
            {
                string low = block + "Low", high = block + "High";
                w.WriteLine("// Values 0 and 1 of each lane's sample from " + block + ": the block's 16 values as two vectors, deinterleaved (lane i of " + block + "_k is value k of sample i)");
                w.WriteLine(v.Type + " " + low + " = " + v.Load(block) + ", " + high + " = " + v.Load("BpgUnsafe.Add(ref " + block + ", 8)") + ";");
                for (int k = 0; k < 2; k++)
                {
                    // Within each 128-bit half, the even (odd) values of both: samples 0, 1, 4, 5 | 2, 3, 6, 7; then the middle quarters swapped.
                    w.WriteLine(v.Type + " " + block + "_" + Count(k) + " = " + v.Alias + ".AsSingle(BpgAvx2.Permute4x64(" + v.Alias + ".AsDouble(BpgAvx.Shuffle(" + low + ", " + high + ", " + (k == 0 ? "0x88" : "0xDD") + ")), 0xD8));");
                }

                return;
            }

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

        /// <summary>
        /// How many of layer <paramref name="l"/>'s columns k (whole tiles of 8, Vector256 of floats, δˡ in memory) get their
        /// weights' gradients from <see cref="EmitWeightTiles"/> rather than one per-lane sum per weight.
        /// </summary>
        private static int WeightTiles(EmitContext b, int l)
        {
            VectorShape v = b.Batch ?? throw Unreachable("weight tiles outside the batch shape");
            return v.Bits == 256 && !b.IsDouble && b.BatchSignalsInMemory(l) ? b.Size(l - 1) - (b.Size(l - 1) % 8) : 0;
        }

        /// <summary>Whether some weight's gradient is a per-lane sum of a δ in memory (what <see cref="BatchParameterWriter.RowLocal"/> holds).</summary>
        private static bool HasRowLocal(EmitContext b)
        {
            for (int l = 1; l <= b.L; l++)
            {
                if (b.BatchSignalsInMemory(l) && WeightTiles(b, l) < b.Size(l - 1))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasWeightTiles(EmitContext b)
        {
            for (int l = 1; l <= b.L; l++)
            {
                if (WeightTiles(b, l) > 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The gradients of the weights in layer <paramref name="l"/>'s whole tiles of 8 columns, rows [<paramref name="start"/>,
        /// <paramref name="end"/>): ∂C/∂wˡⱼₖ summed over the block is Σᵢ δˡⱼ(sample i) · aˡ⁻¹ₖ(sample i), so the 8 weights
        /// wˡⱼ,ₖ..ₖ₊₇ are one vector: each sample's row of aˡ⁻¹ (the block's aˡ⁻¹ transposed 8×8) times that sample's δˡⱼ,
        /// added into gradient once per block. One load and store per 8 weights instead of one per weight (the per-lane
        /// sums' stores were a third of 8-16-8's AccumulateGradientBatch). Returns the first column left to the per-weight sums.
        /// </summary>
        public static int EmitWeightTiles(SourceWriter w, EmitContext b, int l, int start, int end)
        {
            VectorShape v = b.Batch ?? throw Unreachable("weight tiles outside the batch shape");
            int tiles = WeightTiles(b, l);
            if (tiles == 0)
            {
                return 0;
            }

            string up = Notation.Sup(l);
            w.WriteLine("// ∂C/∂w" + up + "ⱼₖ for k < " + Count(tiles) + ", 8 weights a vector: Σᵢ δ" + up + "ⱼ(sample i) · sample i's a" + Notation.Sup(l - 1) + "ₖ..ₖ₊₇, into gradient");
            for (int t = 0; t < tiles; t += 8)
            {
                string prefix = "g" + Count(l) + "_" + Count(t);
                var columns = new string[8];
                var rows = new string[8];
                for (int k = 0; k < 8; k++)
                {
                    columns[k] = b.A(l - 1, t + k);
                    rows[k] = prefix + "_row" + Count(k);
                }

                if (l == 1 && !b.Spec.InputScaling && t < Transposed(b, v, b.Spec.Inputs) && !b.BatchPhased)
                {
                    // a⁰ is the input: each sample's row is where the block's inputs are, already in sample order.
                    for (int i = 0; i < 8; i++)
                    {
                        rows[i] = v.Load("BpgUnsafe.Add(ref " + BlockInputs + ", " + Count((i * b.Spec.Inputs) + t) + ")");
                    }
                }
                else
                {
                    EmitTranspose(w, v, prefix, columns, rows);
                }

                var sums = new System.Collections.Generic.List<WeightedSum>(end - start);
                for (int j = start; j < end; j++)
                {
                    var products = new System.Collections.Generic.List<(string, string)>(8);
                    for (int i = 0; i < 8; i++)
                    {
                        products.Add((v.Alias + ".Create(BpgUnsafe.Add(ref BpgUnsafe.As<" + v.Type + ", " + b.T + ">(ref " + b.Delta(l, j) + "), " + Count(i) + "))", rows[i]));
                    }

                    string at = GradientAt(b.WeightIndex(l, j, t));
                    sums.Add(new WeightedSum(null, products, v.Load(at), Store: value => v.Store(value, at)));
                }

                ExpressionWriter.WriteDots(w, b.Algebra, sums);
            }

            return tiles;
        }

        private const string GradientStart = "gradientStart";

        private static string GradientAt(int index) => "BpgUnsafe.Add(ref " + GradientStart + ", " + Count(index) + ")";

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
            if (b.BatchPhased)
            {
                EmitChunks(w, b, v, () =>
                {
                    EmitPhasedForward(w, b, v);
                    w.WriteLine();
                    OpenBlockLoop(w, b, v, readsSamples: true);
                    w.WriteLine("ref " + b.T + " " + BlockOutputs + " = ref BpgUnsafe.Add(ref outputStart, sample * OutputCount);");
                    EmitOutputs(w, b, v);
                    w.CloseBrace();
                });
                w.WriteLine("return start;");
                return;
            }

            w.WriteLine("int sample = 0;");
            w.OpenBlock("for (; sample <= count - " + Count(v.Lanes) + "; sample += " + Count(v.Lanes) + ")");
            w.WriteLine("// Lane i holds sample (sample + i): the forward pass below is Forward's, for " + Count(v.Lanes) + " samples at once");
            w.WriteLine("ref " + b.T + " " + BlockInputs + " = ref BpgUnsafe.Add(ref inputStart, sample * InputCount);");
            w.WriteLine("ref " + b.T + " " + BlockOutputs + " = ref BpgUnsafe.Add(ref outputStart, sample * OutputCount);");
            EmitTransposedGather(w, b, v, BlockInputs, b.Spec.Inputs);
            ForwardEmitter.Emit(w, b);
            w.WriteLine();
            EmitOutputs(w, b, v);
            w.CloseBrace();
            w.WriteLine("return sample;");
        }

        /// <summary>ŷ = aᴸ of a block, each lane into its sample's outputs (from <c>os</c>).</summary>
        private static void EmitOutputs(SourceWriter w, EmitContext b, VectorShape v)
        {
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

            if (IsPairs(b, v, outputs))
            {
                // Interleaved again: the low (high) halves of samples 0..3 | 4..7 paired, then the halves put in order.
                string low = BlockOutputs + "Low", high = BlockOutputs + "High";
                w.WriteLine(v.Type + " " + low + " = BpgAvx.UnpackLow(" + b.A(b.L, 0) + ", " + b.A(b.L, 1) + "), " + high + " = BpgAvx.UnpackHigh(" + b.A(b.L, 0) + ", " + b.A(b.L, 1) + ");");
                w.WriteLine(v.Store("BpgAvx.Permute2x128(" + low + ", " + high + ", 0x20)", BlockOutputs) + ";");
                w.WriteLine(v.Store("BpgAvx.Permute2x128(" + low + ", " + high + ", 0x31)", "BpgUnsafe.Add(ref " + BlockOutputs + ", 8)") + ";");
                return;
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
        }

        private static void EmitGradientBlocks(SourceWriter w, EmitContext b, VectorShape v)
        {
            w.WriteLine("// gradientSums[i]: ∂C/∂θᵢ summed per lane over the blocks; the lanes are added into gradient[i] at the end");
            EmitStackBuffer(w, "gradientSums", v.Type, BatchParameterWriter.Sums, "ParameterCount");
            EmitSignals(w, b, v, gradients: true);
            if (HasWeightTiles(b))
            {
                w.WriteLine("ref " + b.T + " " + GradientStart + " = ref " + MemoryMarshal + ".GetReference(gradient);");
            }

            w.WriteLine("ref " + b.T + " inputStart = ref " + MemoryMarshal + ".GetReference(inputs);");
            w.WriteLine("ref " + b.T + " targetStart = ref " + MemoryMarshal + ".GetReference(targets);");
            w.WriteLine(v.Type + " losses = " + v.Type + ".Zero;");
            w.WriteLine(b.T + " redone = " + b.Literal(0) + ";");
            string taken;
            if (b.BatchPhased)
            {
                EmitChunks(w, b, v, () =>
                {
                    EmitPhasedForward(w, b, v);
                    w.WriteLine();
                    OpenBlockLoop(w, b, v, readsSamples: true);
                    w.WriteLine("// The block's loss, δ and gradients: AccumulateGradient's statements, for " + Count(v.Lanes) + " samples at once");
                    w.WriteLine("ref " + b.T + " " + BlockTargets + " = ref BpgUnsafe.Add(ref targetStart, sample * OutputCount);");
                    EmitTransposedGather(w, b, v, BlockTargets, b.Spec.Outputs);
                    LossEmitter.Emit(w, b);
                    BackwardEmitter.Emit(w, b, GradientUse.Accumulate);
                    w.CloseBrace();
                });
                taken = "start";
            }
            else
            {
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
                taken = "sample";
            }

            w.WriteLine();
            w.WriteLine("// Σ over the lanes (the samples) of each parameter's sums");
            w.OpenBlock("for (int i = 0; i < ParameterCount; i++)");
            w.WriteLine("gradient[i] += " + v.Alias + ".Sum(BpgUnsafe.Add(ref " + BatchParameterWriter.Sums + ", i));");
            w.CloseBrace();
            w.WriteLine("done = " + taken + ";");
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
    /// lane, each a private static function of the network type (its body Bpg…Inlined, inlined into the layer
    /// kernels and called elsewhere). e^x of floats is a vector polynomial on every target (2ⁿ · e^r with a
    /// degree-6 polynomial for e^r fitted by docs/tools/fit_expf.py, within 1.25 half-ulps of e^x; measured
    /// faster than .NET 9's Vector256.Exp, which works in double); of doubles it is Vector256.Exp where the target has it (.NET 9+,
    /// <see cref="Model.TargetFeatures.HasVectorMath"/>), else Math.Exp lane by lane. ln x is
    /// Vector256.Log or lane by lane (the losses take one per output). No target has a vector tanh:
    /// it is 1 − 2 / (e^(2x) + 1) from the vector e^x (exactly ±1 where e^(2x) overflows or vanishes),
    /// or lane by lane.
    /// </summary>
    internal sealed class BatchAlgebra : VectorAlgebra
    {
        private const string NoInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]";

        private const string AggressiveInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

        private readonly EmitContext _b;
        private readonly VectorShape _v;

        /// <summary>Whether the functions are written as calls of their inlined bodies (<c>BpgExpInlined</c>): inside a kernel's loop, where one copy costs nothing.</summary>
        private readonly bool _inlined;

        private BatchAlgebra? _inlinedTwin;

        public BatchAlgebra(EmitContext b, VectorShape v)
            : this(b, v, inlined: false)
        {
        }

        private BatchAlgebra(EmitContext b, VectorShape v, bool inlined)
            : base(b, v)
        {
            _b = b;
            _v = v;
            _inlined = inlined;
        }

        /// <summary>This algebra with e^x, tanh x and ln x inlined (the kernels' and the functions' own bodies).</summary>
        private BatchAlgebra Inlined => _inlined ? this : _inlinedTwin ??= new BatchAlgebra(_b, _v, inlined: true);

        /// <summary>
        /// The kernel of <paramref name="activation"/>'s σ (<see cref="EmitContext.BatchKernel"/>), asked for once per width:
        /// aⱼ = σ(zⱼ) for every neuron of a layer in every block of a chunk, the rule rendered once with its functions inlined.
        /// A loop over a layer's vectors, as a vector math library's function over a span; the network's own statements stay unrolled.
        /// </summary>
        public string ActivationKernel(Activation activation)
        {
            ActivationRule rule = ActivationMath.Rule(activation);
            string name = "Bpg" + activation + "Layer";
            string type = _v.Type;
            _b.AddMethod(
                "// aⱼ = σ(zⱼ), " + rule.Formula + ", for every neuron of a layer in every block of a chunk: z and a are the first of\n"
                + "// `neurons` vectors of samples in each block, the blocks `stride` vectors apart. One call for the layer lets the neurons' e^x run side by side\n"
                + NoInlining,
                "private static void " + name + "(ref " + type + " z, ref " + type + " a, int neurons, int blocks, int stride)",
                body =>
                {
                    body.OpenBlock("for (int block = 0; block < blocks; block++)");
                    body.OpenBlock("for (int j = block * stride; j < (block * stride) + neurons; j++)");
                    body.WriteLine(type + " x = BpgUnsafe.Add(ref z, j);");
                    body.WriteLine("BpgUnsafe.Add(ref a, j) = " + (rule.Apply ?? throw Unreachable("a kernel of a whole-layer activation"))(Inlined, "x") + ";");
                    body.CloseBrace();
                    body.CloseBrace();
                });
            return name;
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
                "// e^x per lane: x = n ln 2 + r (n an integer near x log₂e, ln 2 in two parts), e^x = 2ⁿ · e^r with a degree-6 polynomial for e^r\n"
                + "// (fitted on [−ln 2/2, ln 2/2], docs/tools/fit_expf.py: within 1.25 float rounding steps of e^x). When every lane is within ±87\n"
                + "// (almost always), n is x log₂e + 1.5·2²³ rounded by the float addition and 2ⁿ is added to e^r's exponent bits;\n"
                + "// otherwise x is clamped, with 0 below ln 2⁻¹²⁶, ∞ above 88.376 (where 2ⁿ would overflow the exponent) and NaN kept",
                body =>
                {
                    string v = _v.Type;
                    string a = _v.Alias;
                    body.OpenBlock("if (" + a + ".LessThanAll(" + a + ".Abs(x), " + Constant(87) + "))");
                    body.WriteLine(v + " t = " + MultiplyAdd("x", Constant(Log2E), Constant(RoundingShift)) + ";");
                    body.WriteLine(v + " m = t - " + Constant(RoundingShift) + ";");
                    WriteExpPolynomial(body, "m", "x");
                    // t's low bits hold n: shifted into the exponent field (the rest shifts out) and added to e^r's, 2ⁿ e^r without a multiply.
                    body.WriteLine("return " + a + ".AsSingle(" + a + ".AsInt32(p) + " + a + ".ShiftLeft(" + a + ".AsInt32(t), 23));");
                    body.CloseBrace();
                    body.OpenBlock("else");
                    body.WriteLine(v + " c = " + a + ".Min(" + a + ".Max(x, " + Constant(ExpLow) + "), " + Constant(ExpHigh) + ");");
                    body.WriteLine(v + " n = " + a + ".Floor(" + MultiplyAdd("c", Constant(Log2E), Constant(0.5)) + ");");
                    WriteExpPolynomial(body, "n", "c");
                    // n is whole and within the exponent's range: .NET 9's saturating ConvertToInt32 would only add a fix-up.
                    string integers = a + (_b.Features.HasVectorMath ? ".ConvertToInt32Native(n)" : ".ConvertToInt32(n)") + " + " + a + ".Create(127)";
                    body.WriteLine(v + " y = p * " + a + ".AsSingle(" + a + ".ShiftLeft(" + integers + ", 23));");
                    body.WriteLine("y = " + a + ".ConditionalSelect(" + a + ".GreaterThan(x, " + Constant(ExpHigh) + "), " + a + ".Create(float.PositiveInfinity), y);");
                    body.WriteLine("y = " + a + ".ConditionalSelect(" + a + ".LessThan(x, " + Constant(ExpLow) + "), " + Zero + ", y);");
                    body.WriteLine("return " + a + ".ConditionalSelect(" + a + ".Equals(x, x), y, x);");
                    body.CloseBrace();
                });
            return Call("Exp", x);
        }

        /// <summary>
        /// r = <paramref name="x"/> − <paramref name="n"/> ln 2 (ln 2 in two parts, the first exact in n × it) and p = e^r by Horner's rule,
        /// one multiply-add per coefficient where the block fuses them: the polynomial both paths of e^x share.
        /// </summary>
        private void WriteExpPolynomial(SourceWriter body, string n, string x)
        {
            body.WriteLine(_v.Type + " r = " + MultiplyAdd(n, Constant(-0.693359375), x) + ";");
            body.WriteLine("r = " + MultiplyAdd(n, Constant(2.12194440e-4), "r") + ";");
            body.WriteLine(_v.Type + " p = " + MultiplyAdd(Constant(ExpCoefficients[0]), "r", Constant(ExpCoefficients[1])) + ";");
            for (int i = 2; i < ExpCoefficients.Length; i++)
            {
                body.WriteLine("p = " + MultiplyAdd("p", "r", Constant(ExpCoefficients[i])) + ";");
            }
        }

        /// <summary>e^r ≈ Σ cᵢ rⁱ on [−ln 2/2, ln 2/2], highest power first; the two 1s are exact (docs/tools/fit_expf.py fits the rest).</summary>
        private static readonly double[] ExpCoefficients = { 0.001381461275741458, 0.008368710055947304, 0.04166838899254799, 0.1666652113199234, 0.4999999403953552, 1, 1 };

        private const double Log2E = 1.44269504088896341;

        /// <summary>1.5·2²³: added to x log₂e, the float sum is rounded to a whole number, which its low mantissa bits hold.</summary>
        private const double RoundingShift = 12582912;

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

            string exp = Inlined.Exp("x + x");
            Function(
                "Tanh",
                "// tanh x = 1 − 2 / (e^(2x) + 1) per lane (no vector tanh exists): ±1 exactly where e^(2x) overflows or vanishes",
                body => body.WriteLine("return " + One + " - " + Constant(2) + " / (" + exp + " + " + One + ");"));
            return Call("Tanh", x);
        }

        /// <summary>A function of one vector that applies the scalar <paramref name="scalar"/> lane by lane.</summary>
        private string Helper(string function, string x, System.Func<string, string> scalar)
        {
            Function(function, "// " + function + " lane by lane: the scalar function of each lane (no vector " + function + " here)", body => body.WriteLine("return " + LaneByLane("x", scalar) + ";"));
            return Call(function, x);
        }

        /// <summary>Asks for the private static function Bpg<paramref name="function"/>Inlined of one vector x (once per width), the function's body.</summary>
        private void Function(string function, string comment, System.Action<SourceWriter> body) =>
            _b.AddMethod(comment + "\n" + AggressiveInlining, "private static " + _v.Type + " Bpg" + function + "Inlined(" + _v.Type + " x)", body);

        /// <summary>
        /// A call of Bpg<paramref name="function"/>: inlined in a kernel; elsewhere through a function that is not
        /// inlined (a block method inlining 20 copies made the JIT hoist their constants into registers and spill them).
        /// </summary>
        private string Call(string function, string x)
        {
            if (_inlined)
            {
                return "Bpg" + function + "Inlined(" + x + ")";
            }

            _b.AddMethod(
                "// Bpg" + function + "Inlined, called: the block methods' copy\n" + NoInlining,
                "private static " + _v.Type + " Bpg" + function + "(" + _v.Type + " x)",
                body => body.WriteLine("return Bpg" + function + "Inlined(x);"));
            return "Bpg" + function + "(" + x + ")";
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
