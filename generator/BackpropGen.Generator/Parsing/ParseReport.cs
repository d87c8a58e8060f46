using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>The diagnostics of one parse, in the order found, and the parse's cancellation token.</summary>
    internal sealed class ParseReport
    {
        private readonly List<DiagnosticInfo> _diagnostics = new();

        public ParseReport(CancellationToken cancellationToken)
        {
            CancellationToken = cancellationToken;
        }

        public CancellationToken CancellationToken { get; }

        /// <summary>Errors stop generation; warnings (BPG0019) do not.</summary>
        public bool HasErrors => _diagnostics.Any(d => d.IsError);

        public void Add(DiagnosticDescriptor descriptor, Location location, params string[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

        public EquatableArray<DiagnosticInfo> ToArray() => new(_diagnostics.ToArray());
    }
}
