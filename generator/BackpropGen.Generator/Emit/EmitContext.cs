using System;
using System.Globalization;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// One network being emitted: its spec, what the target compilation offers, and the names and
    /// literals every emitter shares (so a weight is called the same thing everywhere).
    /// </summary>
    /// <summary>A private method of a split network: what it does, its signature and how to write its body.</summary>
    internal sealed record PrivateMethod(string Comment, string Signature, Action<SourceWriter> Body);

    internal sealed class EmitContext
    {
        private readonly int[] _layerOffsets;

        public EmitContext(NetworkSpec spec, TargetFeatures features)
        {
            Spec = spec;
            Features = features;
            Scalar = new ScalarAlgebra(this);
            IsDouble = spec.Precision == Precision.Double;
            T = IsDouble ? "double" : "float";
            // What the network can do decides what it implements: training, loading, or only reading.
            // An explained network is written in the shape a reader follows: unsplit scalar statements
            // (it has at most NetworkLimits.ExplainMaxParameters, well inside the unsplit limits).
            IsVector = features.HasVector256 && !spec.IsBaked && !spec.Explain && HasWideLayer(spec);
            // A wide layer splits the network on every target, scalar ones included: written as one
            // method, a sum of 16 or more products per neuron keeps every input of the layer live in a
            // register, and with 16 of them the JIT spills the running sum at every term (16-16-4's
            // TrainStep: 2,592 of 4,379 instructions touched the stack, 1.1x the plain loop); the split
            // steps read the signals from the scratch struct instead (45 stack instructions, 0.6x).
            IsSplit = IsVector || NetworkLimits.NeedsSplit(spec) || (!spec.Explain && HasWideLayer(spec));
            InterfaceName = "global::BackpropGen." + (spec.HasTraining ? "INetwork" : spec.IsBaked ? "IReadOnlyNetwork" : "IInferenceNetwork") + "<" + T + ">";
            Interfaces = InterfaceName + (spec.InputScaling ? ", global::BackpropGen." + (spec.IsBaked ? "IReadOnlyInputScaling" : "IInputScaling") + "<" + T + ">" : string.Empty);

            HasBatchShape = features.HasVector256 && NetworkLimits.FitsBatch(spec);
            BatchPhased = HasBatchKernel();
            Algebra = Scalar;
            Methods = new();
            _methodSignatures = new(StringComparer.Ordinal);

            // _layerOffsets[l] is the index of w^l_00 in canonical order.
            _layerOffsets = new int[spec.OutputLayer + 2];
            for (int l = 1; l <= spec.OutputLayer; l++)
            {
                _layerOffsets[l + 1] = _layerOffsets[l] + ((spec.SizeOf(l - 1) + 1) * spec.SizeOf(l));
            }
        }

        /// <summary>The same network in the batch shape of <paramref name="lanes"/>: see <see cref="ForBatch"/>.</summary>
        private EmitContext(EmitContext network, VectorShape lanes)
        {
            Spec = network.Spec;
            Features = network.Features;
            Scalar = network.Scalar;
            IsDouble = network.IsDouble;
            T = network.T;
            IsVector = network.IsVector;
            IsSplit = network.IsSplit;
            InterfaceName = network.InterfaceName;
            Interfaces = network.Interfaces;
            HasBatchShape = network.HasBatchShape;
            BatchPhased = network.BatchPhased;
            _layerOffsets = network._layerOffsets;
            Methods = network.Methods;
            _methodSignatures = network._methodSignatures;
            Batch = lanes;
            Algebra = new BatchAlgebra(this, lanes);
        }

        /// <summary>
        /// The context the batch shape renders the rules in: every z, a, δ (and y, e, the loss, the guard)
        /// a local vector of <paramref name="lanes"/> samples, every parameter broadcast to all lanes, the
        /// rules written through <see cref="BatchAlgebra"/>. Parameters are read where the network keeps them.
        /// </summary>
        public EmitContext ForBatch(VectorShape lanes) => new(this, lanes);

        /// <summary>Set in a batch context (<see cref="ForBatch"/>): the vector every signal is, one sample per lane.</summary>
        public VectorShape? Batch { get; }

        /// <summary>
        /// The network gets the batch shape (ForwardBatch and AccumulateGradientBatch SIMD across samples):
        /// the target has Vector256 and the network fits <see cref="NetworkLimits.FitsBatch"/>.
        /// Otherwise those members loop over the per-sample ones.
        /// </summary>
        public bool HasBatchShape { get; }

        /// <summary>How this context writes the operations of a rule: <see cref="Scalar"/>, or the batch shape's vectors.</summary>
        public Algebra Algebra { get; }

        public NetworkSpec Spec { get; }

        /// <summary>The scalar shape's operations, for rules written against <see cref="Algebra"/>.</summary>
        public Algebra Scalar { get; }

        /// <summary>The private methods a split network's members call, in the order first asked for (see <see cref="AddMethod"/>).</summary>
        public System.Collections.Generic.List<PrivateMethod> Methods { get; }

        private readonly System.Collections.Generic.HashSet<string> _methodSignatures;

        /// <summary>
        /// Asks for a private method; the same signature asked for twice (Forward's layers serve
        /// ComputeLoss, TrainStep and AccumulateGradient too) is written once, after the public members.
        /// </summary>
        public void AddMethod(string comment, string signature, Action<SourceWriter> body)
        {
            if (_methodSignatures.Add(signature))
            {
                Methods.Add(new PrivateMethod(comment, signature, body));
            }
        }

        public TargetFeatures Features { get; }

        public bool IsDouble { get; }

        /// <summary>The C# keyword of the network's number type.</summary>
        public string T { get; }

        public string InterfaceName { get; }

        /// <summary>Everything the generated type implements: <see cref="InterfaceName"/>, and the input scaling's interface when it has one.</summary>
        public string Interfaces { get; }

        /// <summary>The interface that declares the sizes and the topology (for explicit implementations).</summary>
        public string ReadOnlyInterfaceName => "global::BackpropGen.IReadOnlyNetwork<" + T + ">";

        public int L => Spec.OutputLayer;

        public int Size(int l) => Spec.SizeOf(l);

        public Activation ActivationOf(int l) => Spec.Layers[l - 1].Activation;

        /// <summary>
        /// True when the network is too large for one method per member: the passes are split into
        /// private methods per layer and block of neurons, which share z, a and δ through a
        /// <see cref="ScratchType"/> on the caller's stack, and the parameters live in one
        /// <see cref="ParameterType"/> struct (so the per-parameter members can be split too).
        /// </summary>
        public bool IsSplit { get; }

        /// <summary>
        /// The target has Vector256 and some layer is wide enough (a fan-in of 16 or more: two float vectors) for
        /// vector code to pay: the passes are split (<see cref="IsSplit"/>) and each step also comes as a
        /// Vector256 step and a Vector128 step; the public member calls the Vector256 steps when
        /// Vector256.IsHardwareAccelerated and the Vector128 steps otherwise. No scalar steps are written.
        /// </summary>
        public bool IsVector { get; }

        /// <summary>
        /// The narrowest fan-in that makes a network split, and vector code where the target has Vector256
        /// (measured: at 16-16-4 both pay, at 4-8-3 the unsplit scalar form wins).
        /// </summary>
        public const int VectorFanIn = 16;

        private static bool HasWideLayer(NetworkSpec spec)
        {
            for (int l = 1; l <= spec.OutputLayer; l++)
            {
                if (spec.SizeOf(l - 1) >= VectorFanIn)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The nested struct that holds θ (and each optimizer state vector) of a split network.</summary>
        public const string ParameterType = "BpgParameters";

        /// <summary>The nested struct of z, a, δ (and softmax's m and Σ) of a split network, a local of each public method.</summary>
        public const string ScratchType = "BpgScratch";

        public const string ParameterField = "_bpgParameters";

        private const string Scratch = "s.";

        // Names. Parameters are fields of the user's type (or of its BpgParameters struct when split);
        // z, a, δ are locals of one method (or fields of the caller's BpgScratch when split).
        public static string WName(int l, int j, int k) => "_w" + I(l) + "_" + I(j) + "_" + I(k);

        public static string BName(int l, int j) => "_b" + I(l) + "_" + I(j);

        /// <summary>How code reads or writes the parameter called <paramref name="name"/>.</summary>
        public string Field(string name) => IsSplit ? ParameterField + "." + name : name;

        public string W(int l, int j, int k) => Field(WName(l, j, k));

        public string B(int l, int j) => Field(BName(l, j));

        public string Z(int l, int j) => SignalPrefix(l) + "z" + I(l) + "_" + I(j);

        public string A(int l, int j) => SignalPrefix(l) + "a" + I(l) + "_" + I(j);

        public string Delta(int l, int j) => SignalPrefix(l) + "d" + I(l) + "_" + I(j);

        /// <summary>The left-hand side that first defines a z, a, δ, m or Σ: a new local, or the scratch field.</summary>
        public string Define(string signal) => signal.StartsWith(Scratch, StringComparison.Ordinal) ? signal : Local(signal);

        /// <summary>
        /// The widest layer whose signals the batch shape keeps in vector locals. A wider layer's z, a and δ
        /// (the inputs' a⁰ too) are fields of the block's <see cref="BatchEmitter.SignalsType"/> on the stack:
        /// as locals, a weighted sum over 16 of them kept all 16 in the 16 vector registers and the JIT spilled
        /// the running sum at every term (16-16-4's ForwardBatch: 1,239 of 2,678 instructions touched the
        /// stack); from memory each is an operand of the multiply-add that reads it.
        /// </summary>
        public const int BatchRegisterWidth = 8;

        /// <summary>
        /// Whether the batch shape keeps layer <paramref name="l"/>'s signals in memory: the layer is wider than
        /// <see cref="BatchRegisterWidth"/>, or it reads one that is. (Its z stored between its neurons' sums keeps
        /// the JIT from loading the wide layer's a once for all of them into registers, which spilled again.)
        /// </summary>
        public bool BatchSignalsInMemory(int l) => BatchPhased || Size(l) > BatchRegisterWidth || (l > 0 && Size(l - 1) > BatchRegisterWidth);

        /// <summary>
        /// Whether the batch shape runs the forward pass layer by layer over a chunk of blocks (<see cref="BatchEmitter"/>):
        /// some layer's σ calls e^x or tanh x (<see cref="BatchKernel"/>). Block by block, a layer's e^x waited on the
        /// layer below and the next layer on it, and little of one ran beside another (2-4-1's ForwardBatch spent
        /// three quarters of its time in five e^x per block); a layer's σ of every neuron of every block in one
        /// call keeps them independent. Every signal is then in memory (it outlives the loop over blocks that made it).
        /// </summary>
        public bool BatchPhased { get; }

        private bool HasBatchKernel()
        {
            for (int l = 1; l <= L; l++)
            {
                if (BatchKernel(l))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the batch shape applies layer <paramref name="l"/>'s σ through its kernel (<see cref="BatchAlgebra.ActivationKernel"/>):
        /// σ calls e^x or tanh x (Sigmoid, Tanh, SiLU, GELU) and FastMath does not replace it.
        /// </summary>
        public bool BatchKernel(int l) =>
            HasBatchShape && ActivationMath.ApplyUsesFunctions(ActivationOf(l)) && !ActivationMath.IsApproximated(this, ActivationOf(l));

        /// <summary>How many blocks a phased batch member keeps on its stack at once: up to 8, at most 512 vectors (16 KB of Vector256) of signals.</summary>
        public int BatchChunk => Math.Max(1, Math.Min(8, 512 / BatchEmitter.SignalCount(this)));

        private string SignalPrefix(int l) => Batch is null ? Prefix : BatchSignalsInMemory(l) ? Scratch : string.Empty;

        /// <summary>The declaration of a new local of the shape's number type (y, e, the loss, the guard's sums).</summary>
        public string Local(string name) => (Batch?.Type ?? T) + " " + name;

        private string Prefix => IsSplit && Batch is null ? Scratch : string.Empty;

        /// <summary>
        /// xₖ as the forward pass reads it: input[k], or in the batch shape xₖ of each lane's sample, from
        /// the block's inputs (<see cref="BatchEmitter.BlockInputs"/>) sample by sample.
        /// </summary>
        public string Input(int k) => Batch is null ? "input[" + Count(k) + "]" : BatchEmitter.Gather(this, BatchEmitter.BlockInputs, k, Spec.Inputs);

        /// <summary>yⱼ as the loss reads it: target[j], or in the batch shape yⱼ of each lane's sample.</summary>
        public string TargetValue(int j) => Batch is null ? "target[" + Count(j) + "]" : BatchEmitter.Gather(this, BatchEmitter.BlockTargets, j, Spec.Outputs);

        public static string Error(int j) => "e" + I(j);

        public static string Target(int j) => "y" + I(j);

        /// <summary>maxₖ zˡₖ of a Softmax layer.</summary>
        public string SoftmaxMax(int l) => (Batch is null ? Prefix : SignalPrefix(l)) + "m" + I(l);

        /// <summary>e^(zˡⱼ − m) of a Softmax layer (always a local of the method that computes the softmax).</summary>
        public static string SoftmaxExp(int l, int j) => "s" + I(l) + "_" + I(j);

        /// <summary>Σₖ e^(zˡₖ − m) of a Softmax layer.</summary>
        public string SoftmaxSum(int l) => (Batch is null ? Prefix : SignalPrefix(l)) + "sum" + I(l);

        /// <summary>w^l_jk as the code reads it: its field, or for a baked network its value as a literal.</summary>
        public string Weight(int l, int j, int k) => Broadcast(Spec.IsBaked ? BakedLiteral(WeightIndex(l, j, k)) : W(l, j, k));

        /// <summary>b^l_j as the code reads it: its field, or for a baked network its value as a literal.</summary>
        public string Bias(int l, int j) => Broadcast(Spec.IsBaked ? BakedLiteral(BiasIndex(l, j)) : B(l, j));

        /// <summary>A parameter as an operand: itself, or in the batch shape the same value in every lane.</summary>
        private string Broadcast(string parameter) => Batch is null ? parameter : Batch.Alias + ".Create(" + parameter + ")";

        /// <summary>The baked parameter at canonical <paramref name="index"/>, parenthesized when negative.</summary>
        public string BakedLiteral(int index) => Operand(Literal(Spec.BakedParameters[index]));

        /// <summary>The field of the input offset μₖ (<see cref="NetworkSpec.InputScaling"/>).</summary>
        public static string InputOffsetName(int k) => "_bpgInputOffset" + I(k);

        /// <summary>The field of the input scale sₖ; it holds 0 until SetInputScaling sets it (see <see cref="InputScale"/>).</summary>
        public static string InputScaleName(int k) => "_bpgInputScale" + I(k);

        /// <summary>μₖ as the code reads it: its field, or for a baked network its value as a literal.</summary>
        public string InputOffset(int k) => Broadcast(Spec.IsBaked ? Operand(Literal(Spec.BakedInputScaling[k])) : InputOffsetName(k));

        /// <summary>
        /// sₖ as the code reads it. Its field starts at 0 (every field of a new class or a default
        /// struct does, and a struct cannot initialize it to 1 in C# 9), and SetInputScaling refuses 0,
        /// so a stored 0 means "never set" and reads as 1. A baked network's sₖ is a literal.
        /// </summary>
        public string InputScale(int k) => Broadcast(Spec.IsBaked
            ? Operand(Literal(Spec.BakedInputScaling[Spec.Inputs + k]))
            : "(" + InputScaleName(k) + " == " + Literal(0) + " ? " + Literal(1) + " : " + InputScaleName(k) + ")");

        /// <summary>A literal that stands as one operand: parenthesized when negative.</summary>
        private static string Operand(string literal) => literal.StartsWith("-", StringComparison.Ordinal) ? "(" + literal + ")" : literal;

        /// <summary>Index of w^l_jk in canonical order: layer by layer, weights row by row, then biases.</summary>
        public int WeightIndex(int l, int j, int k) => _layerOffsets[l] + (j * Size(l - 1)) + k;

        public int BiasIndex(int l, int j) => _layerOffsets[l] + (Size(l) * Size(l - 1)) + j;

        public int LayerStart(int l) => _layerOffsets[l];

        /// <summary>Every parameter's field name with its canonical index and layer, in canonical order.</summary>
        public System.Collections.Generic.IEnumerable<(string Name, int Index, int Layer)> Parameters()
        {
            for (int l = 1; l <= L; l++)
            {
                for (int j = 0; j < Size(l); j++)
                {
                    for (int k = 0; k < Size(l - 1); k++)
                    {
                        yield return (WName(l, j, k), WeightIndex(l, j, k), l);
                    }
                }

                for (int j = 0; j < Size(l); j++)
                {
                    yield return (BName(l, j), BiasIndex(l, j), l);
                }
            }
        }

        public int LayerEnd(int l) => _layerOffsets[l + 1];

        /// <summary>A literal of the network's type that reads back as exactly the same number.</summary>
        public string Literal(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || (!IsDouble && float.IsInfinity((float)value)))
            {
                // The parser refuses such values; reaching here is a bug, reported as BPG0015.
                throw new InvalidOperationException("No finite " + T + " literal for " + value.ToString("R", CultureInfo.InvariantCulture) + ".");
            }

            if (IsDouble)
            {
                string text = value.ToString("R", CultureInfo.InvariantCulture);
                if (double.Parse(text, CultureInfo.InvariantCulture) != value)
                {
                    text = value.ToString("G17", CultureInfo.InvariantCulture);
                }

                return text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0 ? text + "d" : text;
            }
            else
            {
                float single = (float)value;
                string text = single.ToString("R", CultureInfo.InvariantCulture);

                // "R" does not always round-trip a float on .NET Framework hosts (Visual Studio).
                if (float.Parse(text, CultureInfo.InvariantCulture) != single)
                {
                    text = single.ToString("G9", CultureInfo.InvariantCulture);
                }

                return text + "f";
            }
        }

        public string Exp(string argument) => MathCall("Exp", argument);

        public string Tanh(string argument) => MathCall("Tanh", argument);

        public string Log(string argument) => MathCall("Log", argument);

        public string Sqrt(string argument) => MathCall("Sqrt", argument);

        /// <summary>System.Math has float and double overloads of Max and Abs on every target.</summary>
        public static string Max(string left, string right) => "global::System.Math.Max(" + left + ", " + right + ")";

        public static string Abs(string argument) => "global::System.Math.Abs(" + argument + ")";

        private string MathCall(string function, string argument)
        {
            if (IsDouble)
            {
                return "global::System.Math." + function + "(" + argument + ")";
            }

            return Features.HasMathF
                ? "global::System.MathF." + function + "(" + argument + ")"
                : "(float)global::System.Math." + function + "(" + argument + ")";
        }

        private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Pluralize(int count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

        public static Exception Unreachable(object value) =>
            new InvalidOperationException("Unexpected value " + value + ".");
    }
}
