namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// How one shape writes statements on parameter-shaped values: θ, the optimizer's moments and
    /// the gradient. The optimizer's update and the gradient's uses (<see cref="OptimizerEmitter.Update"/>,
    /// <see cref="OptimizerEmitter.UseGradient"/>) are written once against this.
    /// </summary>
    internal abstract class ParameterWriter
    {
        protected ParameterWriter(Algebra x) => X = x;

        public Algebra X { get; }

        /// <summary>What names α, Adam's α/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ), and Adam's g in this shape.</summary>
        public abstract string LearningRate { get; }

        public abstract string StepSize { get; }

        public abstract string SecondMomentScale { get; }

        public abstract string GradientLocal { get; }

        /// <summary>The value of the parameter-shaped field <paramref name="field"/>.</summary>
        public abstract string Read(string field);

        /// <summary>ApplyGradient's gradient at canonical <paramref name="index"/>.</summary>
        public abstract string GradientAt(int index);

        /// <summary>field ← field − amount.</summary>
        public abstract void Decrease(SourceWriter w, string field, string amount);

        /// <summary>field ← value; returns how the statements after it read the new value (a vector keeps it in <paramref name="temporary"/>).</summary>
        public abstract string Assign(SourceWriter w, string field, string value, string temporary);

        /// <summary>The local <see cref="GradientLocal"/> ← value; returns its name.</summary>
        public string Let(SourceWriter w, string value)
        {
            w.WriteLine(GradientLocal + " = " + value + ";");
            return GradientLocal;
        }

        /// <summary>gradient[index] += value (AccumulateGradient).</summary>
        public abstract void AddToGradient(SourceWriter w, int index, string value);

        /// <summary>gradient[index] += left × right (AccumulateGradient of a weight): the product's text, unless the shape fuses it.</summary>
        public virtual void AddProductToGradient(SourceWriter w, int index, string left, string right) => AddToGradient(w, index, left + " * " + right);

        /// <summary>gradient[index] = value (TrainStep of a stateful optimizer).</summary>
        public abstract void StoreGradient(SourceWriter w, int index, string value);
    }

    /// <summary>One parameter at a time: fields and gradient[i] as they are.</summary>
    internal sealed class ScalarParameterWriter : ParameterWriter
    {
        public ScalarParameterWriter(EmitContext c)
            : base(c.Scalar)
        {
        }

        public override string LearningRate => "learningRate";

        public override string StepSize => "stepSize";

        public override string SecondMomentScale => "secondMomentScale";

        public override string GradientLocal => "g";

        public override string Read(string field) => field;

        public override string GradientAt(int index) => "gradient[" + EmitContext.Count(index) + "]";

        public override void Decrease(SourceWriter w, string field, string amount) => w.WriteLine(field + " -= " + amount + ";");

        public override string Assign(SourceWriter w, string field, string value, string temporary)
        {
            w.WriteLine(field + " = " + value + ";");
            return field;
        }

        public override void AddToGradient(SourceWriter w, int index, string value) => w.WriteLine(GradientAt(index) + " += " + value + ";");

        public override void StoreGradient(SourceWriter w, int index, string value) => w.WriteLine(GradientAt(index) + " = " + value + ";");
    }

    /// <summary>
    /// A vector of consecutive parameters from a field on (θ and the state structs are sequential,
    /// in canonical order): loads and stores, and the gradient through a ref to its first element.
    /// The caller declares the locals named here (rate, step, scale, gv and the temporaries).
    /// </summary>
    internal sealed class VectorParameterWriter : ParameterWriter
    {
        private readonly VectorShape _v;
        private const string FieldSlot = "slot";

        private readonly string _gradientRef;

        /// <summary>Whether this step has declared <see cref="FieldSlot"/> yet (one writer writes one step).</summary>
        private bool _slotDeclared;

        public VectorParameterWriter(EmitContext c, VectorShape v, string gradientRef)
            : base(new VectorAlgebra(c, v))
        {
            _v = v;
            _gradientRef = gradientRef;
        }

        public override string LearningRate => "rate";

        public override string StepSize => "step";

        public override string SecondMomentScale => "scale";

        public override string GradientLocal => "gv";

        public override string Read(string field) => _v.Read(field);

        public override string GradientAt(int index) => _v.Alias + ".LoadUnsafe(ref " + _gradientRef + ", " + EmitContext.Count(index) + ")";

        /// <summary>
        /// field ← field − amount through one <c>ref byte slot</c> to the field (declared at the first use in a
        /// step, then reassigned): the field's address is computed once for the read and the write, so the
        /// statement is shorter IL than LoadUnsafe and StoreUnsafe of the field, and cheaper for the JIT.
        /// </summary>
        public override void Decrease(SourceWriter w, string field, string amount)
        {
            w.WriteLine((_slotDeclared ? string.Empty : "ref byte ") + FieldSlot + " = ref BpgUnsafe.As<" + _v.ElementType + ", byte>(ref " + field + ");");
            _slotDeclared = true;
            w.WriteLine("BpgUnsafe.WriteUnaligned(ref " + FieldSlot + ", " + _v.ReadAt(FieldSlot) + " - " + amount + ");");
        }

        public override string Assign(SourceWriter w, string field, string value, string temporary)
        {
            w.WriteLine(temporary + " = " + value + ";");
            w.WriteLine(_v.Write(temporary, field) + ";");
            return temporary;
        }

        public override void AddToGradient(SourceWriter w, int index, string value) =>
            w.WriteLine(_v.Alias + ".StoreUnsafe(" + GradientAt(index) + " + " + value + ", " + Slot(index) + ");");

        public override void StoreGradient(SourceWriter w, int index, string value) =>
            w.WriteLine(_v.Alias + ".StoreUnsafe(" + value + ", " + Slot(index) + ");");

        private string Slot(int index) => "ref " + _gradientRef + ", " + EmitContext.Count(index);
    }
}
