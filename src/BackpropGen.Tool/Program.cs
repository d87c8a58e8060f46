using System.CommandLine;
using System.IO;

namespace BackpropGen.Tool
{
    /// <summary>backpropgen import | inspect.</summary>
    internal static class Program
    {
        public static int Main(string[] args) => Commands.Run(args, System.Console.Out, System.Console.Error, Directory.GetCurrentDirectory());
    }

    /// <summary>The command line, separate from Main so tests can run it in-process.</summary>
    internal static class Commands
    {
        /// <summary>Parses <paramref name="args"/> and runs the command; help and parse errors go to the same writers.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, string projectFolder) =>
            Root(output, error, projectFolder).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });

        /// <summary>The commands; --out is taken relative to <paramref name="projectFolder"/>.</summary>
        public static RootCommand Root(TextWriter output, TextWriter error, string projectFolder)
        {
            var model = new Argument<FileInfo>("model") { Description = "The ONNX model (.onnx) to read." };
            var name = new Option<string>("--name") { Description = "The C# type name of the network, e.g. Brain.", Required = true };
            var ns = new Option<string?>("--namespace") { Description = "The namespace of the declaration, e.g. Game.AI (default: none)." };
            var outDir = new Option<string>("--out") { Description = "The folder to write NAME.cs and NAME.json to, relative to the project (default: the current folder).", DefaultValueFactory = _ => "." };
            var trainable = new Option<bool>("--trainable") { Description = "Declare a trainable network and print how to load the JSON, instead of baking the parameters into the code." };
            var import = new Command("import", "Write a [Network] declaration (NAME.cs) and its JSON parameter file (NAME.json) for an ONNX model.")
            {
                model, name, ns, outDir, trainable,
            };
            import.SetAction(result => ImportCommand.Run(
                result.GetValue(model)!.FullName,
                new ImportOptions(result.GetValue(name)!, result.GetValue(ns), result.GetValue(outDir) ?? ".", result.GetValue(trainable)),
                projectFolder,
                output,
                error));

            var inspectModel = new Argument<FileInfo>("model") { Description = "The ONNX model (.onnx) to read." };
            var inspect = new Command("inspect", "Print the network an ONNX model holds: inputs, layers, activations and parameter count.")
            {
                inspectModel,
            };
            inspect.SetAction(result => InspectCommand.Run(result.GetValue(inspectModel)!.FullName, output, error));

            return new RootCommand("BackpropGen's command: bring ONNX models into C# as generated networks.")
            {
                import,
                inspect,
            };
        }
    }
}
