namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// Everything the emitter needs to write one network, as plain values: no symbols or syntax,
    /// so the incremental pipeline can compare two runs and skip the emitter when nothing changed.
    /// <c>FastMath</c> (last, with a default, so it stays an optional argument) makes Sigmoid and Tanh
    /// layers call BackpropGen.FastActivation. <c>Explain</c> adds ExplainStep and a chain-rule comment
    /// per parameter (the parser has checked the network is trainable and small enough).
    /// <c>InputScaling</c> gives it a per-input offset μ and scale s, a⁰ₖ = (xₖ − μₖ)·sₖ; a baked
    /// network carries them in <c>BakedInputScaling</c> (μ of every input, then s of every input).
    /// </summary>
    internal sealed record NetworkSpec(
        string? Namespace,
        EquatableArray<ContainingTypeSpec> ContainingTypes,
        string TypeName,
        bool IsStruct,
        string HintName,
        int Inputs,
        EquatableArray<LayerSpec> Layers,
        LossFunction Loss,
        Precision Precision,
        OptimizerSpec Optimizer,
        bool Trainable,
        EquatableArray<string> InputNames,
        EquatableArray<string> OutputNames,
        EquatableArray<double> BakedParameters,
        bool FastMath = false,
        bool Explain = false,
        bool InputScaling = false,
        EquatableArray<double> BakedInputScaling = default)
    {
        /// <summary>Parameters are literals in the code (from a [BakedParameters] file), not fields.</summary>
        public bool IsBaked => BakedParameters.Count > 0;

        /// <summary>Training members and optimizer state are generated.</summary>
        public bool HasTraining => Trainable && !IsBaked;

        public int Outputs => Layers[Layers.Count - 1].Size;

        /// <summary>The size of layer <paramref name="l"/>, where layer 0 is the input.</summary>
        public int SizeOf(int l) => l == 0 ? Inputs : Layers[l - 1].Size;

        /// <summary>L, the index of the output layer.</summary>
        public int OutputLayer => Layers.Count;

        public int ParameterCount => NetworkLimits.CountParameters(Inputs, Layers);
    }
}
