using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Turns a type carrying <c>[Network]</c> into a <see cref="NetworkSpec"/> and its diagnostics.
    /// Parsing/ is the only code that sees symbols and syntax; everything after it works on values.
    /// This class holds the order of the checks; each concern has its own file:
    /// <see cref="DeclarationRules"/> (the declaration), <see cref="NetworkArgumentReader"/> and
    /// <see cref="ArgumentValues"/> ([Network] and [BakedParameters] arguments),
    /// <see cref="LayerReader"/> ([Layer]s), <see cref="NetworkRules"/> (the network as a whole),
    /// <see cref="NameRules"/> (member and value names); diagnostics collect in a <see cref="ParseReport"/>.
    /// </summary>
    internal static class NetworkParser
    {
        public const string NetworkAttributeName = "BackpropGen.NetworkAttribute";
        public const string LayerAttributeName = "BackpropGen.LayerAttribute";
        public const string BakedParametersAttributeName = "BackpropGen.BakedParametersAttribute";

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            try
            {
                return ParseNetwork(context, new ParseReport(cancellationToken));
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                // Never let an unexpected state take the generator down: it becomes a diagnostic.
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[]
                {
                    DiagnosticInfo.Create(
                        DiagnosticDescriptors.GeneratorFailure,
                        context.TargetNode.GetLocation(),
                        context.TargetSymbol.Name,
                        exception.GetType().Name,
                        exception.Message),
                }));
            }
        }

        /// <summary>For a type with <c>[Layer]</c> but no <c>[Network]</c>: the diagnostic that says so.</summary>
        public static EquatableArray<DiagnosticInfo> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.Attributes.IsEmpty || context.TargetSymbol.GetAttributes().Any(IsNetworkAttribute))
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            Location location = AttributeArguments.Of(context.Attributes[0], cancellationToken, context.TargetNode.GetLocation());
            return new EquatableArray<DiagnosticInfo>(new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.LayerWithoutNetwork, location, context.TargetSymbol.Name),
            });
        }

        internal static bool IsNetworkAttribute(AttributeData attribute) =>
            attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName;

        internal static bool IsLayerAttribute(AttributeData attribute) =>
            attribute.AttributeClass?.ToDisplayString() == LayerAttributeName;

        internal static bool SameApplication(AttributeData left, AttributeData right) =>
            left.ApplicationSyntaxReference is { } l &&
            right.ApplicationSyntaxReference is { } r &&
            l.SyntaxTree == r.SyntaxTree &&
            l.Span == r.Span;

        private static ParseResult ParseNetwork(GeneratorAttributeSyntaxContext context, ParseReport report)
        {
            NetworkSpec? spec = ParseNetwork(context, report, out BakedRequest? baked, out SourceSpan? bakedWhere);
            bool failed = report.HasErrors;
            return new ParseResult(failed ? null : spec, report.ToArray(), failed ? null : baked, failed ? null : bakedWhere);
        }

        private static NetworkSpec? ParseNetwork(GeneratorAttributeSyntaxContext context, ParseReport report, out BakedRequest? baked, out SourceSpan? bakedWhere)
        {
            baked = null;
            bakedWhere = null;
            CancellationToken cancellationToken = report.CancellationToken;
            Location targetLocation = context.TargetNode.GetLocation();
            AttributeData networkAttribute = context.Attributes[0];
            Location networkLocation = AttributeArguments.Of(networkAttribute, cancellationToken, targetLocation);

            string? unsupported = DeclarationRules.UnsupportedKindOf(context.TargetSymbol, context.TargetNode);
            if (unsupported is not null ||
                context.TargetSymbol is not INamedTypeSymbol type ||
                context.TargetNode is not TypeDeclarationSyntax declaration)
            {
                report.Add(DiagnosticDescriptors.UnsupportedTypeKind, networkLocation, unsupported ?? DeclarationRules.DescribeKind(context.TargetSymbol), context.TargetSymbol.Name);
                return null;
            }

            // With several [Network] attributes nothing is generated: the extra ones are reported
            // where they stand, and the compiler reports CS0579 too.
            // Code mid-typing ("public partial class" and no name yet): the compiler already says so,
            // and there is nothing to generate into.
            if (DeclarationRules.IsMidTyping(declaration))
            {
                return null;
            }

            if (!DeclarationRules.ReportDuplicateNetworks(context, type, report) || type.GetAttributes().Count(IsNetworkAttribute) > 1)
            {
                return null;
            }

            DeclarationRules.CheckPartialAndNotGeneric(declaration, type, report);
            List<ContainingTypeSpec> containingTypes = DeclarationRules.ParseContainingTypes(declaration, type, report);
            NetworkArguments arguments = NetworkArgumentReader.Read(networkAttribute, networkLocation, report);
            NetworkRules.ValidateHyperparameters(networkAttribute, networkLocation, arguments.Optimizer, arguments.Precision, report);
            NameRules.ReportReservedNameClashes(type, declaration, report);
            List<LayerSpec> layers = LayerReader.Read(type, declaration, networkLocation, report, out List<Location> activationLocations);

            if (report.HasErrors)
            {
                return null;
            }

            NetworkRules.ValidateTopology(type, arguments.Inputs, layers, arguments.Loss, networkAttribute, networkLocation, activationLocations, report);
            NameRules.ValidateNames(arguments.InputNames, arguments.Inputs, "InputNames", "input", arguments.InputNamesLocation, System.Array.Empty<string>(), report);
            NameRules.ValidateNames(arguments.OutputNames, layers.Count > 0 ? layers[layers.Count - 1].Size : 0, "OutputNames", "output", arguments.OutputNamesLocation, arguments.InputNames, report);
            baked = NetworkArgumentReader.ReadBakedRequest(type, networkLocation, report, out bakedWhere);
            if (report.HasErrors)
            {
                return null;
            }

            bool explain = NetworkRules.Explains(type, arguments, layers, baked is not null, report);

            return new NetworkSpec(
                Namespace: DeclarationRules.NamespaceOf(type),
                ContainingTypes: new EquatableArray<ContainingTypeSpec>(containingTypes.ToArray()),
                TypeName: declaration.Identifier.Text,
                IsStruct: type.TypeKind == TypeKind.Struct,
                HintName: DeclarationRules.HintNameOf(type),
                Inputs: arguments.Inputs,
                Layers: new EquatableArray<LayerSpec>(layers.ToArray()),
                Loss: arguments.Loss,
                Precision: arguments.Precision,
                Optimizer: arguments.Optimizer,
                Trainable: arguments.Trainable && baked is null,
                InputNames: new EquatableArray<string>(arguments.InputNames),
                OutputNames: new EquatableArray<string>(arguments.OutputNames),
                BakedParameters: EquatableArray<double>.Empty,
                FastMath: arguments.FastMath,
                Explain: explain,
                InputScaling: arguments.InputScaling,
                BakedInputScaling: EquatableArray<double>.Empty);
        }
    }
}
