using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Turns a type carrying <c>[Network]</c> into a <see cref="NetworkSpec"/> and its diagnostics.
    /// The only place that sees symbols and syntax; everything after it works on values.
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
                return new Parser(context, cancellationToken).Run();
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

        private static bool IsNetworkAttribute(AttributeData attribute) =>
            attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName;

        private static bool IsLayerAttribute(AttributeData attribute) =>
            attribute.AttributeClass?.ToDisplayString() == LayerAttributeName;

        private static bool SameApplication(AttributeData left, AttributeData right) =>
            left.ApplicationSyntaxReference is { } l &&
            right.ApplicationSyntaxReference is { } r &&
            l.SyntaxTree == r.SyntaxTree &&
            l.Span == r.Span;

        private sealed class Parser
        {
            private static readonly SymbolDisplayFormat s_namespaceFormat =
                SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

            private readonly GeneratorAttributeSyntaxContext _context;
            private readonly CancellationToken _cancellationToken;
            private readonly List<DiagnosticInfo> _diagnostics = new();
            private BakedRequest? _baked;
            private SourceSpan? _bakedWhere;

            public Parser(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                _context = context;
                _cancellationToken = cancellationToken;
            }

            public ParseResult Run()
            {
                NetworkSpec? spec = ParseNetwork();
                return new ParseResult(HasErrors ? null : spec, new EquatableArray<DiagnosticInfo>(_diagnostics.ToArray()), HasErrors ? null : _baked, HasErrors ? null : _bakedWhere);
            }

            /// <summary>Errors stop generation; warnings (BPG0019) do not.</summary>
            private bool HasErrors => _diagnostics.Any(d => d.IsError);

            private void Report(DiagnosticDescriptor descriptor, Location location, params string[] args) =>
                _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

            private NetworkSpec? ParseNetwork()
            {
                Location targetLocation = _context.TargetNode.GetLocation();
                AttributeData networkAttribute = _context.Attributes[0];
                Location networkLocation = AttributeArguments.Of(networkAttribute, _cancellationToken, targetLocation);

                if (_context.TargetSymbol is not INamedTypeSymbol type ||
                    _context.TargetNode is not TypeDeclarationSyntax declaration ||
                    UnsupportedKind(type) is not null ||
                    IsFileLocal(declaration))
                {
                    string kind = _context.TargetNode is TypeDeclarationSyntax fileLocal && IsFileLocal(fileLocal)
                        ? "the file-local type (or a type nested in one)"
                        : DescribeKind(_context.TargetSymbol);
                    Report(DiagnosticDescriptors.UnsupportedTypeKind, networkLocation, kind, _context.TargetSymbol.Name);
                    return null;
                }

                // With several [Network] attributes nothing is generated: the extra ones are reported
                // where they stand, and the compiler reports CS0579 too.
                // Code mid-typing ("public partial class" and no name yet): the compiler already says so,
                // and there is nothing to generate into.
                if (declaration.Identifier.IsMissing || declaration.Identifier.ValueText.Length == 0 ||
                    declaration.Ancestors().OfType<BaseTypeDeclarationSyntax>().Any(t => t.Identifier.IsMissing))
                {
                    return null;
                }

                if (!ReportDuplicateNetworks(type) || type.GetAttributes().Count(IsNetworkAttribute) > 1)
                {
                    return null;
                }

                Location identifierLocation = declaration.Identifier.GetLocation();
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(DiagnosticDescriptors.TypeNotPartial, identifierLocation, type.Name);
                }

                if (declaration.TypeParameterList is not null)
                {
                    Report(DiagnosticDescriptors.GenericType, identifierLocation, type.Name);
                }

                List<ContainingTypeSpec> containingTypes = ParseContainingTypes(declaration, type);

                int inputs = 0;
                LossFunction loss = LossFunction.HalfSquaredError;
                Precision precision = Precision.Single;
                OptimizerSpec optimizer = OptimizerSpec.Default;
                bool trainable = true;
                bool fastMath = false;
                string[] inputNames = System.Array.Empty<string>();
                string[] outputNames = System.Array.Empty<string>();
                Location inputNamesLocation = networkLocation;
                Location outputNamesLocation = networkLocation;
                if (ReadableArguments(networkAttribute, "Network", networkLocation))
                {
                    inputs = (int)networkAttribute.ConstructorArguments[0].Value!;
                    if (inputs < 1)
                    {
                        Report(
                            DiagnosticDescriptors.SizeNotPositive,
                            AttributeArguments.Positional(networkAttribute, 0, "inputs", _cancellationToken, networkLocation),
                            "The number of inputs",
                            inputs.ToString(CultureInfo.InvariantCulture));
                    }

                    foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
                    {
                        Location location = AttributeArguments.Named(networkAttribute, named.Key, _cancellationToken, networkLocation);
                        switch (named.Key)
                        {
                            case "Loss":
                                loss = ReadEnum<LossFunction>(named.Value, "LossFunction", "Loss", location);
                                break;
                            case "Precision":
                                precision = ReadEnum<Precision>(named.Value, "Precision", "Precision", location);
                                break;
                            case "Trainable":
                                trainable = named.Value.Value is true;
                                break;
                            case "FastMath":
                                fastMath = named.Value.Value is true;
                                break;
                            case "InputNames":
                                inputNames = ReadNames(named.Value);
                                inputNamesLocation = location;
                                break;
                            case "OutputNames":
                                outputNames = ReadNames(named.Value);
                                outputNamesLocation = location;
                                break;
                            case "Optimizer":
                                optimizer = optimizer with { Kind = ReadEnum<Optimizer>(named.Value, "Optimizer", "Optimizer", location) };
                                break;
                            case "Momentum":
                                optimizer = optimizer with { Momentum = ReadHyperparameter(named, location, 0, 1, "μ must be in [0, 1), for example 0.9") };
                                break;
                            case "Beta1":
                                optimizer = optimizer with { Beta1 = ReadHyperparameter(named, location, 0, 1, "β₁ must be in [0, 1), for example 0.9") };
                                break;
                            case "Beta2":
                                optimizer = optimizer with { Beta2 = ReadHyperparameter(named, location, 0, 1, "β₂ must be in [0, 1), for example 0.999") };
                                break;
                            case "Epsilon":
                                optimizer = optimizer with { Epsilon = ReadHyperparameter(named, location, double.Epsilon, double.MaxValue, "ε must be greater than 0, for example 1e-8") };
                                break;
                            case "WeightDecay":
                                optimizer = optimizer with { WeightDecay = ReadHyperparameter(named, location, 0, double.MaxValue, "λ must be 0 or more, for example 1e-4") };
                                break;
                        }
                    }
                }

                ValidateHyperparametersFor(networkAttribute, networkLocation, optimizer, precision);
                ReportReservedNameClashes(type, declaration);
                List<LayerSpec> layers = ParseLayers(type, declaration, networkLocation, out List<Location> activationLocations);

                if (HasErrors)
                {
                    return null;
                }

                ValidateTopology(type, inputs, layers, loss, networkAttribute, networkLocation, activationLocations);
                ValidateNames(inputNames, inputs, "InputNames", "input", inputNamesLocation, System.Array.Empty<string>());
                ValidateNames(outputNames, layers.Count > 0 ? layers[layers.Count - 1].Size : 0, "OutputNames", "output", outputNamesLocation, inputNames);
                _baked = ReadBakedRequest(type, networkLocation);
                if (HasErrors)
                {
                    return null;
                }

                return new NetworkSpec(
                    Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(s_namespaceFormat) : null,
                    ContainingTypes: new EquatableArray<ContainingTypeSpec>(containingTypes.ToArray()),
                    TypeName: declaration.Identifier.Text,
                    IsStruct: type.TypeKind == TypeKind.Struct,
                    HintName: HintNameOf(type),
                    Inputs: inputs,
                    Layers: new EquatableArray<LayerSpec>(layers.ToArray()),
                    Loss: loss,
                    Precision: precision,
                    Optimizer: optimizer,
                    Trainable: trainable && _baked is null,
                    InputNames: new EquatableArray<string>(inputNames),
                    OutputNames: new EquatableArray<string>(outputNames),
                    BakedParameters: EquatableArray<double>.Empty,
                    FastMath: fastMath);
            }

            /// <summary>Reports the [Network] attributes past the first; returns false when this declaration holds none of the first.</summary>
            private bool ReportDuplicateNetworks(INamedTypeSymbol type)
            {
                AttributeData? first = type.GetAttributes().FirstOrDefault(IsNetworkAttribute);
                bool primary = first is null || _context.Attributes.Any(a => SameApplication(a, first));
                foreach (AttributeData attribute in _context.Attributes)
                {
                    if (first is null || !SameApplication(attribute, first))
                    {
                        Report(
                            DiagnosticDescriptors.DuplicateNetwork,
                            AttributeArguments.Of(attribute, _cancellationToken, _context.TargetNode.GetLocation()),
                            type.Name);
                    }
                }

                return primary;
            }

            private List<ContainingTypeSpec> ParseContainingTypes(TypeDeclarationSyntax declaration, INamedTypeSymbol type)
            {
                var containing = new List<ContainingTypeSpec>();
                for (SyntaxNode? node = declaration.Parent; node is TypeDeclarationSyntax parent; node = node.Parent)
                {
                    if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        Report(DiagnosticDescriptors.ContainingTypeNotPartial, parent.Identifier.GetLocation(), parent.Identifier.ValueText, type.Name);
                    }

                    if (parent.TypeParameterList is not null)
                    {
                        Report(DiagnosticDescriptors.GenericType, parent.Identifier.GetLocation(), parent.Identifier.ValueText);
                    }

                    string keyword = parent is RecordDeclarationSyntax record
                        ? (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record")
                        : parent.Keyword.ValueText;
                    containing.Insert(0, new ContainingTypeSpec(keyword, parent.Identifier.Text));
                }

                return containing;
            }

            private List<LayerSpec> ParseLayers(INamedTypeSymbol type, TypeDeclarationSyntax declaration, Location networkLocation, out List<Location> activationLocations)
            {
                var layers = new List<LayerSpec>();
                activationLocations = new List<Location>();
                List<AttributeData> layerAttributes = type.GetAttributes().Where(IsLayerAttribute).ToList();
                if (layerAttributes.Count == 0)
                {
                    Report(DiagnosticDescriptors.NoLayers, networkLocation, type.Name);
                    return layers;
                }

                // Attributes on several partial declarations have no defined order between them.
                var owners = new HashSet<SyntaxNode>();
                foreach (AttributeData attribute in layerAttributes)
                {
                    SyntaxNode? owner = attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken).Parent?.Parent;
                    if (owner is not null)
                    {
                        owners.Add(owner);
                    }
                }

                if (owners.Count > 1)
                {
                    AttributeData stray = layerAttributes.FirstOrDefault(a => a.ApplicationSyntaxReference?.GetSyntax(_cancellationToken).Parent?.Parent != declaration)
                        ?? layerAttributes[layerAttributes.Count - 1];
                    Report(DiagnosticDescriptors.LayersOnSeveralDeclarations, AttributeArguments.Of(stray, _cancellationToken, networkLocation), type.Name);
                    return layers;
                }

                for (int i = 0; i < layerAttributes.Count; i++)
                {
                    AttributeData attribute = layerAttributes[i];
                    Location location = AttributeArguments.Of(attribute, _cancellationToken, networkLocation);
                    Location activationLocation = AttributeArguments.Positional(attribute, 1, "activation", _cancellationToken, location);
                    activationLocations.Add(activationLocation);
                    if (!ReadableArguments(attribute, "Layer", location))
                    {
                        continue;
                    }

                    int size = (int)attribute.ConstructorArguments[0].Value!;
                    if (size < 1)
                    {
                        Report(
                            DiagnosticDescriptors.SizeNotPositive,
                            AttributeArguments.Positional(attribute, 0, "size", _cancellationToken, location),
                            "The size of layer " + (i + 1).ToString(CultureInfo.InvariantCulture),
                            size.ToString(CultureInfo.InvariantCulture));
                    }

                    Activation activation = ReadEnum<Activation>(attribute.ConstructorArguments[1], "Activation", "activation", activationLocation);
                    layers.Add(new LayerSpec(size, activation));
                }

                return layers;
            }

            private void ValidateTopology(
                INamedTypeSymbol type,
                int inputs,
                List<LayerSpec> layers,
                LossFunction loss,
                AttributeData networkAttribute,
                Location networkLocation,
                List<Location> activationLocations)
            {
                for (int i = 0; i < layers.Count - 1; i++)
                {
                    if (layers[i].Activation == Activation.Softmax)
                    {
                        Report(DiagnosticDescriptors.SoftmaxOnHiddenLayer, activationLocations[i], Text(i + 1));
                    }
                }

                ValidateLossAndOutput(layers[layers.Count - 1].Activation, loss, networkAttribute, networkLocation, activationLocations[layers.Count - 1]);

                var layerValues = new EquatableArray<LayerSpec>(layers.ToArray());
                int parameters = NetworkLimits.CountParameters(inputs, layerValues);
                int neurons = NetworkLimits.CountNeurons(layerValues);
                int outputs = layers[layers.Count - 1].Size;
                if (inputs > NetworkLimits.MaxInputs || parameters > NetworkLimits.MaxParameters || neurons > NetworkLimits.MaxNeurons || outputs > NetworkLimits.MaxOutputs)
                {
                    Report(
                        DiagnosticDescriptors.NetworkTooLarge,
                        networkLocation,
                        type.Name,
                        Counts.Of(inputs, "input"),
                        Counts.Of(parameters, "parameter"),
                        Counts.Of(neurons, "neuron"),
                        Counts.Of(outputs, "output"),
                        Text(NetworkLimits.MaxInputs),
                        Text(NetworkLimits.MaxParameters),
                        Text(NetworkLimits.MaxNeurons),
                        Text(NetworkLimits.MaxOutputs));
                }
            }

            /// <summary>
            /// The cross-entropy losses come fused with their output activation (δᴸ = aᴸ − y), so each
            /// needs its own; Softmax has no squared-error form here (that would need its Jacobian).
            /// </summary>
            private void ValidateLossAndOutput(Activation output, LossFunction loss, AttributeData networkAttribute, Location networkLocation, Location outputLocation)
            {
                Location lossLocation = AttributeArguments.Named(networkAttribute, "Loss", _cancellationToken, networkLocation);
                if (loss == LossFunction.CrossEntropy && output != Activation.Softmax)
                {
                    Report(
                        DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                        lossLocation,
                        "LossFunction.CrossEntropy needs a Softmax output layer, but the output layer is " + output,
                        "make the last [Layer] Activation.Softmax, or use BinaryCrossEntropy (Sigmoid output) or a squared-error loss");
                }
                else if (loss == LossFunction.BinaryCrossEntropy && output != Activation.Sigmoid)
                {
                    Report(
                        DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                        lossLocation,
                        "LossFunction.BinaryCrossEntropy needs a Sigmoid output layer, but the output layer is " + output,
                        "make the last [Layer] Activation.Sigmoid, or use CrossEntropy (Softmax output) or a squared-error loss");
                }
                else if (output == Activation.Softmax && loss != LossFunction.CrossEntropy)
                {
                    Report(
                        DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                        outputLocation,
                        "A Softmax output layer needs LossFunction.CrossEntropy, but the loss is " + loss,
                        "add Loss = LossFunction.CrossEntropy to [Network], or use a Sigmoid or Linear output layer");
                }
            }

            /// <summary>False (with a diagnostic) when the compiler could not bind the attribute's arguments.</summary>
            private bool ReadableArguments(AttributeData attribute, string attributeName, Location location)
            {
                bool readable = attribute.AttributeConstructor is not null &&
                    attribute.ConstructorArguments.All(a => a.Kind != TypedConstantKind.Error && a.Value is not null) &&
                    attribute.NamedArguments.All(a => a.Value.Kind != TypedConstantKind.Error && (a.Value.Kind == TypedConstantKind.Array || a.Value.Value is not null));
                if (!readable)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeArguments, location, attributeName);
                }

                return readable;
            }

            /// <summary>
            /// The hyperparameters become literals of the network's type: in float, β = 0.99999999999
            /// rounds to 1 (and Adam divides by 1 − β₂ᵗ = 0), ε = 1e-50 to 0, λ = 1e39 to ∞.
            /// Also warns about hyperparameters the chosen optimizer never reads.
            /// </summary>
            private void ValidateHyperparametersFor(AttributeData networkAttribute, Location networkLocation, OptimizerSpec optimizer, Precision precision)
            {
                foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
                {
                    if (named.Value.Kind == TypedConstantKind.Array || named.Value.Value is not double value || double.IsNaN(value) || double.IsInfinity(value))
                    {
                        continue;
                    }

                    Location location = AttributeArguments.Named(networkAttribute, named.Key, _cancellationToken, networkLocation);
                    string? used = named.Key switch
                    {
                        "Momentum" => optimizer.Kind == Optimizer.Momentum ? null : "Optimizer.Momentum",
                        "Beta1" or "Beta2" or "Epsilon" => optimizer.Kind == Optimizer.Adam ? null : "Optimizer.Adam",
                        _ => null,
                    };
                    if (used is not null)
                    {
                        Report(DiagnosticDescriptors.HyperparameterUnused, location, named.Key, optimizer.Kind.ToString(), used);
                    }

                    if (precision != Precision.Single)
                    {
                        continue;
                    }

                    float single = (float)value;
                    string? problem = named.Key switch
                    {
                        "Momentum" or "Beta1" or "Beta2" when single >= 1f && value < 1 => "it rounds to 1 in float; use at most 0.9999999",
                        "Epsilon" when single == 0f && value > 0 => "it rounds to 0 in float; use at least 1e-38",
                        "WeightDecay" or "Epsilon" when float.IsInfinity(single) => "it is too large for float",
                        _ => null,
                    };
                    if (problem is not null)
                    {
                        Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, named.Key, value.ToString("R", CultureInfo.InvariantCulture), problem);
                    }
                }
            }

            /// <summary>
            /// Members the generator adds must not exist already, in the type or a base type: the
            /// generated file would not compile (or would hide them with warnings).
            /// </summary>
            private void ReportReservedNameClashes(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
            {
                if (ReservedNames.IsReserved(type.Name))
                {
                    Report(DiagnosticDescriptors.ReservedMemberName, declaration.Identifier.GetLocation(), type.Name, "the type itself", type.Name, RenameIt);
                }

                bool reportedGenerated = false;
                foreach (ISymbol member in type.GetMembers())
                {
                    if (member.IsImplicitlyDeclared || !ReservedNames.IsReserved(member.Name))
                    {
                        continue;
                    }

                    Location? location = member.Locations.FirstOrDefault(l => l.IsInSource);
                    if (location?.SourceTree is { } tree && GeneratedByBackpropGen(member, tree))
                    {
                        // An earlier build's output compiled again (EmitCompilerGeneratedFiles with the
                        // output folder inside the project): every generated member clashes, and
                        // renaming is wrong advice. Once per network, on the user's declaration.
                        if (!reportedGenerated)
                        {
                            reportedGenerated = true;
                            Report(DiagnosticDescriptors.ReservedMemberName, declaration.Identifier.GetLocation(), type.Name, "its member", member.Name, ExcludeGeneratedFiles(tree.FilePath));
                        }

                        continue;
                    }

                    Report(DiagnosticDescriptors.ReservedMemberName, location ?? declaration.Identifier.GetLocation(), type.Name, "its member", member.Name, RenameIt);
                }

                for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
                {
                    foreach (ISymbol member in baseType.GetMembers())
                    {
                        if (!member.IsImplicitlyDeclared && member.DeclaredAccessibility != Accessibility.Private && ReservedNames.IsReserved(member.Name))
                        {
                            Report(DiagnosticDescriptors.ReservedMemberName, declaration.Identifier.GetLocation(), type.Name, "its base type " + baseType.Name + "'s member", member.Name, RenameIt);
                            return;
                        }
                    }
                }
            }

            private const string RenameIt = "rename it";

            /// <summary>
            /// True when the member is BackpropGen's own output: it carries
            /// <c>[GeneratedCode("BackpropGen", …)]</c> or stands in a file with BackpropGen's header.
            /// </summary>
            private bool GeneratedByBackpropGen(ISymbol member, SyntaxTree tree)
            {
                foreach (AttributeData attribute in member.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute" &&
                        attribute.ConstructorArguments.Length > 0 &&
                        attribute.ConstructorArguments[0].Value as string == "BackpropGen")
                    {
                        return true;
                    }
                }

                Microsoft.CodeAnalysis.Text.SourceText text = tree.GetText(_cancellationToken);
                return text.Lines.Count > 1 &&
                    text.Lines[0].ToString() == "// <auto-generated/>" &&
                    text.Lines[1].ToString().StartsWith("// Generated by BackpropGen ", StringComparison.Ordinal);
            }

            /// <summary>The advice for generated files compiled again, naming their folder when the path shows it.</summary>
            private static string ExcludeGeneratedFiles(string filePath)
            {
                // CompilerGeneratedFilesOutputPath/<generator assembly>/<generator type>/<hint name>.
                const string Marker = "/BackpropGen.Generator/BackpropGen.Generator.NetworkGenerator/";
                string path = filePath.Replace('\\', '/');
                int marker = path.LastIndexOf(Marker, StringComparison.Ordinal);
                string folder = "Generated";
                if (marker > 0)
                {
                    string before = path.Substring(0, marker);
                    folder = before.Substring(before.LastIndexOf('/') + 1);
                }

                return "it is BackpropGen's own output from an earlier build (" + path.Substring(path.LastIndexOf('/') + 1) +
                    "), compiled again as a source file, so renaming would not help: exclude the folder of emitted files " +
                    "(CompilerGeneratedFilesOutputPath) from compilation with <Compile Remove=\"" + folder + "/**\" />";
            }

            private static string[] ReadNames(TypedConstant constant) =>
                constant.Kind == TypedConstantKind.Array && !constant.IsNull
                    ? constant.Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                    : System.Array.Empty<string>();

            /// <summary>Names must be C# identifiers (not keywords), one per value, none twice across inputs and outputs.</summary>
            private void ValidateNames(string[] names, int expected, string property, string valueNoun, Location location, string[] otherNames)
            {
                if (names.Length == 0)
                {
                    return;
                }

                if (names.Length != expected)
                {
                    Report(DiagnosticDescriptors.InvalidNames, location, property, "gives " + Counts.Of(names.Length, "name") + " for " + Counts.Of(expected, valueNoun) + "; give one name per value");
                    return;
                }

                var seen = new HashSet<string>(otherNames, System.StringComparer.Ordinal);
                foreach (string name in names)
                {
                    if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
                    {
                        Report(DiagnosticDescriptors.InvalidNames, location, property, "has \"" + name + "\", which is not a C# identifier; use letters, digits and '_', not starting with a digit and not a keyword");
                        return;
                    }

                    // The overload's own parameter names, locals and the method it calls are taken.
                    if (name is "input" or "output" || ReservedNames.IsReserved(name) || name.StartsWith("backpropGen", System.StringComparison.Ordinal))
                    {
                        Report(DiagnosticDescriptors.InvalidNames, location, property, "has \"" + name + "\", a name the generated code uses itself; choose another");
                        return;
                    }

                    if (!seen.Add(name))
                    {
                        Report(DiagnosticDescriptors.InvalidNames, location, property, "has \"" + name + "\" twice (inputs and outputs together); give every value its own name");
                        return;
                    }
                }
            }

            private BakedRequest? ReadBakedRequest(INamedTypeSymbol type, Location fallback)
            {
                AttributeData? baked = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == BakedParametersAttributeName);
                if (baked is null)
                {
                    return null;
                }

                Location location = AttributeArguments.Positional(baked, 0, "path", _cancellationToken, AttributeArguments.Of(baked, _cancellationToken, fallback));
                if (baked.AttributeConstructor is null || baked.ConstructorArguments.Length != 1 || baked.ConstructorArguments[0].Value is not string path || path.Trim().Length == 0)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeArguments, location, "BakedParameters");
                    return null;
                }

                _bakedWhere = SourceSpan.From(location);
                return new BakedRequest(path);
            }

            /// <summary>A finite double in [<paramref name="min"/>, <paramref name="maxExclusive"/>), else BPG0017.</summary>
            private double ReadHyperparameter(KeyValuePair<string, TypedConstant> named, Location location, double min, double maxExclusive, string rule)
            {
                double value = System.Convert.ToDouble(named.Value.Value, CultureInfo.InvariantCulture);
                if (double.IsNaN(value) || double.IsInfinity(value) || value < min || value >= maxExclusive)
                {
                    Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, named.Key, value.ToString("R", CultureInfo.InvariantCulture), rule);
                }

                return value;
            }

            private TEnum ReadEnum<TEnum>(TypedConstant constant, string enumName, string argumentName, Location location)
                where TEnum : struct, Enum
            {
                if (constant.Value is int value && Enum.IsDefined(typeof(TEnum), value))
                {
                    return (TEnum)(object)value;
                }

                Report(
                    DiagnosticDescriptors.UndefinedEnumValue,
                    location,
                    Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? argumentName,
                    enumName,
                    string.Join(", ", Enum.GetNames(typeof(TEnum))));
                return default;
            }

            private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

            /// <summary>
            /// A <c>file</c> type cannot be extended from the generated file (another file declares
            /// another type). Read from the modifiers: Roslyn 4.3 has no IsFileLocal.
            /// </summary>
            private static bool IsFileLocal(TypeDeclarationSyntax declaration) =>
                declaration.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().Any(t => t.Modifiers.Any(m => m.ValueText == "file"));

            private static string? UnsupportedKind(INamedTypeSymbol type)
            {
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsRecord || type.IsStatic || type.IsRefLikeType || (type.TypeKind == TypeKind.Struct && type.IsReadOnly))
                {
                    return DescribeKind(type);
                }

                return null;
            }

            private static string DescribeKind(ISymbol symbol)
            {
                if (symbol is not INamedTypeSymbol type)
                {
                    return "the " + symbol.Kind.ToString().ToLowerInvariant();
                }

                if (type.IsRecord)
                {
                    return type.TypeKind == TypeKind.Struct ? "the record struct" : "the record";
                }

                if (type.IsStatic)
                {
                    return "the static class";
                }

                if (type.IsRefLikeType)
                {
                    return "the ref struct";
                }

                if (type.TypeKind == TypeKind.Struct && type.IsReadOnly)
                {
                    return "the readonly struct";
                }

                return "the " + type.TypeKind.ToString().ToLowerInvariant();
            }

            private static string HintNameOf(INamedTypeSymbol type)
            {
                // Nested types are joined with '+' as in metadata names, so Outer.Inner (nested) and
                // namespace Outer's Inner get different files.
                string name = type.Name;
                for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
                {
                    name = outer.Name + "+" + name;
                }

                // Namespace parts by Name, which has no '@' (namespace @class): hint names are file names.
                for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
                {
                    name = ns.Name + "." + name;
                }

                return name + ".BackpropGen.g.cs";
            }
        }
    }
}
