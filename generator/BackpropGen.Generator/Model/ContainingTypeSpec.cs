namespace BackpropGen.Generator.Model
{
    /// <summary>A type the network is nested in, as the keyword and name to re-open it with.</summary>
    /// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
    internal sealed record ContainingTypeSpec(string Keyword, string Name);
}
