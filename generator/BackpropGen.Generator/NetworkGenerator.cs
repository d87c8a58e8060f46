using System;
using System.Text;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator
{
    /// <summary>
    /// Writes the unrolled forward and backpropagation code of every type marked <c>[Network]</c>.
    /// Pipeline: attributes → <see cref="NetworkParser"/> → <see cref="NetworkSpec"/> (a value) →
    /// <see cref="NetworkEmitter"/> → one <c>{Type}.BackpropGen.g.cs</c> per network.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ParseResult> networks = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.NetworkAttributeName,
                    static (_, _) => true,
                    static (attributeContext, cancellationToken) => NetworkParser.Parse(attributeContext, cancellationToken))
                .WithTrackingName(TrackingNames.Networks);

            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphanLayers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.LayerAttributeName,
                    static (_, _) => true,
                    static (attributeContext, cancellationToken) => NetworkParser.ParseOrphanLayers(attributeContext, cancellationToken))
                .WithTrackingName(TrackingNames.OrphanLayers);

            IncrementalValueProvider<TargetFeatures> features = context.CompilationProvider
                .Select(static (compilation, _) => new TargetFeatures(
                    HasMathF: compilation.GetTypeByMetadataName("System.MathF") is not null,
                    SupportsNullableDirective: compilation is CSharpCompilation { LanguageVersion: >= LanguageVersion.CSharp8 }))
                .WithTrackingName(TrackingNames.TargetFeatures);

            IncrementalValuesProvider<NetworkSpec> specs = networks
                .Where(static result => result.Spec is not null)
                .Select(static (result, _) => result.Spec!)
                .WithTrackingName(TrackingNames.NetworkSpecs);

            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = networks
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.NetworkDiagnostics);

            context.RegisterSourceOutput(diagnostics, static (output, items) => Report(output, items));
            context.RegisterSourceOutput(orphanLayers, static (output, items) => Report(output, items));
            context.RegisterSourceOutput(
                specs.Combine(features).WithTrackingName(TrackingNames.EmitInputs),
                static (output, pair) => Emit(output, pair.Left, pair.Right));
        }

        private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }

        private static void Emit(SourceProductionContext output, NetworkSpec spec, TargetFeatures features)
        {
            if (TryEmit(spec, features, out string? source, out Diagnostic? failure))
            {
                output.AddSource(spec.HintName, SourceText.From(source!, Encoding.UTF8));
            }
            else
            {
                output.ReportDiagnostic(failure!);
            }
        }

        /// <summary>Emits one network; an unexpected exception becomes BPG0015 instead of crashing the build.</summary>
        internal static bool TryEmit(NetworkSpec spec, TargetFeatures features, out string? source, out Diagnostic? failure)
        {
            try
            {
                source = NetworkEmitter.Emit(spec, features);
                failure = null;
                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                source = null;
                failure = Diagnostic.Create(
                    DiagnosticDescriptors.GeneratorFailure,
                    Location.None,
                    spec.TypeName,
                    exception.GetType().Name,
                    exception.Message);
                return false;
            }
        }
    }
}
