using System;
using System.Collections.Immutable;
using System.Linq;
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

            // JSON files of AdditionalFiles, for [BakedParameters]; a network without it passes through unchanged.
            IncrementalValueProvider<EquatableArray<AdditionalFileContent>> jsonFiles = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Select(static (text, cancellationToken) => new AdditionalFileContent(text.Path, text.GetText(cancellationToken)?.ToString()))
                .Collect()
                .Select(static (files, _) => new EquatableArray<AdditionalFileContent>(files.ToArray()))
                .WithTrackingName(TrackingNames.BakedFiles);

            // A [BakedParameters] file is read for (spec, path) alone, never for where the attribute
            // stands: an edit above the network changes its parse result's locations, not this key, so
            // the file is not read again. The reads are collected and put back by key.
            IncrementalValueProvider<ImmutableArray<BakedRead>> bakedReads = networks
                .Where(static result => BakedResolution.NeedsFile(result))
                .Select(static (result, _) => BakedResolution.KeyOf(result))
                .WithTrackingName(TrackingNames.BakedRequests)
                .Combine(jsonFiles)
                .Select(static (pair, cancellationToken) => BakedParameterReader.Read(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.BakedReads)
                .Collect();

            IncrementalValuesProvider<ParseResult> resolved = networks
                .Combine(bakedReads)
                .Select(static (pair, _) => BakedResolution.Attach(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.ResolvedNetworks);

            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphanLayers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.LayerAttributeName,
                    static (_, _) => true,
                    static (attributeContext, cancellationToken) => NetworkParser.ParseOrphanLayers(attributeContext, cancellationToken))
                .WithTrackingName(TrackingNames.OrphanLayers);

            IncrementalValueProvider<TargetFeatures> features = context.CompilationProvider
                .Select(static (compilation, _) => TargetFeatures.Of(compilation))
                .WithTrackingName(TrackingNames.TargetFeatures);

            IncrementalValuesProvider<NetworkSpec> specs = resolved
                .Where(static result => result.Spec is not null)
                .Select(static (result, _) => result.Spec!)
                .WithTrackingName(TrackingNames.NetworkSpecs);

            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = resolved
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.NetworkDiagnostics);

            RegisterDiagnostics(context, diagnostics);
            RegisterDiagnostics(context, orphanLayers);
            // Hint names are compared ignoring case, so types Net and NET of one namespace would
            // collide: find such names across all networks (usually none, so this stays cached).
            IncrementalValueProvider<EquatableArray<string>> caseClashes = specs
                .Select(static (spec, _) => spec.HintName)
                .Collect()
                .Select(static (names, _) => CaseClashes(names))
                .WithTrackingName(TrackingNames.HintNameClashes);

            context.RegisterSourceOutput(
                specs.Combine(features).Combine(caseClashes).WithTrackingName(TrackingNames.EmitInputs),
                static (output, inputs) => Emit(output, inputs.Left.Left, inputs.Left.Right, inputs.Right));
        }

        /// <summary>
        /// Reports diagnostics at locations in the compilation's own syntax trees, so that
        /// <c>#pragma warning disable</c> and .editorconfig severities apply (the compiler looks both up
        /// through the location's tree). The cached values carry only path and span; the compilation
        /// joins them here, after the <c>Where</c>, so only a network that has diagnostics is reported
        /// again on an edit, and nothing upstream re-runs for it. The same approach as the
        /// System.Text.Json and LoggerMessage generators' separate diagnostics pipeline.
        /// </summary>
        private static void RegisterDiagnostics(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics)
        {
            context.RegisterSourceOutput(
                diagnostics.Where(static items => items.Count > 0).Combine(context.CompilationProvider),
                static (output, pair) => Report(output, pair.Left, pair.Right));
        }

        private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
            }
        }

        private static EquatableArray<string> CaseClashes(ImmutableArray<string> names)
        {
            string[] clashing = names
                .GroupBy(name => name, StringComparer.OrdinalIgnoreCase)
                .Where(group => group.Distinct(StringComparer.Ordinal).Count() > 1)
                .SelectMany(group => group)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(name => name, StringComparer.Ordinal)
                .ToArray();
            return new EquatableArray<string>(clashing);
        }

        private static void Emit(SourceProductionContext output, NetworkSpec spec, TargetFeatures features, EquatableArray<string> caseClashes)
        {
            if (!TryEmit(spec, features, out string? source, out Diagnostic? failure))
            {
                output.ReportDiagnostic(failure!);
                return;
            }

            string hintName = caseClashes.Contains(spec.HintName)
                ? spec.HintName.Replace(".BackpropGen.g.cs", "." + StableHash(spec.HintName) + ".BackpropGen.g.cs")
                : spec.HintName;
            output.AddSource(hintName, SourceText.From(source!, Encoding.UTF8));
        }

        private static string StableHash(string text)
        {
            // FNV-1a: string.GetHashCode is randomized per process, and output must be deterministic.
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
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
