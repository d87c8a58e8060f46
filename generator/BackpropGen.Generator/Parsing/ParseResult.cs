using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>What the parser made of one declaration: a spec to emit (if valid) and its diagnostics.</summary>
    /// <param name="Baked">Set when the type has [BakedParameters]: the spec gets its values once the file is read.</param>
    /// <param name="BakedWhere">Where the [BakedParameters] path argument stands, for the file's diagnostics.</param>
    internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, BakedRequest? Baked = null, SourceSpan? BakedWhere = null);
}
