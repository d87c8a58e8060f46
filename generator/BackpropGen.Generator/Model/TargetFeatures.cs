namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// What the consuming compilation offers the emitted code, reduced to a value so a new
    /// compilation (every keystroke) does not invalidate the pipeline.
    /// </summary>
    /// <param name="HasMathF">System.MathF exists (netstandard2.1, .NET Core 2.0+); otherwise float math goes through System.Math.</param>
    /// <param name="SupportsNullableDirective">C# 8 or later: the file may say <c>#nullable enable</c>.</param>
    internal sealed record TargetFeatures(bool HasMathF, bool SupportsNullableDirective);
}
