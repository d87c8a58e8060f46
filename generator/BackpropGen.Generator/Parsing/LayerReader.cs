using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>The [Layer] attributes of a network, in order, as <see cref="LayerSpec"/>s (BPG0004, BPG0006, BPG0007, BPG0011, BPG0013).</summary>
    internal static class LayerReader
    {
        public static List<LayerSpec> Read(INamedTypeSymbol type, TypeDeclarationSyntax declaration, Location networkLocation, ParseReport report, out List<Location> activationLocations)
        {
            var layers = new List<LayerSpec>();
            activationLocations = new List<Location>();
            List<AttributeData> layerAttributes = type.GetAttributes().Where(NetworkParser.IsLayerAttribute).ToList();
            if (layerAttributes.Count == 0)
            {
                report.Add(DiagnosticDescriptors.NoLayers, networkLocation, type.Name);
                return layers;
            }

            // Attributes on several partial declarations have no defined order between them.
            var owners = new HashSet<SyntaxNode>();
            foreach (AttributeData attribute in layerAttributes)
            {
                SyntaxNode? owner = attribute.ApplicationSyntaxReference?.GetSyntax(report.CancellationToken).Parent?.Parent;
                if (owner is not null)
                {
                    owners.Add(owner);
                }
            }

            if (owners.Count > 1)
            {
                AttributeData stray = layerAttributes.FirstOrDefault(a => a.ApplicationSyntaxReference?.GetSyntax(report.CancellationToken).Parent?.Parent != declaration)
                    ?? layerAttributes[layerAttributes.Count - 1];
                report.Add(DiagnosticDescriptors.LayersOnSeveralDeclarations, AttributeArguments.Of(stray, report.CancellationToken, networkLocation), type.Name);
                return layers;
            }

            for (int i = 0; i < layerAttributes.Count; i++)
            {
                AttributeData attribute = layerAttributes[i];
                Location location = AttributeArguments.Of(attribute, report.CancellationToken, networkLocation);
                Location activationLocation = AttributeArguments.Positional(attribute, 1, "activation", report.CancellationToken, location);
                activationLocations.Add(activationLocation);
                if (!ArgumentValues.ReadableArguments(report, attribute, "Layer", location))
                {
                    continue;
                }

                int size = (int)attribute.ConstructorArguments[0].Value!;
                if (size < 1)
                {
                    report.Add(
                        DiagnosticDescriptors.SizeNotPositive,
                        AttributeArguments.Positional(attribute, 0, "size", report.CancellationToken, location),
                        "The size of layer " + (i + 1).ToString(CultureInfo.InvariantCulture),
                        size.ToString(CultureInfo.InvariantCulture));
                }

                Activation activation = ArgumentValues.ReadEnum<Activation>(report, attribute.ConstructorArguments[1], "Activation", "activation", activationLocation);
                layers.Add(new LayerSpec(size, activation));
            }

            return layers;
        }
    }
}
