using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Reading constants out of attribute arguments: whether the compiler could bind them at all
    /// (BPG0013), enum values that must be defined (BPG0007), hyperparameters in range (BPG0017),
    /// name arrays.
    /// </summary>
    internal static class ArgumentValues
    {
        /// <summary>False (with a diagnostic) when the compiler could not bind the attribute's arguments.</summary>
        public static bool ReadableArguments(ParseReport report, AttributeData attribute, string attributeName, Location location)
        {
            bool readable = attribute.AttributeConstructor is not null &&
                attribute.ConstructorArguments.All(a => a.Kind != TypedConstantKind.Error && a.Value is not null) &&
                attribute.NamedArguments.All(a => a.Value.Kind != TypedConstantKind.Error && (a.Value.Kind == TypedConstantKind.Array || a.Value.Value is not null));
            if (!readable)
            {
                report.Add(DiagnosticDescriptors.InvalidAttributeArguments, location, attributeName);
            }

            return readable;
        }

        public static TEnum ReadEnum<TEnum>(ParseReport report, TypedConstant constant, string enumName, string argumentName, Location location)
            where TEnum : struct, Enum
        {
            if (constant.Value is int value && Enum.IsDefined(typeof(TEnum), value))
            {
                return (TEnum)(object)value;
            }

            report.Add(
                DiagnosticDescriptors.UndefinedEnumValue,
                location,
                Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? argumentName,
                enumName,
                string.Join(", ", Enum.GetNames(typeof(TEnum))));
            return default;
        }

        /// <summary>A finite double in [<paramref name="min"/>, <paramref name="maxExclusive"/>), else BPG0017.</summary>
        public static double ReadHyperparameter(ParseReport report, KeyValuePair<string, TypedConstant> named, Location location, double min, double maxExclusive, string rule)
        {
            double value = System.Convert.ToDouble(named.Value.Value, CultureInfo.InvariantCulture);
            if (double.IsNaN(value) || double.IsInfinity(value) || value < min || value >= maxExclusive)
            {
                report.Add(DiagnosticDescriptors.HyperparameterOutOfRange, location, named.Key, value.ToString("R", CultureInfo.InvariantCulture), rule);
            }

            return value;
        }

        public static string[] ReadNames(TypedConstant constant) =>
            constant.Kind == TypedConstantKind.Array && !constant.IsNull
                ? constant.Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                : System.Array.Empty<string>();
    }
}
