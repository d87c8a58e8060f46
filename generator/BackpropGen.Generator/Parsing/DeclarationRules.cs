using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Whether the declaration can take generated members: its kind of type (not static, readonly,
    /// ref, record, interface or <c>file</c>), one [Network], partial and not generic, in partial
    /// containing types; and the names the generated file is placed under.
    /// </summary>
    internal static class DeclarationRules
    {
        private static readonly SymbolDisplayFormat s_namespaceFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        /// <summary>Null when <paramref name="target"/> is a type [Network] supports, else a description of its kind for BPG0012.</summary>
        public static string? UnsupportedKindOf(ISymbol target, SyntaxNode node)
        {
            if (target is INamedTypeSymbol type && node is TypeDeclarationSyntax declaration && UnsupportedKind(type) is null && !IsFileLocal(declaration))
            {
                return null;
            }

            return node is TypeDeclarationSyntax fileLocal && IsFileLocal(fileLocal)
                ? "the file-local type (or a type nested in one)"
                : DescribeKind(target);
        }

        /// <summary>Code mid-typing ("public partial class" and no name yet): nothing to generate into.</summary>
        public static bool IsMidTyping(TypeDeclarationSyntax declaration) =>
            declaration.Identifier.IsMissing || declaration.Identifier.ValueText.Length == 0 ||
            declaration.Ancestors().OfType<BaseTypeDeclarationSyntax>().Any(t => t.Identifier.IsMissing);

        /// <summary>Reports the [Network] attributes past the first; returns false when this declaration holds none of the first.</summary>
        public static bool ReportDuplicateNetworks(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, ParseReport report)
        {
            AttributeData? first = type.GetAttributes().FirstOrDefault(NetworkParser.IsNetworkAttribute);
            bool primary = first is null || context.Attributes.Any(a => NetworkParser.SameApplication(a, first));
            foreach (AttributeData attribute in context.Attributes)
            {
                if (first is null || !NetworkParser.SameApplication(attribute, first))
                {
                    report.Add(
                        DiagnosticDescriptors.DuplicateNetwork,
                        AttributeArguments.Of(attribute, report.CancellationToken, context.TargetNode.GetLocation()),
                        type.Name);
                }
            }

            return primary;
        }

        /// <summary>BPG0001 and BPG0003 for the declaration itself.</summary>
        public static void CheckPartialAndNotGeneric(TypeDeclarationSyntax declaration, INamedTypeSymbol type, ParseReport report)
        {
            Location identifierLocation = declaration.Identifier.GetLocation();
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                report.Add(DiagnosticDescriptors.TypeNotPartial, identifierLocation, type.Name);
            }

            if (declaration.TypeParameterList is not null)
            {
                report.Add(DiagnosticDescriptors.GenericType, identifierLocation, type.Name);
            }
        }

        public static List<ContainingTypeSpec> ParseContainingTypes(TypeDeclarationSyntax declaration, INamedTypeSymbol type, ParseReport report)
        {
            var containing = new List<ContainingTypeSpec>();
            for (SyntaxNode? node = declaration.Parent; node is TypeDeclarationSyntax parent; node = node.Parent)
            {
                if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    report.Add(DiagnosticDescriptors.ContainingTypeNotPartial, parent.Identifier.GetLocation(), parent.Identifier.ValueText, type.Name);
                }

                if (parent.TypeParameterList is not null)
                {
                    report.Add(DiagnosticDescriptors.GenericType, parent.Identifier.GetLocation(), parent.Identifier.ValueText);
                }

                string keyword = parent is RecordDeclarationSyntax record
                    ? (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record")
                    : parent.Keyword.ValueText;
                containing.Insert(0, new ContainingTypeSpec(keyword, parent.Identifier.Text));
            }

            return containing;
        }

        public static string? NamespaceOf(INamedTypeSymbol type) =>
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(s_namespaceFormat) : null;

        public static string HintNameOf(INamedTypeSymbol type)
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

        public static string DescribeKind(ISymbol symbol)
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
    }
}
