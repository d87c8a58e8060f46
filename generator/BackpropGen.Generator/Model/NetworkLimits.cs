namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// The largest network the generator accepts. Each generated method is one straight-line block
    /// (no loops), so its IL grows with the parameter count; past the JIT's thresholds (60,000 bytes
    /// of IL, 20,000 instructions, 2,000 locals, 8,000 local references) a method is compiled in
    /// MinOpts and runs several times slower. TrainStep, the largest method, costs about nine local
    /// references per weight, so these limits keep it well inside the thresholds; a test compiles
    /// networks at the limits and checks with the JIT's own summary that no method fell into MinOpts.
    /// </summary>
    internal static class NetworkLimits
    {
        public const int MaxParameters = 640;
        public const int MaxNeurons = 256;

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
