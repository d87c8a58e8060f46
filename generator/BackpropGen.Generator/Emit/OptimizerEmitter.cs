using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Model;
using static BackpropGen.Generator.Emit.EmitContext;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// The optimizer: its state fields, ApplyGradient (one update statement group per parameter,
    /// unrolled) and ResetOptimizerState. Updates of large networks go into private blocks so no
    /// method grows past what the JIT optimizes.
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

        public static void EmitFields(SourceWriter w, EmitContext c)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            if (!optimizer.HasState)
            {
                return;
            }

            w.WriteLine();
            w.WriteLine(optimizer.Kind == Optimizer.Adam
                ? "// Adam's state: the moments m (_m…) and v (_v…) of every parameter, the step t and β₁ᵗ, β₂ᵗ."
                : "// Momentum's state: the velocity v (_m…) of every parameter.");
            if (c.IsSplit)
            {
                // One BpgParameters per state vector: the same fields as θ, so m and v sit beside θ's shape.
                w.WriteLine("private " + ParameterType + " " + FirstMomentField + ";");
                if (optimizer.Kind == Optimizer.Adam)
                {
                    w.WriteLine("private " + ParameterType + " " + SecondMomentField + ";");
                }
            }
            else
            {
                foreach (var (name, _, _) in c.Parameters())
                {
                    w.WriteLine("private " + c.T + " " + FirstMoment(c, name) + ";");
                    if (optimizer.Kind == Optimizer.Adam)
                    {
                        w.WriteLine("private " + c.T + " " + SecondMoment(c, name) + ";");
                    }
                }
            }

            if (optimizer.Kind == Optimizer.Adam)
            {
                w.WriteLine("private long _adamStep;");
                w.WriteLine("private " + c.T + " _adamBeta1Power;");
                w.WriteLine("private " + c.T + " _adamBeta2Power;");
            }
        }

        /// <summary>The body of ApplyGradient after its argument check.</summary>
        public static void EmitApplyGradientBody(SourceWriter w, EmitContext c, List<string> blockMethods)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string arguments = "gradient, learningRate";
            if (optimizer.Kind == Optimizer.Adam)
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

            var parameters = c.Parameters().ToList();
            int blockSize = BlockSize(optimizer.Kind);
            if (c.IsVector)
            {
                EmitVectorBlocks(w, c, parameters, arguments);
                return;
            }

            if (parameters.Count <= blockSize)
            {
                EmitUpdates(w, c, parameters);
                return;
            }

            // Too many updates for one optimized method: split them into blocks.
            for (int start = 0, block = 0; start < parameters.Count; start += blockSize, block++)
            {
                string name = "ApplyGradient" + Count(block);
                w.WriteLine(name + "(" + arguments + ");");
                blockMethods.Add(name);
            }
        }

        /// <summary>
        /// A vector network's θ and state are sequential structs in canonical order, so ApplyGradient
        /// updates whole vectors of parameters regardless of layer: per lane the scalar statements
        /// (same bits), in Vector256 or Vector128 blocks as the hardware runs them.
        /// </summary>
        private static void EmitVectorBlocks(SourceWriter w, EmitContext c, List<(string Name, int Index, int Layer)> parameters, string arguments)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            string signature = optimizer.Kind == Optimizer.Adam
                ? "(" + readOnlySpan + " gradient, " + c.T + " " + StepSize + ", " + c.T + " " + SecondMomentScale + ")"
                : "(" + readOnlySpan + " gradient, " + c.T + " learningRate)";
            SplitEmitter.Dispatch(w, c, shape =>
            {
                VectorShape v = shape ?? throw Unreachable("no vector shape");
                int perBlock = BlockSize(optimizer.Kind) * v.Lanes / 2;
                for (int start = 0; start < parameters.Count; start += perBlock)
                {
                    var slice = parameters.GetRange(start, System.Math.Min(perBlock, parameters.Count - start));
                    string name = "BpgApply" + v.Suffix + "_" + Count(start);
                    w.WriteLine(name + "(" + arguments + ");");
                    c.AddMethod("// ApplyGradient for parameters [" + Count(start) + ".." + Count(start + slice.Count) + "), " + Count(v.Lanes) + " at a time", "private void " + name + signature, body => EmitVectorUpdates(body, c, v, slice));
                }
            });
        }

        private static void EmitVectorUpdates(SourceWriter w, EmitContext c, VectorShape v, List<(string Name, int Index, int Layer)> parameters)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            bool decay = optimizer.WeightDecay > 0;
            string Constant(double value) => v.Alias + ".Create(" + c.Literal(value) + ")";
            w.WriteLine("ref " + c.T + " gradientStart = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(gradient);");
            switch (optimizer.Kind)
            {
                case Optimizer.Sgd:
                    w.WriteLine("// θ ← θ − α g" + (decay ? ", with weight decay g = gradient[i] + λ θ" : ", g = gradient[i]") + "; " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " rate = " + v.Alias + ".Create(learningRate);");
                    break;
                case Optimizer.Momentum:
                    w.WriteLine("// v ← μ v + g; θ ← θ − α v" + (decay ? ", with weight decay g = gradient[i] + λ θ" : string.Empty) + "; " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " rate = " + v.Alias + ".Create(learningRate), m;");
                    break;
                case Optimizer.Adam:
                    w.WriteLine("// m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; θ ← θ − α m̂ / (√v̂ + ε); " + Count(v.Lanes) + " parameters at a time");
                    w.WriteLine(v.Type + " step = " + v.Alias + ".Create(" + StepSize + "), scale = " + v.Alias + ".Create(" + SecondMomentScale + "), gv, m;");
                    break;
            }

            int vectorCount = parameters.Count - (parameters.Count % v.Lanes);
            for (int i = 0; i < vectorCount; i += v.Lanes)
            {
                var (name, index, _) = parameters[i];
                string theta = c.Field(name);
                string load = v.Load(theta);
                string gradient = v.Alias + ".LoadUnsafe(ref gradientStart, " + Count(index) + ")" + (decay ? " + " + Constant(optimizer.WeightDecay) + " * " + load : string.Empty);
                switch (optimizer.Kind)
                {
                    case Optimizer.Sgd:
                        w.WriteLine(v.Store(load + " - rate * " + (decay ? "(" + gradient + ")" : gradient), theta) + ";");
                        break;
                    case Optimizer.Momentum:
                        string velocity = FirstMoment(c, name);
                        w.WriteLine("m = " + Constant(optimizer.Momentum) + " * " + v.Load(velocity) + " + " + gradient + ";");
                        w.WriteLine(v.Store("m", velocity) + ";");
                        w.WriteLine(v.Store(load + " - rate * m", theta) + ";");
                        break;
                    case Optimizer.Adam:
                        string first = FirstMoment(c, name);
                        string second = SecondMoment(c, name);
                        w.WriteLine("gv = " + gradient + ";");
                        w.WriteLine("m = " + Constant(optimizer.Beta1) + " * " + v.Load(first) + " + " + Constant(1 - optimizer.Beta1) + " * gv;");
                        w.WriteLine(v.Store("m", first) + ";");
                        w.WriteLine(v.Store(Constant(optimizer.Beta2) + " * " + v.Load(second) + " + " + Constant(1 - optimizer.Beta2) + " * gv * gv", second) + ";");
                        w.WriteLine(v.Store(load + " - step * m / (" + v.Alias + ".Sqrt(" + v.Load(second) + " * scale) + " + Constant(optimizer.Epsilon) + ")", theta) + ";");
                        break;
                }
            }

            if (vectorCount < parameters.Count)
            {
                EmitUpdates(w, c, parameters.GetRange(vectorCount, parameters.Count - vectorCount));
            }
        }

        /// <summary>The private block methods that ApplyGradient calls for a large network.</summary>
        public static void EmitBlocks(SourceWriter w, EmitContext c, List<string> blockMethods, string generatedCode)
        {
            var parameters = c.Parameters().ToList();
            int blockSize = BlockSize(c.Spec.Optimizer.Kind);
            string readOnlySpan = "global::System.ReadOnlySpan<" + c.T + ">";
            string signature = c.Spec.Optimizer.Kind == Optimizer.Adam
                ? "(" + readOnlySpan + " gradient, " + c.T + " " + StepSize + ", " + c.T + " " + SecondMomentScale + ")"
                : "(" + readOnlySpan + " gradient, " + c.T + " learningRate)";
            for (int block = 0; block < blockMethods.Count; block++)
            {
                int start = block * blockSize;
                int end = System.Math.Min(start + blockSize, parameters.Count);
                w.WriteLine();
                w.WriteLine("// ApplyGradient for parameters [" + Count(start) + ".." + Count(end) + ")");
                w.WriteLine(generatedCode);
                w.OpenBlock("private void " + blockMethods[block] + signature);
                EmitUpdates(w, c, parameters.GetRange(start, end - start));
                w.CloseBrace();
            }
        }

        public static void EmitResetBody(SourceWriter w, EmitContext c)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            if (!optimizer.HasState)
            {
                w.WriteLine("// SGD keeps no state.");
                return;
            }

            if (c.IsSplit)
            {
                w.WriteLine(FirstMomentField + " = default;");
                if (optimizer.Kind == Optimizer.Adam)
                {
                    w.WriteLine(SecondMomentField + " = default;");
                }
            }
            else
            {
                foreach (var (name, _, _) in c.Parameters())
                {
                    w.WriteLine(FirstMoment(c, name) + " = " + c.Literal(0) + ";");
                    if (optimizer.Kind == Optimizer.Adam)
                    {
                        w.WriteLine(SecondMoment(c, name) + " = " + c.Literal(0) + ";");
                    }
                }
            }

            if (optimizer.Kind == Optimizer.Adam)
            {
                w.WriteLine("_adamStep = 0;");
                w.WriteLine("_adamBeta1Power = " + c.Literal(0) + ";");
                w.WriteLine("_adamBeta2Power = " + c.Literal(0) + ";");
            }
        }

        private static void EmitUpdates(SourceWriter w, EmitContext c, List<(string Field, int Index, int Layer)> parameters)
        {
            OptimizerSpec optimizer = c.Spec.Optimizer;
            string decay = optimizer.WeightDecay > 0 ? " + " + c.Literal(optimizer.WeightDecay) + " * " : string.Empty;
            string decayNote = optimizer.WeightDecay > 0 ? ", with weight decay g = gradient[i] + λ θ" : ", g = gradient[i]";
            switch (optimizer.Kind)
            {
                case Optimizer.Sgd:
                    w.WriteLine("// θ ← θ − α g" + decayNote);
                    break;
                case Optimizer.Momentum:
                    w.WriteLine("// v ← μ v + g; θ ← θ − α v (μ = " + Number(optimizer.Momentum) + ")" + decayNote);
                    break;
                case Optimizer.Adam:
                    w.WriteLine("// m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; θ ← θ − α m̂ / (√v̂ + ε)");
                    w.WriteLine("// (β₁ = " + Number(optimizer.Beta1) + ", β₂ = " + Number(optimizer.Beta2) + ", ε = " + Number(optimizer.Epsilon) + ")" + decayNote);
                    w.WriteLine(c.T + " " + GradientLocal + ";");
                    break;
            }

            int layer = 0;
            foreach (var (name, index, l) in parameters)
            {
                string field = c.Field(name);
                if (l != layer)
                {
                    w.WriteLine("// Layer " + Count(l));
                    layer = l;
                }

                string gradient = "gradient[" + Count(index) + "]" + (decay.Length > 0 ? decay + field : string.Empty);
                switch (optimizer.Kind)
                {
                    case Optimizer.Sgd:
                        w.WriteLine(field + " -= learningRate * " + ExpressionWriter.Parenthesize(gradient) + ";");
                        break;
                    case Optimizer.Momentum:
                        w.WriteLine(FirstMoment(c, name) + " = " + c.Literal(optimizer.Momentum) + " * " + FirstMoment(c, name) + " + " + gradient + ";");
                        w.WriteLine(field + " -= learningRate * " + FirstMoment(c, name) + ";");
                        break;
                    case Optimizer.Adam:
                        w.WriteLine(GradientLocal + " = " + gradient + ";");
                        w.WriteLine(FirstMoment(c, name) + " = " + c.Literal(optimizer.Beta1) + " * " + FirstMoment(c, name) + " + " + c.Literal(1 - optimizer.Beta1) + " * " + GradientLocal + ";");
                        w.WriteLine(SecondMoment(c, name) + " = " + c.Literal(optimizer.Beta2) + " * " + SecondMoment(c, name) + " + " + c.Literal(1 - optimizer.Beta2) + " * " + GradientLocal + " * " + GradientLocal + ";");
                        w.WriteLine(field + " -= " + StepSize + " * " + FirstMoment(c, name) + " / (" + c.Sqrt(SecondMoment(c, name) + " * " + SecondMomentScale) + " + " + c.Literal(optimizer.Epsilon) + ");");
                        break;
                }
            }
        }

        private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
