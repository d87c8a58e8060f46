using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The optimizer: its state fields, ApplyGradient, ResetOptimizerState, and the state as one vector
    /// (OptimizerStateCount, CopyOptimizerStateTo, LoadOptimizerState). ApplyGradient of an unsplit
    /// network is one update statement group per parameter, unrolled; a split network's is one loop
    /// over θ viewed as a span (vectors of parameters on a vector network), or, where the target has no
    /// MemoryMarshal.CreateSpan (netstandard2.0), unrolled in private blocks so no method grows past
    /// what the JIT optimizes.
    /// </summary>
    internal static class OptimizerEmitter
    {
        private const string GradientLocal = "g";
        private const string StepSize = "stepSize";
        private const string SecondMomentScale = "secondMomentScale";

        public const string FirstMomentField = "_bpgMoment1";

        public const string SecondMomentField = "_bpgMoment2";

        /// <summary>The first moment (Adam's m, momentum's v) of the parameter called <paramref name="name"/>.</summary>
        public static string FirstMoment(EmitContext c, string name) => c.IsSplit ? FirstMomentField + "." + name : "_m" + name;

        /// <summary>Adam's second moment v of the parameter called <paramref name="name"/>.</summary>
        public static string SecondMoment(EmitContext c, string name) => c.IsSplit ? SecondMomentField + "." + name : "_v" + name;

        /// <summary>Parameters per ApplyGradient method, from the IL each update costs (JitLimitTests checks it).</summary>
        public static int BlockSize(Optimizer kind) => kind switch
        {
            Optimizer.Sgd => 512,
            Optimizer.Momentum => 256,
            Optimizer.Adam => 128,
            _ => throw Unreachable(kind),
        };

        /// <summary>
        /// The state each optimizer keeps, in one place: how many moment vectors of θ's shape
        /// (<see cref="FirstMoment"/>, <see cref="SecondMoment"/>), whether it counts steps (Adam's
        /// t, β₁ᵗ, β₂ᵗ, and the bias-corrected step size ApplyGradient passes its blocks), and the
        /// comment above the fields. <see cref="Update"/> is what it does with them.
        /// </summary>
        private static (int Moments, bool CountsSteps, string Comment) State(Optimizer kind) => kind switch
        {
            Optimizer.Sgd => (0, false, "// SGD keeps no state."),
            Optimizer.Momentum => (1, false, "// Momentum's state: the velocity v (_m…) of every parameter."),
            Optimizer.Adam => (2, true, "// Adam's state: the moments m (_m…) and v (_v…) of every parameter, the step t and β₁ᵗ, β₂ᵗ."),
            _ => throw Unreachable(kind),
        };

        /// <summary>Which NetworkGuard check ApplyGradient makes: Adam keeps g², so a finite g whose square overflows would freeze it.</summary>
        public static string GradientCheck(Optimizer kind) => kind switch
        {
            Optimizer.Sgd or Optimizer.Momentum => "AllFinite",
            Optimizer.Adam => "AllSquaresFinite",
            _ => throw Unreachable(kind),
        };

        public static void EmitFields(SourceWriter w, EmitContext c)
        {
            var (moments, countsSteps, comment) = State(c.Spec.Optimizer.Kind);
            if (moments == 0 && !countsSteps)
            {
                return;
            }

            w.WriteLine();
            w.WriteLine(comment);
            if (c.IsSplit)
            {
                // One BpgParameters per state vector: the same fields as θ, so m and v sit beside θ's shape.
                if (moments > 0)
                {
                    w.WriteLine("private " + ParameterType + " " + FirstMomentField + ";");
                }

                if (moments > 1)
                {
                    w.WriteLine("private " + ParameterType + " " + SecondMomentField + ";");
                }
            }
            else
            {
                foreach (var (name, _, _) in moments > 0 ? c.Parameters() : System.Linq.Enumerable.Empty<(string, int, int)>())
                {
                    w.WriteLine("private " + c.T + " " + FirstMoment(c, name) + ";");
                    if (moments > 1)
                    {
                        w.WriteLine("private " + c.T + " " + SecondMoment(c, name) + ";");
                    }
                }
            }

            if (countsSteps)
            {
                w.WriteLine("private long _adamStep;");
                w.WriteLine("private " + c.T + " _adamBeta1Power;");
                w.WriteLine("private " + c.T + " _adamBeta2Power;");
            }
        }

        /// <summary>The body of ApplyGradient after its argument check.</summary>
        public static void EmitApplyGradientBody(SourceWriter w, EmitContext c)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string arguments = "gradient, learningRate";
            if (State(optimizer.Kind).CountsSteps)
            {
                string beta1 = c.Literal(optimizer.Beta1);
                string beta2 = c.Literal(optimizer.Beta2);
                w.WriteLine("// t ← t + 1, and β₁ᵗ, β₂ᵗ by one multiplication each");
                w.WriteLine("_adamStep++;");
                w.WriteLine("_adamBeta1Power = _adamStep == 1 ? " + beta1 + " : _adamBeta1Power * " + beta1 + ";");
                w.WriteLine("_adamBeta2Power = _adamStep == 1 ? " + beta2 + " : _adamBeta2Power * " + beta2 + ";");
                w.WriteLine("// Bias correction folded into two factors: α m̂ = α / (1 − β₁ᵗ) · m and v̂ = v / (1 − β₂ᵗ)");
                w.WriteLine(c.T + " " + StepSize + " = learningRate / (" + c.Literal(1) + " - _adamBeta1Power);");
                w.WriteLine(c.T + " " + SecondMomentScale + " = " + c.Literal(1) + " / (" + c.Literal(1) + " - _adamBeta2Power);");
                arguments = "gradient, " + StepSize + ", " + SecondMomentScale;
            }

            if (ParameterEmitter.MovesAsSpan(c))
            {
                EmitUpdateLoop(w, c);
                return;
            }

            var parameters = c.Parameters().ToList();
            int blockSize = BlockSize(optimizer.Kind);

            if (parameters.Count <= blockSize)
            {
                EmitUpdates(w, c, parameters);
                return;
            }

            // Too many updates for one optimized method: split them into blocks.
            string signature = BlockSignature(c);
            for (int start = 0, block = 0; start < parameters.Count; start += blockSize, block++)
            {
                var slice = parameters.GetRange(start, System.Math.Min(blockSize, parameters.Count - start));
                string name = "ApplyGradient" + Count(block);
                w.WriteLine(name + "(" + arguments + ");");
                c.AddMethod("// ApplyGradient for parameters [" + Count(start) + ".." + Count(start + slice.Count) + ")", "private void " + name + signature, body => EmitUpdates(body, c, slice));
            }
        }

        /// <summary>The parameter list of a private block of ApplyGradient: the gradient and the step's scalars.</summary>
        private static string BlockSignature(EmitContext c)
        {
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            return State(c.Spec.Optimizer.Kind).CountsSteps
                ? "(" + readOnlySpan + " gradient, " + c.T + " " + StepSize + ", " + c.T + " " + SecondMomentScale + ")"
                : "(" + readOnlySpan + " gradient, " + c.T + " learningRate)";
        }

        /// <summary>
        /// A split network's θ and state are sequential structs in canonical order, so where the target
        /// can view them as spans ApplyGradient is one loop over θ, whatever the layer: the same update
        /// per element as the unrolled statements (the same bits), a vector of parameters at a time on a
        /// vector network (Vector256 or Vector128, as the hardware runs them), then one at a time for the
        /// rest. Unrolled, this was most of a large network's code (for 1024-15-1 with Adam, 3.8 of 6.7 MB),
        /// and an element-wise update gains nothing from being unrolled.
        /// </summary>
        private static void EmitUpdateLoop(SourceWriter w, EmitContext c)
        {
            var (moments, _, _) = State(c.Spec.Optimizer.Kind);
            string first = c.Parameters().First().Name;
            string span = "global::System.Span<" + c.T + ">";
            w.WriteLine("// θ" + (moments > 0 ? " and the optimizer's state" : string.Empty) + " as spans in canonical order; the same update for every element i");
            w.WriteLine(span + " theta = " + ParameterEmitter.Span(c, c.Field(first), "ParameterCount", readOnly: false) + ";");
            if (moments > 0)
            {
                w.WriteLine(span + " firstMoment = " + ParameterEmitter.Span(c, FirstMoment(c, first), "ParameterCount", readOnly: false) + ";");
            }

            if (moments > 1)
            {
                w.WriteLine(span + " secondMoment = " + ParameterEmitter.Span(c, SecondMoment(c, first), "ParameterCount", readOnly: false) + ";");
            }

            w.WriteLine("int i = 0;");
            if (c.IsVector)
            {
                SplitEmitter.Dispatch(w, c, shape =>
                {
                    VectorShape v = shape ?? throw Unreachable("no vector shape");
                    EmitVectorLocals(w, c, v);
                    w.WriteLine("ref " + c.T + " gradientStart = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(gradient);");
                    w.OpenBlock("for (; i <= ParameterCount - " + Count(v.Lanes) + "; i += " + Count(v.Lanes) + ")");
                    Update(new VectorParameterWriter(c, v, "gradientStart"), w, c, "theta[i]", "firstMoment[i]", "secondMoment[i]", v.Alias + ".LoadUnsafe(ref gradientStart, (nuint)i)");
                    w.CloseBrace();
                });
            }

            EmitScalarHeader(w, c);
            w.OpenBlock("for (; i < ParameterCount; i++)");
            Update(new ScalarParameterWriter(c), w, c, "theta[i]", "firstMoment[i]", "secondMoment[i]", "gradient[i]");
            w.CloseBrace();
        }

        /// <summary>The locals the vector update declares: α (or Adam's two factors) as vectors, and its temporaries.</summary>
        private static void EmitVectorLocals(SourceWriter w, EmitContext c, VectorShape v)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            bool decay = optimizer.WeightDecay > 0;
            switch (optimizer.Kind)
            {
                case Optimizer.Sgd:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind) + (decay ? ", with weight decay g = gradient[i] + λ θ" : ", g = gradient[i]") + "; " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " rate = " + v.Alias + ".Create(learningRate);");
                    break;
                case Optimizer.Momentum:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind) + (decay ? ", with weight decay g = gradient[i] + λ θ" : string.Empty) + "; " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " rate = " + v.Alias + ".Create(learningRate), m;");
                    break;
                case Optimizer.Adam:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind) + "; " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " step = " + v.Alias + ".Create(" + StepSize + "), scale = " + v.Alias + ".Create(" + SecondMomentScale + "), gv, m, v;");
                    break;
                default:
                    throw Unreachable(optimizer.Kind);
            }
        }

        public static void EmitResetBody(SourceWriter w, EmitContext c)
        {
            var (moments, countsSteps, comment) = State(c.Spec.Optimizer.Kind);
            if (moments == 0 && !countsSteps)
            {
                w.WriteLine(comment);
                return;
            }

            if (c.IsSplit)
            {
                if (moments > 0)
                {
                    w.WriteLine(FirstMomentField + " = default;");
                }

                if (moments > 1)
                {
                    w.WriteLine(SecondMomentField + " = default;");
                }
            }
            else
            {
                foreach (var (name, _, _) in moments > 0 ? c.Parameters() : System.Linq.Enumerable.Empty<(string, int, int)>())
                {
                    w.WriteLine(FirstMoment(c, name) + " = " + c.Literal(0) + ";");
                    if (moments > 1)
                    {
                        w.WriteLine(SecondMoment(c, name) + " = " + c.Literal(0) + ";");
                    }
                }
            }

            if (countsSteps)
            {
                w.WriteLine("_adamStep = 0;");
                w.WriteLine("_adamBeta1Power = " + c.Literal(0) + ";");
                w.WriteLine("_adamBeta2Power = " + c.Literal(0) + ";");
            }
        }

        /// <summary>
        /// The length of the optimizer's state as one vector (OptimizerStateCount): nothing for SGD;
        /// momentum's v per parameter; Adam's m per parameter, v per parameter, then t, β₁ᵗ and β₂ᵗ.
        /// </summary>
        public static int StateCount(EmitContext c)
        {
            var (moments, countsSteps, _) = State(c.Spec.Optimizer.Kind);
            return (moments * c.Spec.ParameterCount) + (countsSteps ? StepScalars : 0);
        }

        /// <summary>A step-counting optimizer's state after its moment vectors: the step t, β₁ᵗ and β₂ᵗ.</summary>
        private const int StepScalars = 3;

        /// <summary>The order of <see cref="StateCount"/>'s vector, for the doc comments.</summary>
        public static string StateOrder(Optimizer kind) => kind switch
        {
            Optimizer.Sgd => "SGD keeps no state: the vector is empty",
            Optimizer.Momentum => "the velocity v of every parameter in canonical order",
            Optimizer.Adam => "Adam's m of every parameter in canonical order, then v of every parameter, then the step t, β₁ᵗ and β₂ᵗ",
            _ => throw Unreachable(kind),
        };

        /// <summary>The body of CopyOptimizerStateTo after its argument check: the state, in the order of <see cref="StateOrder"/>.</summary>
        public static void EmitCopyStateBody(SourceWriter w, EmitContext c) => EmitStateTransfer(w, c, load: false);

        /// <summary>The body of LoadOptimizerState after its argument check: the inverse of <see cref="EmitCopyStateBody"/>.</summary>
        public static void EmitLoadStateBody(SourceWriter w, EmitContext c) => EmitStateTransfer(w, c, load: true);

        /// <summary>
        /// Moves the state fields of <see cref="EmitFields"/> to or from the span <c>destination</c> /
        /// <c>source</c>, one vector of θ's shape after the other through
        /// <see cref="ParameterEmitter.ForEachParameter"/> (so every shape moves them as it moves θ).
        /// </summary>
        private static void EmitStateTransfer(SourceWriter w, EmitContext c, bool load)
        {
            var (moments, countsSteps, _) = State(c.Spec.Optimizer.Kind);
            if (moments == 0 && !countsSteps)
            {
                w.WriteLine("// SGD keeps no state.");
                return;
            }

            string span = load ? "source" : "destination";
            string spanType = "global::System." + (load ? "ReadOnlySpan<" : "Span<") + c.T + ">";
            int count = c.Spec.ParameterCount;
            var vectors = new List<(string Label, System.Func<string, string> Field)>();
            if (moments > 0)
            {
                vectors.Add((moments > 1 ? "m" : "v", name => FirstMoment(c, name)));
            }

            if (moments > 1)
            {
                vectors.Add(("v", name => SecondMoment(c, name)));
            }

            for (int v = 0; v < vectors.Count; v++)
            {
                int offset = v * count;
                string slice = span + ".Slice(" + Count(offset) + ", ParameterCount)";
                w.WriteLine("// " + vectors[v].Label + " of every parameter at [" + Count(offset) + ".." + Count(offset + count) + ")");
                ParameterEmitter.ForEachParameter(
                    w,
                    c,
                    (field, i) => load ? field + " = source[" + Count(offset + i) + "];" : "destination[" + Count(offset + i) + "] = " + field + ";",
                    (load ? "BpgLoadState" : "BpgCopyState") + Count(v) + "_",
                    spanType + " " + span,
                    span,
                    state => load ? slice + ".CopyTo(" + state(false) + ");" : state(true) + ".CopyTo(" + slice + ");",
                    vectors[v].Field);
            }

            if (countsSteps)
            {
                int t = moments * count;
                // Only t == 1 reads t itself (β₁ᵗ and β₂ᵗ are kept): a float vector rounds t past 2²⁴ steps without changing an update.
                w.WriteLine("// t, β₁ᵗ, β₂ᵗ at [" + Count(t) + ".." + Count(t + StepScalars) + ")");
                if (load)
                {
                    w.WriteLine("_adamStep = (long)source[" + Count(t) + "];");
                    w.WriteLine("_adamBeta1Power = source[" + Count(t + 1) + "];");
                    w.WriteLine("_adamBeta2Power = source[" + Count(t + 2) + "];");
                }
                else
                {
                    w.WriteLine("destination[" + Count(t) + "] = _adamStep;");
                    w.WriteLine("destination[" + Count(t + 1) + "] = _adamBeta1Power;");
                    w.WriteLine("destination[" + Count(t + 2) + "] = _adamBeta2Power;");
                }
            }
        }

        private static void EmitUpdates(SourceWriter w, EmitContext c, List<(string Field, int Index, int Layer)> parameters)
        {
            EmitScalarHeader(w, c);
            var writer = new ScalarParameterWriter(c);
            int layer = 0;
            foreach (var (name, index, l) in parameters)
            {
                if (l != layer)
                {
                    w.WriteLine("// Layer " + Count(l));
                    layer = l;
                }

                Update(writer, w, c, name, index);
            }
        }

        /// <summary>The comment above scalar updates (the rule and its hyperparameters) and the local Adam's g.</summary>
        private static void EmitScalarHeader(SourceWriter w, EmitContext c)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string decayNote = optimizer.WeightDecay > 0 ? ", with weight decay g = gradient[i] + λ θ" : ", g = gradient[i]";
            switch (optimizer.Kind)
            {
                case Optimizer.Sgd:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind) + decayNote);
                    break;
                case Optimizer.Momentum:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind) + " (μ = " + Number(optimizer.Momentum) + ")" + decayNote);
                    break;
                case Optimizer.Adam:
                    w.WriteLine("// " + UpdateFormula(optimizer.Kind));
                    w.WriteLine("// (β₁ = " + Number(optimizer.Beta1) + ", β₂ = " + Number(optimizer.Beta2) + ", ε = " + Number(optimizer.Epsilon) + ")" + decayNote);
                    w.WriteLine(c.T + " " + GradientLocal + ";");
                    break;
                default:
                    throw Unreachable(optimizer.Kind);
            }
        }

        /// <summary>The update of each optimizer for the comments.</summary>
        public static string UpdateFormula(Optimizer kind) => kind switch
        {
            Optimizer.Sgd => "θ ← θ − α g",
            Optimizer.Momentum => "v ← μ v + g; θ ← θ − α v",
            Optimizer.Adam => "m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; θ ← θ − α m̂ / (√v̂ + ε)",
            _ => throw Unreachable(kind),
        };

        /// <summary>
        /// The optimizer's update of the parameter called <paramref name="name"/> from ApplyGradient's
        /// gradient at <paramref name="index"/>, in the shape of <paramref name="p"/>: the one place the
        /// update rules are written. Its state is <see cref="FirstMoment"/> and <see cref="SecondMoment"/>.
        /// </summary>
        public static void Update(ParameterWriter p, SourceWriter w, EmitContext c, string name, int index) =>
            Update(p, w, c, c.Field(name), FirstMoment(c, name), SecondMoment(c, name), p.GradientAt(index));

        /// <summary>
        /// The update of the parameter <paramref name="theta"/> with moments <paramref name="first"/> and
        /// <paramref name="second"/> (the ones the optimizer keeps) from the gradient value
        /// <paramref name="gradientValue"/>: named fields, or elements of spans in ApplyGradient's loop.
        /// </summary>
        private static void Update(ParameterWriter p, SourceWriter w, EmitContext c, string theta, string first, string second, string gradientValue)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string gradient = WithDecay(p, c, gradientValue, theta);
            Algebra x = p.X;
            switch (optimizer.Kind)
            {
                case Optimizer.Sgd:
                    p.Decrease(w, theta, p.LearningRate + " * " + ExpressionWriter.Parenthesize(gradient));
                    break;
                case Optimizer.Momentum:
                    string velocity = first;
                    string v = p.Assign(w, velocity, x.Constant(optimizer.Momentum) + " * " + p.Read(velocity) + " + " + gradient, "m");
                    p.Decrease(w, theta, p.LearningRate + " * " + v);
                    break;
                case Optimizer.Adam:
                    string g = p.Let(w, gradient);
                    string m = p.Assign(w, first, x.Constant(optimizer.Beta1) + " * " + p.Read(first) + " + " + x.Constant(1 - optimizer.Beta1) + " * " + g, "m");
                    string s = p.Assign(w, second, x.Constant(optimizer.Beta2) + " * " + p.Read(second) + " + " + x.Constant(1 - optimizer.Beta2) + " * " + g + " * " + g, "v");
                    p.Decrease(w, theta, p.StepSize + " * " + m + " / (" + x.Sqrt(s + " * " + p.SecondMomentScale) + " + " + x.Constant(optimizer.Epsilon) + ")");
                    break;
                default:
                    throw Unreachable(optimizer.Kind);
            }
        }

        /// <summary>
        /// What the backward pass does with ∂C/∂θ of the parameter <paramref name="field"/> (canonical
        /// <paramref name="index"/>): TrainStep's SGD step in place (the SGD rule of <see cref="Update"/>),
        /// or into AccumulateGradient's or ApplyGradient's gradient.
        /// </summary>
        public static void UseGradient(ParameterWriter p, SourceWriter w, EmitContext c, GradientUse use, string field, int index, string gradient)
        {
            switch (use)
            {
                case GradientUse.Descend:
                    p.Decrease(w, field, p.LearningRate + " * " + ExpressionWriter.Parenthesize(WithDecay(p, c, gradient, field)));
                    break;
                case GradientUse.Accumulate:
                    p.AddToGradient(w, index, gradient);
                    break;
                case GradientUse.Store:
                    p.StoreGradient(w, index, gradient);
                    break;
                default:
                    throw Unreachable(use);
            }
        }

        /// <summary>
        /// <see cref="UseGradient(ParameterWriter, SourceWriter, EmitContext, GradientUse, string, int, string)"/> of a weight's
        /// gradient <paramref name="left"/> × <paramref name="right"/> (aˡ⁻¹ₖ δˡⱼ): accumulated as one multiply-add
        /// where the shape fuses them (<see cref="ParameterWriter.AddProductToGradient"/>), else the same as the product's text.
        /// </summary>
        public static void UseGradient(ParameterWriter p, SourceWriter w, EmitContext c, GradientUse use, string field, int index, string left, string right)
        {
            if (use == GradientUse.Accumulate)
            {
                p.AddProductToGradient(w, index, left, right);
                return;
            }

            UseGradient(p, w, c, use, field, index, left + " * " + right);
        }

        /// <summary>Weight decay λ adds λ θ to the gradient (L2 regularization, as PyTorch's SGD and Adam weight_decay).</summary>
        private static string WithDecay(ParameterWriter p, EmitContext c, string gradient, string theta) =>
            c.Spec.Optimizer.WeightDecay > 0 ? gradient + " + " + p.X.Constant(c.Spec.Optimizer.WeightDecay) + " * " + p.Read(theta) : gradient;

        private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
