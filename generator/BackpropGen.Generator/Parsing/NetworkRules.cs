using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>
    /// Rules on the network as a whole, once its arguments and layers are read: Softmax only as the
    /// output (BPG0008), a loss that fits the output layer (BPG0016), the size limits (BPG0010), and
    /// hyperparameters that are unused (BPG0019) or do not survive as literals of the precision (BPG0017),
    /// and whether Explain can be honoured (BPG0026, BPG0027).
    /// </summary>
    internal static class NetworkRules
    {
        public static void ValidateTopology(
            INamedTypeSymbol type,
            int inputs,
            List<LayerSpec> layers,
            LossFunction loss,
            AttributeData networkAttribute,
            Location networkLocation,
            List<Location> activationLocations,
            ParseReport report)
        {
            for (int i = 0; i < layers.Count - 1; i++)
            {
                if (layers[i].Activation == Activation.Softmax)
                {
                    report.Add(DiagnosticDescriptors.SoftmaxOnHiddenLayer, activationLocations[i], Text(i + 1));
                }
            }

            ValidateLossAndOutput(layers[layers.Count - 1].Activation, loss, networkAttribute, networkLocation, activationLocations[layers.Count - 1], report);

            var layerValues = new EquatableArray<LayerSpec>(layers.ToArray());
            int parameters = NetworkLimits.CountParameters(inputs, layerValues);
            int neurons = NetworkLimits.CountNeurons(layerValues);
            int outputs = layers[layers.Count - 1].Size;
            if (inputs > NetworkLimits.MaxInputs || parameters > NetworkLimits.MaxParameters || neurons > NetworkLimits.MaxNeurons || outputs > NetworkLimits.MaxOutputs)
            {
                report.Add(
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
        private static void ValidateLossAndOutput(Activation output, LossFunction loss, AttributeData networkAttribute, Location networkLocation, Location outputLocation, ParseReport report)
        {
            Location lossLocation = AttributeArguments.Named(networkAttribute, "Loss", report.CancellationToken, networkLocation);
            if (loss == LossFunction.CrossEntropy && output != Activation.Softmax)
            {
                report.Add(
                    DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                    lossLocation,
                    "LossFunction.CrossEntropy needs a Softmax output layer, but the output layer is " + output,
                    "make the last [Layer] Activation.Softmax, or use BinaryCrossEntropy (Sigmoid output) or a squared-error loss");
            }
            else if (loss == LossFunction.BinaryCrossEntropy && output != Activation.Sigmoid)
            {
                report.Add(
                    DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                    lossLocation,
                    "LossFunction.BinaryCrossEntropy needs a Sigmoid output layer, but the output layer is " + output,
                    "make the last [Layer] Activation.Sigmoid, or use CrossEntropy (Softmax output) or a squared-error loss");
            }
            else if (output == Activation.Softmax && loss != LossFunction.CrossEntropy)
            {
                report.Add(
                    DiagnosticDescriptors.LossDoesNotFitOutputLayer,
                    outputLocation,
                    "A Softmax output layer needs LossFunction.CrossEntropy, but the loss is " + loss,
                    "add Loss = LossFunction.CrossEntropy to [Network], or use a Sigmoid or Linear output layer");
            }
        }

        /// <summary>
        /// The hyperparameters become literals of the network's type: in float, β = 0.99999999999
        /// rounds to 1 (and Adam divides by 1 − β₂ᵗ = 0), ε = 1e-50 to 0, λ = 1e39 to ∞.
        /// Also warns about hyperparameters the chosen optimizer never reads.
        /// </summary>
        public static void ValidateHyperparameters(AttributeData networkAttribute, Location networkLocation, OptimizerSpec optimizer, Precision precision, ParseReport report)
        {
            foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
            {
                if (named.Value.Kind == TypedConstantKind.Array || named.Value.Value is not double value || double.IsNaN(value) || double.IsInfinity(value))
                {
                    continue;
                }

                Location location = AttributeArguments.Named(networkAttribute, named.Key, report.CancellationToken, networkLocation);
                string? used = named.Key switch
                {
                    "Momentum" => optimizer.Kind == Optimizer.Momentum ? null : "Optimizer.Momentum",
                    "Beta1" or "Beta2" or "Epsilon" => optimizer.Kind == Optimizer.Adam ? null : "Optimizer.Adam",
                    _ => null,
                };
                if (used is not null)
                {
                    report.Add(DiagnosticDescriptors.HyperparameterUnused, location, named.Key, optimizer.Kind.ToString(), used);
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
                    report.Add(DiagnosticDescriptors.HyperparameterOutOfRange, location, named.Key, value.ToString("R", CultureInfo.InvariantCulture), problem);
                }
            }
        }

        /// <summary>
        /// Whether the network gets ExplainStep and its chain-rule comments: asked for, trainable (it
        /// explains a training step), and small enough to read (BPG0027, BPG0026 warn and drop it).
        /// </summary>
        public static bool Explains(INamedTypeSymbol type, NetworkArguments arguments, List<LayerSpec> layers, bool baked, ParseReport report)
        {
            if (!arguments.Explain)
            {
                return false;
            }

            if (baked || !arguments.Trainable)
            {
                report.Add(DiagnosticDescriptors.ExplainWithoutTraining, arguments.ExplainLocation, type.Name, baked ? "baked ([BakedParameters])" : "frozen (Trainable = false)");
                return false;
            }

            int parameters = NetworkLimits.CountParameters(arguments.Inputs, new EquatableArray<LayerSpec>(layers.ToArray()));
            if (parameters > NetworkLimits.ExplainMaxParameters)
            {
                report.Add(DiagnosticDescriptors.ExplainTooLarge, arguments.ExplainLocation, type.Name, Counts.Of(parameters, "parameter"), Text(NetworkLimits.ExplainMaxParameters));
                return false;
            }

            return true;
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
