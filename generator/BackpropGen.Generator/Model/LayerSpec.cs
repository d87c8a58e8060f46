namespace BackpropGen.Generator.Model
{
    /// <summary>One layer as declared by <c>[Layer(size, activation)]</c>.</summary>
    internal sealed record LayerSpec(int Size, Activation Activation);
}
