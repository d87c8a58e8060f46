namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// How one code shape writes the operations a rule is made of. A rule (σ and σ' of an
    /// activation, an optimizer's update) is written once against this; each shape renders it:
    /// <see cref="ScalarAlgebra"/> for one number, <see cref="VectorAlgebra"/> for a Vector256 or
    /// Vector128 of lanes. + − × ÷ are the same C# operators on both, so rules write them as text;
    /// what differs (constants, a branch, functions) is here.
    /// </summary>
    internal abstract class Algebra
    {
        public abstract string Constant(double value);

        public string One => Constant(1);

        public virtual string Zero => Constant(0);

        /// <summary><paramref name="x"/> &gt; 0 ? <paramref name="then"/> : <paramref name="otherwise"/>, per lane.</summary>
        public abstract string IfPositive(string x, string then, string otherwise);

        /// <summary>
        /// Whether <see cref="Exp"/>, <see cref="Tanh"/> and <see cref="Log"/> can be written in this shape.
        /// A shape without them renders a rule that calls them lane by lane, with the scalar algebra.
        /// </summary>
        public abstract bool HasFunctions { get; }

        public abstract string Exp(string x);

        public abstract string Tanh(string x);

        public abstract string Log(string x);

        public abstract string Sqrt(string x);

        /// <summary>
        /// Whether this shape writes a weighted sum as a chain of fused multiply-adds (<see cref="MultiplyAdd"/>,
        /// one rounding per term; <see cref="ExpressionWriter.WriteDots"/>) rather than as the text of its
        /// products and sums. The scalar and across-neuron vector shapes do not: their sums are as they always were.
        /// </summary>
        public virtual bool FusesMultiplyAdd => false;

        /// <summary><paramref name="a"/> × <paramref name="b"/> + <paramref name="c"/>: the operators, or one fused instruction where <see cref="FusesMultiplyAdd"/>.</summary>
        public virtual string MultiplyAdd(string a, string b, string c) => a + " * " + b + " + " + c;

        /// <summary>max(x, y), as the loss and softmax's m need it.</summary>
        public virtual string Max(string x, string y) => throw Unsupported(nameof(Max));

        /// <summary>min(x, y).</summary>
        public virtual string Min(string x, string y) => throw Unsupported(nameof(Min));

        /// <summary>|x|.</summary>
        public virtual string Abs(string x) => throw Unsupported(nameof(Abs));

        /// <summary>The largest finite number of the network's type (the guard's and the loss's ceiling).</summary>
        public virtual string MaxValue => throw Unsupported(nameof(MaxValue));

        /// <summary>
        /// A scalar function (FastActivation's σ) applied to the value called <paramref name="name"/>:
        /// once for one number, once per lane (each lane then bit for bit the scalar result) for a vector.
        /// </summary>
        public virtual string LaneByLane(string name, System.Func<string, string> scalar) => scalar(name);

        private System.Exception Unsupported(string operation) =>
            new System.InvalidOperationException(GetType().Name + " does not write " + operation + ".");
    }

    /// <summary>One number of the network's type: literals and System.Math / System.MathF calls.</summary>
    internal sealed class ScalarAlgebra : Algebra
    {
        private readonly EmitContext _c;

        public ScalarAlgebra(EmitContext c) => _c = c;

        public override string Constant(double value) => _c.Literal(value);

        public override string IfPositive(string x, string then, string otherwise) => x + " > " + Zero + " ? " + then + " : " + otherwise;

        public override bool HasFunctions => true;

        public override string Exp(string x) => _c.Exp(x);

        public override string Tanh(string x) => _c.Tanh(x);

        public override string Log(string x) => _c.Log(x);

        public override string Sqrt(string x) => _c.Sqrt(x);

        /// <summary>System.Math has float and double overloads of Max, Min and Abs on every target.</summary>
        public override string Max(string x, string y) => EmitContext.Max(x, y);

        public override string Min(string x, string y) => "global::System.Math.Min(" + x + ", " + y + ")";

        public override string Abs(string x) => EmitContext.Abs(x);

        public override string MaxValue => _c.T + ".MaxValue";
    }

    /// <summary>A Vector256 or Vector128 of the network's type (<see cref="VectorShape"/>), through the file's aliases.</summary>
    internal class VectorAlgebra : Algebra
    {
        private readonly EmitContext _c;
        private readonly VectorShape _v;

        public VectorAlgebra(EmitContext c, VectorShape v)
        {
            _c = c;
            _v = v;
        }

        public override string Constant(double value) => _v.Alias + ".Create(" + _c.Literal(value) + ")";

        public override string Zero => _v.Type + ".Zero";

        public override string IfPositive(string x, string then, string otherwise) =>
            _v.Alias + ".ConditionalSelect(" + _v.Alias + ".GreaterThan(" + x + ", " + Zero + "), " + then + ", " + otherwise + ")";

        /// <summary>Vector256.Exp and friends arrived in .NET 9, after the vector code's .NET 8 floor.</summary>
        public override bool HasFunctions => false;

        public override string Max(string x, string y) => _v.Alias + ".Max(" + x + ", " + y + ")";

        public override string Min(string x, string y) => _v.Alias + ".Min(" + x + ", " + y + ")";

        public override string Abs(string x) => _v.Alias + ".Abs(" + x + ")";

        public override string MaxValue => _v.Alias + ".Create(" + _c.T + ".MaxValue)";

        public override string LaneByLane(string name, System.Func<string, string> scalar)
        {
            var lanes = new string[_v.Lanes];
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = scalar(name + "[" + EmitContext.Count(i) + "]");
            }

            return _v.Alias + ".Create(" + string.Join(", ", lanes) + ")";
        }

        public override string Exp(string x) => throw NoFunctions();

        public override string Tanh(string x) => throw NoFunctions();

        public override string Log(string x) => throw NoFunctions();

        public override string Sqrt(string x) => _v.Alias + ".Sqrt(" + x + ")";

        private static System.Exception NoFunctions() =>
            new System.InvalidOperationException("The vector shape has no Exp/Tanh/Log; a rule that uses them is rendered lane by lane.");
    }
}
