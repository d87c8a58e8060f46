using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic BackpropGen reports. IDs are never reused; each is documented in
    /// docs/diagnostics/BPGnnnn.md, and each message says what to change. Diagnostics carry their
    /// descriptor (<see cref="DiagnosticInfo"/>), so there is no table by ID to keep; the tests find
    /// every descriptor here by reflection.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "BackpropGen";
        private const string HelpLinkBase = "https://github.com/BackpropGen/BackpropGen/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor TypeNotPartial = Error(
            "BPG0001",
            "Network type must be partial",
            "Add the 'partial' modifier to '{0}' so that BackpropGen can add the generated network members to it");

        public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
            "BPG0002",
            "Type containing a network must be partial",
            "Add the 'partial' modifier to '{0}', which contains the network '{1}', so that BackpropGen can add members to the nested type");

        public static readonly DiagnosticDescriptor GenericType = Error(
            "BPG0003",
            "Network type cannot be generic",
            "'{0}' is generic or nested in a generic type; declare the network on a non-generic type");

        public static readonly DiagnosticDescriptor NoLayers = Error(
            "BPG0004",
            "Network has no layers",
            "Network '{0}' has no [Layer] attribute; add at least one [Layer(size, activation)] after [Network] (the last one is the output layer)");

        public static readonly DiagnosticDescriptor LayerWithoutNetwork = Error(
            "BPG0005",
            "[Layer] without [Network]",
            "'{0}' has [Layer] but no [Network]; add [Network(inputs: n)] to the type or remove its [Layer] attributes");

        public static readonly DiagnosticDescriptor SizeNotPositive = Error(
            "BPG0006",
            "Size must be at least 1",
            "{0} must be at least 1, but is {1}; give a positive number");

        public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
            "BPG0007",
            "Undefined enum value",
            "{0} is not a defined {1} value; use one of: {2}");

        public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = Error(
            "BPG0008",
            "Softmax on a hidden layer",
            "Softmax can only be the activation of the output layer; choose " + HiddenActivations() + " for hidden layer {0}");

        /// <summary>Every activation but Softmax, from the enum itself: "Sigmoid, Tanh, ReLU, LeakyReLU or Linear".</summary>
        private static string HiddenActivations()
        {
            var names = new System.Collections.Generic.List<string>();
            foreach (Model.Activation activation in (Model.Activation[])System.Enum.GetValues(typeof(Model.Activation)))
            {
                if (activation != Model.Activation.Softmax)
                {
                    names.Add(activation.ToString());
                }
            }

            return string.Join(", ", names.GetRange(0, names.Count - 1)) + " or " + names[names.Count - 1];
        }

        // BPG0009 ("not supported yet", for Softmax and the cross-entropy losses) was retired when they
        // arrived; its ID is not reused.

        public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
            "BPG0010",
            "Network is too large",
            "Network '{0}' has {1}, {2}, {3} and {4}; BackpropGen accepts at most {5} inputs, {6} parameters, {7} neurons and {8} outputs, so that it builds quickly and each generated method stays small enough for the JIT to optimize: use fewer or smaller layers");

        public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Error(
            "BPG0011",
            "Layers declared on several partial declarations",
            "The [Layer] attributes of '{0}' are spread over several partial declarations, so their order is ambiguous; move them all onto the declaration that has [Network]");

        public static readonly DiagnosticDescriptor UnsupportedTypeKind = Error(
            "BPG0012",
            "Unsupported kind of type",
            "[Network] cannot be applied to {0} '{1}'; declare the network on a partial class or a partial struct (not static, readonly, ref or record)");

        public static readonly DiagnosticDescriptor InvalidAttributeArguments = Error(
            "BPG0013",
            "Attribute arguments cannot be read",
            "The arguments of this [{0}] attribute cannot be read; fix the errors reported on it so that every argument is a constant of the right type");

        public static readonly DiagnosticDescriptor DuplicateNetwork = Error(
            "BPG0014",
            "More than one [Network]",
            "'{0}' has more than one [Network] attribute; keep exactly one");

        public static readonly DiagnosticDescriptor GeneratorFailure = Error(
            "BPG0015",
            "BackpropGen failed unexpectedly",
            "BackpropGen could not generate '{0}' because of an unexpected {1}: {2}; please report this with the declaration");

        public static readonly DiagnosticDescriptor LossDoesNotFitOutputLayer = Error(
            "BPG0016",
            "Loss does not fit the output layer",
            "{0}; {1}");

        public static readonly DiagnosticDescriptor HyperparameterOutOfRange = Error(
            "BPG0017",
            "Optimizer hyperparameter out of range",
            "{0} = {1} is out of range: {2}");

        public static readonly DiagnosticDescriptor ReservedMemberName = Error(
            "BPG0018",
            "Name taken by a generated member",
            "'{0}' cannot be a network: {1} '{2}' has the name of a member BackpropGen generates; {3}");

        public static readonly DiagnosticDescriptor HyperparameterUnused = Warning(
            "BPG0019",
            "Hyperparameter has no effect",
            "{0} has no effect with Optimizer.{1}; it is used by {2}");

        public static readonly DiagnosticDescriptor BakedFileNotFound = Error(
            "BPG0020",
            "Baked parameter file not in AdditionalFiles",
            "'{0}' is not among the project's AdditionalFiles; add <AdditionalFiles Include=\"{0}\" /> to the project file");

        public static readonly DiagnosticDescriptor BakedFileInvalid = Error(
            "BPG0021",
            "Baked parameter file cannot be read",
            "'{0}' is not a usable parameter file: {1}; write it with ParameterFile.SaveJson or follow docs/parameter-files.md");

        public static readonly DiagnosticDescriptor BakedCountMismatch = Error(
            "BPG0022",
            "Baked parameter count does not match",
            "'{0}' holds {1} but network '{2}' has {3}; bake the file saved from this network");

        public static readonly DiagnosticDescriptor BakedValueNotFinite = Error(
            "BPG0023",
            "Baked parameter is not finite",
            "Parameter [{1}] of '{0}' is {2}, which is not a finite {3}; retrain or fix the file");

        public static readonly DiagnosticDescriptor BakedTopologyMismatch = Error(
            "BPG0024",
            "Baked parameters belong to another network",
            "'{0}' was saved from a network of another shape ({1}), but '{2}' is {3}; bake the file saved from this network");

        public static readonly DiagnosticDescriptor InvalidNames = Error(
            "BPG0025",
            "Invalid input or output names",
            "{0} {1}");

        public static readonly DiagnosticDescriptor ExplainTooLarge = Warning(
            "BPG0026",
            "Network too large to explain",
            "Explain = true is ignored: '{0}' has {1}, more than the {2} a step-by-step explanation stays readable for; explain a smaller network, or remove Explain");

        public static readonly DiagnosticDescriptor ExplainWithoutTraining = Warning(
            "BPG0027",
            "Explain needs a trainable network",
            "Explain = true is ignored: '{0}' is {1}, and Explain writes out a training step; remove Explain, or make the network trainable");

        public static readonly DiagnosticDescriptor BakedInputScalingMismatch = Error(
            "BPG0028",
            "Baked input scaling without InputScaling",
            "'{0}' holds input scaling, but network '{1}' is declared without it; add InputScaling = true to its [Network], or bake a file saved without input scaling");

        private static DiagnosticDescriptor Warning(string id, string title, string message) => new(
            id,
            title,
            message,
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + id + ".md");

        private static DiagnosticDescriptor Error(string id, string title, string message) => new(
            id,
            title,
            message,
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + id + ".md");
    }
}
