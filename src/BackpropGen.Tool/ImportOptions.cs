namespace BackpropGen.Tool
{
    /// <summary>What backpropgen import was asked for.</summary>
    internal sealed record ImportOptions(string Name, string? Namespace, string OutputFolder, bool Trainable);
}
