using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>Finds where an attribute's arguments are written, so a diagnostic points at the argument at fault.</summary>
    internal static class AttributeArguments
    {
        public static Location Of(AttributeData attribute, CancellationToken cancellationToken, Location fallback)
        {
            return attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? fallback;
        }

        /// <summary>The constructor argument at <paramref name="position"/>, written positionally or as <c>name: value</c>.</summary>
        public static Location Positional(AttributeData attribute, int position, string parameterName, CancellationToken cancellationToken, Location fallback)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return fallback;
            }

            if (syntax.ArgumentList is null)
            {
                return syntax.GetLocation();
            }

            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax.ArgumentList.Arguments;
            foreach (AttributeArgumentSyntax argument in arguments)
            {
                if (argument.NameColon?.Name.Identifier.ValueText == parameterName)
                {
                    return argument.Expression.GetLocation();
                }
            }

            if (position < arguments.Count && arguments[position].NameEquals is null && arguments[position].NameColon is null)
            {
                return arguments[position].Expression.GetLocation();
            }

            return syntax.GetLocation();
        }

        /// <summary>The named property argument <c>Name = value</c>.</summary>
        public static Location Named(AttributeData attribute, string propertyName, CancellationToken cancellationToken, Location fallback)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return fallback;
            }

            if (syntax.ArgumentList is not null)
            {
                foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == propertyName)
                    {
                        return argument.Expression.GetLocation();
                    }
                }
            }

            return syntax.GetLocation();
        }
    }
}
