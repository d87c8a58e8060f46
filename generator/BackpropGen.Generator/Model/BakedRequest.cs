namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// A [BakedParameters("path")] waiting for its file: the path as written and where the argument
    /// stands (as plain values, for diagnostics), resolved against AdditionalFiles after parsing.
    /// </summary>
    internal sealed record BakedRequest(string Path, string? FilePath, Microsoft.CodeAnalysis.Text.TextSpan Span, Microsoft.CodeAnalysis.Text.LinePositionSpan LineSpan);
}
