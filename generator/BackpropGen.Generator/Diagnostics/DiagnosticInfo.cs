using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data (descriptor id, where, message arguments), so it can travel
    /// through the incremental pipeline without holding a <see cref="Location"/> and its syntax tree.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, string? FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs)
        {
            if (location is null || !location.IsInSource)
            {
                return new DiagnosticInfo(descriptor.Id, null, default, default, new EquatableArray<string>(messageArgs));
            }

            FileLinePositionSpan lineSpan = location.GetLineSpan();
            return new DiagnosticInfo(descriptor.Id, lineSpan.Path, location.SourceSpan, lineSpan.Span, new EquatableArray<string>(messageArgs));
        }

        public Diagnostic ToDiagnostic()
        {
            Location location = FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
            object[] args = new object[MessageArgs.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = MessageArgs[i];
            }

            return Diagnostic.Create(DiagnosticDescriptors.ById(Id), location, args);
        }
    }
}
