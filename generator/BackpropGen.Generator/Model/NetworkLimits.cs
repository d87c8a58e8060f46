namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// The largest network the generator accepts, and the largest written as one method per member.
    /// Each generated method is straight-line code, so its IL grows with what it computes; past the
    /// JIT's thresholds (60,000 bytes of IL, 20,000 IL instructions, 2,000 locals, 8,000 local
    /// references) a method is compiled in MinOpts and runs several times slower. Unsplit, TrainStep
    /// costs about 7–9 local references and 15–20 instructions per weight, about 26 instructions per
    /// input-layer weight and 60 per neuron, so the Unsplit limits keep it under about 85% of the
    /// thresholds (measured: 83% of the local references for a 758-parameter four-layer double network,
    /// 82% of the instructions for 381 → 2 → 1). A larger network is split into private steps of at
    /// most SplitEmitter.TermsPerMethod multiply-adds; its limits keep generation, compilation and
    /// first-call JIT time reasonable and bound the steps that cannot be split (the loss and δᴸ of all
    /// outputs are one method, the gradient bound sums every neuron). JitLimitTests compiles networks
    /// at each limit and checks with the JIT's own summary that no method fell into MinOpts.
    /// </summary>
    internal static class NetworkLimits
    {
        public const int MaxParameters = 16384;
        public const int MaxNeurons = 512;
        public const int MaxInputs = 1024;
        public const int MaxOutputs = 256;

        // The largest network written as one method per member (everything in locals, fastest for
        // small networks); a larger one is split into private steps (EmitContext.IsSplit), and so is
        // one with a layer of fan-in EmitContext.VectorFanIn (16) or more, whatever its size, except an
        // explained one. So UnsplitMaxInputs only bounds explained networks now; the measurements above
        // were taken before wide layers were split (381 → 2 → 1 was unsplit then).
        public const int UnsplitMaxParameters = 768;
        public const int UnsplitMaxNeurons = 192;
        public const int UnsplitMaxInputs = 384;

        /// <summary>
        /// The largest network Explain writes out: each parameter's chain rule and each number of a
        /// step, a few lines per parameter, stay readable up to about this many (2-2-2 has 12,
        /// 4-8-3 has 67, 8-16-4 has 212); such a network is always unsplit.
        /// </summary>
        public const int ExplainMaxParameters = 256;

        /// <summary>
        /// The largest network that gets the batch shape (SIMD across samples, EmitContext.HasBatchShape):
        /// one method per member and width holds a whole block of samples, every z, a and δ a vector local
        /// (the JIT tracks 512 locals at most and optimizes a method below 60,000 bytes of IL), so the
        /// limits are tighter than the unsplit ones (measured: a 4-56-4 GELU network, 508 parameters, had
        /// 60,322 bytes of IL in AccumulateGradientBatch's block method; GELU and SiLU neurons cost the
        /// most, about 250 bytes each, a parameter about 90); JitLimitTests checks a network at each. A larger network's
        /// ForwardBatch and AccumulateGradientBatch loop over Forward and AccumulateGradient.
        /// </summary>
        public const int BatchMaxParameters = 384;

        /// <summary>Inputs plus neurons of the largest batch-shaped network (each is a vector local or three).</summary>
        public const int BatchMaxSignals = 96;

        public static bool FitsBatch(NetworkSpec spec) =>
            !NeedsSplit(spec)
            && spec.ParameterCount <= BatchMaxParameters
            && spec.Inputs + CountNeurons(spec.Layers) <= BatchMaxSignals;

        public static bool NeedsSplit(NetworkSpec spec) =>
            spec.Inputs > UnsplitMaxInputs
            || spec.ParameterCount > UnsplitMaxParameters
            || CountNeurons(spec.Layers) > UnsplitMaxNeurons;

        public static int CountParameters(int inputs, EquatableArray<LayerSpec> layers)
        {
            long count = 0;
            long previous = inputs;
            foreach (LayerSpec layer in layers)
            {
                count += (previous + 1) * layer.Size;
                previous = layer.Size;
            }

            return count > int.MaxValue ? int.MaxValue : (int)count;
        }

        public static int CountNeurons(EquatableArray<LayerSpec> layers)
        {
            long count = 0;
            foreach (LayerSpec layer in layers)
            {
                count += layer.Size;
            }

            return count > int.MaxValue ? int.MaxValue : (int)count;
        }
    }
}
