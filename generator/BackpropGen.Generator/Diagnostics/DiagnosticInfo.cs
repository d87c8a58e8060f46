using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data (its descriptor, where, message arguments), so it can travel
    /// through the incremental pipeline without holding a <see cref="Location"/> and its syntax
    /// tree. <see cref="DiagnosticDescriptor"/> compares by value, so the record does too.
    /// </summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SourceSpan? Where, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
            new(descriptor, SourceSpan.From(location), new EquatableArray<string>(messageArgs));

        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpan? where, params string[] messageArgs) =>
            new(descriptor, where, new EquatableArray<string>(messageArgs));

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        /// <summary>The diagnostic, located in <paramref name="compilation"/>'s syntax tree (see <see cref="SourceSpan.ToLocation"/>).</summary>
        public Diagnostic ToDiagnostic(Compilation? compilation)
        {
            Location location = Where is { } where ? where.ToLocation(compilation) : Location.None;
            object[] args = new object[MessageArgs.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = MessageArgs[i];
            }

            return Diagnostic.Create(Descriptor, location, args);
        }
    }
}
