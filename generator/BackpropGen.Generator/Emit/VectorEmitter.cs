using System;
using System.Collections.Generic;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;
using static BackpropGen.Generator.Emit.Notation;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The vector form of a split network's steps (<see cref="EmitContext.IsVector"/>): the same
    /// equations eight floats (four doubles) at a time with Vector256. Weights are read where they
    /// lie: θ and the scratch struct are sequential, so wˡⱼₖ … wˡⱼ,ₖ₊₇ (a row of the weight matrix) and
    /// aˡ⁻¹ₖ … aˡ⁻¹ₖ₊₇ are each one load from the named field. What does not fill a vector is written
    /// as the scalar statements. The element-wise steps (δ of hidden layers, every gradient and
    /// update) do per lane exactly what the scalar statements do, so they give the same bits; only
    /// a weighted sum zˡⱼ adds its products in another order (eight partial sums, then across).
    /// </summary>
    internal static class VectorEmitter
    {
        /// <summary>
        /// The aliases the file declares for System.Runtime.Intrinsics.Vector256 and Vector128 (the Bpg
        /// prefix is reserved, so no member of the network type can hide them), which keep the vector
        /// statements readable.
        /// </summary>
        public static readonly string[] AliasDirectives =
        {
            "using BpgVector256 = global::System.Runtime.Intrinsics.Vector256;",
            "using BpgVector128 = global::System.Runtime.Intrinsics.Vector128;",
            "using BpgUnsafe = global::System.Runtime.CompilerServices.Unsafe;", // VectorShape.Read/Write
        };

        /// <summary>zˡⱼ as dot products of weight rows with aˡ⁻¹, then aˡⱼ = σ(zˡⱼ) as in the scalar form.</summary>
        public static void EmitNeurons(SourceWriter w, EmitContext c, VectorShape v, int l, int start, int end)
        {
            int fanIn = c.Size(l - 1);
            int vectorEnd = fanIn - (fanIn % v.Lanes);
            w.WriteLine("// Layer " + Count(l) + (l == c.L ? " (output)" : string.Empty) + ": " + Pluralize(c.Size(l), "neuron") + ", " + c.ActivationOf(l) + "; neurons " + Count(start) + ".." + Count(end - 1) + " here");
            w.WriteLine("// z" + Sup(l) + "ⱼ = Σₖ w" + Sup(l) + "ⱼₖ a" + Sup(l - 1) + "ₖ + b" + Sup(l) + "ⱼ, " + Count(v.Lanes) + " products at a time: Sum(w" + Sup(l) + "ⱼ,ₖ..ₖ₊" + Count(v.Lanes - 1) + " ⊙ a" + Sup(l - 1) + "ₖ..ₖ₊" + Count(v.Lanes - 1) + ")");
            Func<int, string> input = LoadInputs(w, c, v, l - 1, 0, vectorEnd, end - start);
            for (int j = start; j < end; j++)
            {
                var products = new List<string>();
                for (int k = 0; k < vectorEnd; k += v.Lanes)
                {
                    products.Add(v.Read(c.W(l, j, k)) + " * " + input(k));
                }

                var terms = new List<string>();
                if (products.Count > 0)
                {
                    terms.Add(v.Alias + ".Sum(" + PairwiseSum(products) + ")");
                }

                for (int k = vectorEnd; k < fanIn; k++)
                {
                    terms.Add(c.W(l, j, k) + " * " + c.A(l - 1, k));
                }

                terms.Add(c.B(l, j));
                ExpressionWriter.WriteSum(w, c.Z(l, j), terms);
            }

            ForwardEmitter.EmitActivations(w, c, l, start, end);
        }

        /// <summary>
        /// δˡⱼ for j in [<paramref name="start"/>, <paramref name="end"/>): Σₘ δˡ⁺¹ₘ · (row m of wˡ⁺¹ at
        /// columns j..j+7), times σ' of eight neurons at once (the activation's rule in the vector
        /// shape, or lane by lane where σ' needs a function vectors lack); the columns left over, scalar.
        /// </summary>
        public static void EmitHiddenDeltas(SourceWriter w, EmitContext c, VectorShape v, int l, int start, int end)
        {
            int vectorEnd = start + ((end - start) - ((end - start) % v.Lanes));
            string vectorType = v.Type;
            Activation activation = c.ActivationOf(l);
            ActivationRule rule = ActivationMath.Rule(activation);
            var algebra = new VectorAlgebra(c, v);
            bool laneByLane = !algebra.HasFunctions && ActivationMath.DerivativeUsesFunctions(activation);
            w.WriteLine("// δ" + Sup(l) + "ⱼ = (Σₘ w" + Sup(l + 1) + "ₘⱼ δ" + Sup(l + 1) + "ₘ) · σ'(z" + Sup(l) + "ⱼ), " + rule.DerivativeFormula + "; " + Count(v.Lanes) + " neurons j at a time");
            for (int j = start; j < vectorEnd; j += v.Lanes)
            {
                var terms = new List<string>(c.Size(l + 1));
                for (int m = 0; m < c.Size(l + 1); m++)
                {
                    terms.Add(v.Alias + ".Create(" + c.Delta(l + 1, m) + ") * " + v.Read(c.W(l + 1, m, j)));
                }

                string? sigmaPrime;
                if (laneByLane)
                {
                    // Each lane is the scalar σ', so each lane is bit for bit the scalar δ.
                    var lanes = new List<string>(v.Lanes);
                    for (int i = 0; i < v.Lanes; i++)
                    {
                        lanes.Add(ActivationMath.Derivative(c.Scalar, activation, c.Z(l, j + i), c.A(l, j + i))!);
                    }

                    sigmaPrime = v.Alias + ".Create(" + string.Join(", ", lanes) + ")";
                }
                else
                {
                    sigmaPrime = ActivationMath.Derivative(algebra, activation, v.Read(c.Z(l, j)), "a");
                    if (sigmaPrime is not null && (rule.DerivativeReads & Reads.A) != 0)
                    {
                        w.WriteLine((j == start ? vectorType + " " : string.Empty) + "a = " + v.Read(c.A(l, j)) + ";");
                    }
                }

                // Left to right as the scalar sum, so each lane is bit for bit the scalar δ.
                ExpressionWriter.WriteSum(w, (j == start ? vectorType + " " : string.Empty) + "delta", terms, sigmaPrime);
                w.WriteLine(v.Write("delta", c.Delta(l, j)) + ";");
            }

            if (vectorEnd < end)
            {
                BackwardEmitter.EmitHiddenDeltas(w, c, l, vectorEnd, end);
            }
        }

        /// <summary>
        /// The gradient (or update) of neurons [<paramref name="start"/>, <paramref name="end"/>) of layer
        /// <paramref name="l"/>, eight weights of a row at a time: columns [<paramref name="columnStart"/>,
        /// <paramref name="columnEnd"/>) (a whole number of vectors from <paramref name="columnStart"/>), and the
        /// biases with the last columns.
        /// </summary>
        public static void EmitGradients(SourceWriter w, EmitContext c, VectorShape v, int l, int start, int end, int columnStart, int columnEnd, GradientUse use)
        {
            int fanIn = c.Size(l - 1);
            int vectorEnd = columnEnd - ((columnEnd - columnStart) % v.Lanes);
            string vectorType = v.Type;
            string up = Sup(l);
            w.WriteLine("// Layer " + Count(l) + (use == GradientUse.Descend ? " update: w" + up + "ⱼₖ ← w" + up + "ⱼₖ − α a" + Sup(l - 1) + "ₖ δ" + up + "ⱼ" : " gradient: ∂C/∂w" + up + "ⱼₖ = a" + Sup(l - 1) + "ₖ δ" + up + "ⱼ")
                + (c.Spec.Optimizer.WeightDecay > 0 ? " (+ λ w: weight decay)" : string.Empty) + ", " + Count(v.Lanes) + " k at a time; ∂C/∂b" + up + "ⱼ = δ" + up + "ⱼ");
            var writer = new VectorParameterWriter(c, v, "g");
            var scalar = new ScalarParameterWriter(c);
            switch (use)
            {
                case GradientUse.Descend:
                    w.WriteLine(vectorType + " " + writer.LearningRate + " = " + v.Alias + ".Create(learningRate);");
                    break;
                case GradientUse.Accumulate:
                case GradientUse.Store:
                    w.WriteLine("ref " + c.T + " g = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(gradient);");
                    break;
                default:
                    throw Unreachable(use);
            }

            Func<int, string> input = LoadInputs(w, c, v, l - 1, columnStart, vectorEnd, end - start);
            for (int j = start; j < end; j++)
            {
                if (vectorEnd > columnStart)
                {
                    w.WriteLine((j == start ? vectorType + " " : string.Empty) + "d = " + v.Alias + ".Create(" + c.Delta(l, j) + ");");
                }

                for (int k = columnStart; k < vectorEnd; k += v.Lanes)
                {
                    OptimizerEmitter.UseGradient(writer, w, c, use, c.W(l, j, k), c.WeightIndex(l, j, k), input(k) + " * d");
                }

                for (int k = vectorEnd; k < columnEnd; k++)
                {
                    OptimizerEmitter.UseGradient(scalar, w, c, use, c.W(l, j, k), c.WeightIndex(l, j, k), c.A(l - 1, k) + " * " + c.Delta(l, j));
                }
            }

            if (columnEnd < fanIn)
            {
                return;
            }

            int biasVectorEnd = start + ((end - start) - ((end - start) % v.Lanes));
            for (int j = start; j < biasVectorEnd; j += v.Lanes)
            {
                OptimizerEmitter.UseGradient(writer, w, c, use, c.B(l, j), c.BiasIndex(l, j), v.Read(c.Delta(l, j)));
            }

            for (int j = biasVectorEnd; j < end; j++)
            {
                OptimizerEmitter.UseGradient(scalar, w, c, use, c.B(l, j), c.BiasIndex(l, j), c.Delta(l, j));
            }
        }

        /// <summary>
        /// The vectors aˡₖ..ₖ₊₇ for k in [<paramref name="from"/>, <paramref name="to"/>), which every one of a
        /// step's <paramref name="neurons"/> multiplies: loaded once into locals (<c>ak0</c>, <c>ak8</c>, …) when
        /// there are at most <see cref="MaxInputLocals"/> of them and more than one neuron uses them, else read
        /// from the scratch struct at each use. Each load is a call the JIT imports (a 64-32-10 TrainStep
        /// would import the 8 vectors of a⁰ 64 times); the value is the same either way.
        /// </summary>
        private static Func<int, string> LoadInputs(SourceWriter w, EmitContext c, VectorShape v, int l, int from, int to, int neurons)
        {
            int count = (to - from) / v.Lanes;
            if (count == 0 || count > MaxInputLocals || neurons < 2)
            {
                return k => v.Read(c.A(l, k));
            }

            w.WriteLine("// a" + Sup(l) + "ₖ..ₖ₊" + Count(v.Lanes - 1) + ", loaded once for every neuron of this step");
            for (int k = from; k < to; k += v.Lanes)
            {
                w.WriteLine(v.Type + " ak" + Count(k) + " = " + v.Read(c.A(l, k)) + ";");
            }

            return k => "ak" + Count(k);
        }

        /// <summary>
        /// At most this many input vectors are kept in locals (<see cref="LoadInputs"/>): with the weight row, the
        /// partial sums and δ they stay within the 16 vector registers of x64 (AVX2) and ARM64.
        /// </summary>
        private const int MaxInputLocals = 8;

        /// <summary>The products summed in pairs first, so neighbouring additions do not wait on each other.</summary>
        private static string PairwiseSum(List<string> products)
        {
            var pairs = new List<string>();
            for (int i = 0; i < products.Count; i += 2)
            {
                pairs.Add(i + 1 < products.Count ? "(" + products[i] + " + " + products[i + 1] + ")" : products[i]);
            }

            return string.Join(" + ", pairs);
        }
    }

    /// <summary>One vector width the steps are written for: Vector256 (8 floats, 4 doubles) or Vector128 (4, 2).</summary>
    internal sealed class VectorShape
    {
        private VectorShape(EmitContext c, int bits)
        {
            Alias = "BpgVector" + EmitContext.Count(bits);
            Type = "global::System.Runtime.Intrinsics.Vector" + EmitContext.Count(bits) + "<" + c.T + ">";
            Lanes = bits / (c.IsDouble ? 64 : 32);
            Suffix = "V" + EmitContext.Count(bits);
            ElementType = c.T;
            Bits = bits;
        }

        /// <summary>The vector's width in bits: 256 or 128.</summary>
        public int Bits { get; }

        public static VectorShape Wide(EmitContext c) => new(c, 256);

        public static VectorShape Narrow(EmitContext c) => new(c, 128);

        /// <summary>The file's alias of the static class: BpgVector256 or BpgVector128.</summary>
        public string Alias { get; }

        /// <summary>The vector type, e.g. Vector256&lt;float&gt;.</summary>
        public string Type { get; }

        /// <summary>Numbers per vector.</summary>
        public int Lanes { get; }

        /// <summary>What the step methods of this width are called by: V256 or V128.</summary>
        public string Suffix { get; }

        /// <summary>The vector that starts at a value of a span or array: LoadUnsafe (the batch shape's samples).</summary>
        public string Load(string field) => Alias + ".LoadUnsafe(ref " + field + ")";

        /// <summary>Stores a vector from a value of a span or array: StoreUnsafe.</summary>
        public string Store(string value, string field) => Alias + ".StoreUnsafe(" + value + ", ref " + field + ")";

        /// <summary>
        /// The vector that starts at a field of θ or the scratch struct (unaligned): the same load as LoadUnsafe,
        /// written with Unsafe.ReadUnaligned because importing a Vector256/Vector128 call costs the JIT about
        /// twice as much as these two Unsafe calls, and the first TrainStep of a large network imports thousands
        /// (README, "The first call").
        /// </summary>
        public string Read(string field) => ReadAt(Bytes(field));

        /// <summary>A field of θ or the scratch struct as the <c>ref byte</c> Unsafe's unaligned reads and writes take.</summary>
        private string Bytes(string field) => "BpgUnsafe.As<" + ElementType + ", byte>(ref " + field + ")";

        /// <summary>The vector at a <c>ref byte</c>.</summary>
        public string ReadAt(string bytes) => "BpgUnsafe.ReadUnaligned<" + Type + ">(ref " + bytes + ")";

        /// <summary>The element type: float or double.</summary>
        public string ElementType { get; }

        /// <summary>Stores a vector at a field of θ or the scratch struct, as <see cref="Read"/> reads it.</summary>
        public string Write(string value, string field) => "BpgUnsafe.WriteUnaligned(ref " + Bytes(field) + ", " + value + ")";
    }
}
