namespace BackpropGen.Generator.Model
{
    /// <summary>A JSON file from AdditionalFiles: its path and text (null when it cannot be read).</summary>
    internal sealed record AdditionalFileContent(string Path, string? Text);
}
