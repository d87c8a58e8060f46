using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// What <c>[Network]</c> says: inputs, loss, precision, optimizer and its hyperparameters,
    /// Trainable, FastMath, Explain, InputScaling, input and output names (with where the names stand, for BPG0025); and
    /// the <c>[BakedParameters]</c> request.
    /// </summary>
    internal static class NetworkArgumentReader
    {
        /// <summary>The arguments of <c>[Network]</c>; defaults where one is absent or cannot be read.</summary>
        public static NetworkArguments Read(AttributeData networkAttribute, Location networkLocation, ParseReport report)
        {
            int inputs = 0;
            LossFunction loss = LossFunction.HalfSquaredError;
            Precision precision = Precision.Single;
            OptimizerSpec optimizer = OptimizerSpec.Default;
            bool trainable = true;
            bool fastMath = false;
            bool explain = false;
            bool inputScaling = false;
            Location explainLocation = networkLocation;
            string[] inputNames = System.Array.Empty<string>();
            string[] outputNames = System.Array.Empty<string>();
            Location inputNamesLocation = networkLocation;
            Location outputNamesLocation = networkLocation;
            if (ArgumentValues.ReadableArguments(report, networkAttribute, "Network", networkLocation))
            {
                inputs = (int)networkAttribute.ConstructorArguments[0].Value!;
                if (inputs < 1)
                {
                    report.Add(
                        DiagnosticDescriptors.SizeNotPositive,
                        AttributeArguments.Positional(networkAttribute, 0, "inputs", report.CancellationToken, networkLocation),
                        "The number of inputs",
                        inputs.ToString(CultureInfo.InvariantCulture));
                }

                foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
                {
                    Location location = AttributeArguments.Named(networkAttribute, named.Key, report.CancellationToken, networkLocation);
                    switch (named.Key)
                    {
                        case "Loss":
                            loss = ArgumentValues.ReadEnum<LossFunction>(report, named.Value, "LossFunction", "Loss", location);
                            break;
                        case "Precision":
                            precision = ArgumentValues.ReadEnum<Precision>(report, named.Value, "Precision", "Precision", location);
                            break;
                        case "Trainable":
                            trainable = named.Value.Value is true;
                            break;
                        case "FastMath":
                            fastMath = named.Value.Value is true;
                            break;
                        case "Explain":
                            explain = named.Value.Value is true;
                            explainLocation = location;
                            break;
                        case "InputScaling":
                            inputScaling = named.Value.Value is true;
                            break;
                        case "InputNames":
                            inputNames = ArgumentValues.ReadNames(named.Value);
                            inputNamesLocation = location;
                            break;
                        case "OutputNames":
                            outputNames = ArgumentValues.ReadNames(named.Value);
                            outputNamesLocation = location;
                            break;
                        case "Optimizer":
                            optimizer = optimizer with { Kind = ArgumentValues.ReadEnum<Optimizer>(report, named.Value, "Optimizer", "Optimizer", location) };
                            break;
                        case "Momentum":
                            optimizer = optimizer with { Momentum = ArgumentValues.ReadHyperparameter(report, named, location, 0, 1, "μ must be in [0, 1), for example 0.9") };
                            break;
                        case "Beta1":
                            optimizer = optimizer with { Beta1 = ArgumentValues.ReadHyperparameter(report, named, location, 0, 1, "β₁ must be in [0, 1), for example 0.9") };
                            break;
                        case "Beta2":
                            optimizer = optimizer with { Beta2 = ArgumentValues.ReadHyperparameter(report, named, location, 0, 1, "β₂ must be in [0, 1), for example 0.999") };
                            break;
                        case "Epsilon":
                            optimizer = optimizer with { Epsilon = ArgumentValues.ReadHyperparameter(report, named, location, double.Epsilon, double.MaxValue, "ε must be greater than 0, for example 1e-8") };
                            break;
                        case "WeightDecay":
                            optimizer = optimizer with { WeightDecay = ArgumentValues.ReadHyperparameter(report, named, location, 0, double.MaxValue, "λ must be 0 or more, for example 1e-4") };
                            break;
                    }
                }
            }

            return new NetworkArguments(inputs, loss, precision, optimizer, trainable, fastMath, inputNames, outputNames, inputNamesLocation, outputNamesLocation, explain, explainLocation, inputScaling);
        }

        /// <summary>The <c>[BakedParameters]</c> path, if the type has the attribute, and where its argument stands.</summary>
        public static BakedRequest? ReadBakedRequest(INamedTypeSymbol type, Location fallback, ParseReport report, out SourceSpan? where)
        {
            AttributeData? baked = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkParser.BakedParametersAttributeName);
            if (baked is null)
            {
                where = null;
                return null;
            }

            Location location = AttributeArguments.Positional(baked, 0, "path", report.CancellationToken, AttributeArguments.Of(baked, report.CancellationToken, fallback));
            if (baked.AttributeConstructor is null || baked.ConstructorArguments.Length != 1 || baked.ConstructorArguments[0].Value is not string path || path.Trim().Length == 0)
            {
                report.Add(DiagnosticDescriptors.InvalidAttributeArguments, location, "BakedParameters");
                where = null;
                return null;
            }

            where = SourceSpan.From(location);
            return new BakedRequest(path);
        }
    }

    /// <summary>The values read from <c>[Network]</c>; parser-internal, never in the pipeline (it holds locations).</summary>
    internal sealed record NetworkArguments(
        int Inputs,
        LossFunction Loss,
        Precision Precision,
        OptimizerSpec Optimizer,
        bool Trainable,
        bool FastMath,
        string[] InputNames,
        string[] OutputNames,
        Location InputNamesLocation,
        Location OutputNamesLocation,
        bool Explain,
        Location ExplainLocation,
        bool InputScaling);
}
