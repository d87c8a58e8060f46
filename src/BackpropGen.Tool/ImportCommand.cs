using System;
using System.IO;
using BackpropGen.Onnx;

namespace BackpropGen.Tool
{
    /// <summary>backpropgen import: NAME.cs (the declaration) and NAME.json (the parameters) from an ONNX model.</summary>
    internal static class ImportCommand
    {
        public static int Run(string modelPath, ImportOptions options, string projectFolder, TextWriter output, TextWriter error)
        {
            if (!Identifiers.IsIdentifier(options.Name))
            {
                error.WriteLine("--name \"" + options.Name + "\" is not a C# identifier.");
                return 1;
            }

            if (options.Namespace is not null && !Identifiers.IsNamespace(options.Namespace))
            {
                error.WriteLine("--namespace \"" + options.Namespace + "\" is not a C# namespace name.");
                return 1;
            }

            NetworkTopology topology;
            string json;
            try
            {
                topology = OnnxModel.ReadTopology(modelPath);
                json = topology.Precision == Precision.Double
                    ? ParameterJson.Write(topology, OnnxModel.ReadParameters<double>(modelPath, topology))
                    : ParameterJson.Write(topology, OnnxModel.ReadParameters<float>(modelPath, topology));
            }
            catch (Exception e) when (e is OnnxFormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(Path.GetFileName(modelPath) + ": " + e.Message);
                return 1;
            }

            // The path as the project sees it: [BakedParameters] matches it against the end of an AdditionalFiles path.
            string folder = options.OutputFolder.Replace('\\', '/').TrimEnd('/');
            string jsonInProject = Path.IsPathRooted(options.OutputFolder) || folder is "" or "."
                ? options.Name + ".json"
                : (folder.StartsWith("./", StringComparison.Ordinal) ? folder.Substring(2) : folder) + "/" + options.Name + ".json";
            string outputFolder = Path.Combine(projectFolder, options.OutputFolder);
            Directory.CreateDirectory(outputFolder);
            string csPath = Path.Combine(outputFolder, options.Name + ".cs");
            string jsonPath = Path.Combine(outputFolder, options.Name + ".json");
            File.WriteAllText(jsonPath, json);
            File.WriteAllText(csPath, DeclarationWriter.Write(topology, options, Path.GetFileName(modelPath), jsonInProject));

            output.WriteLine("Imported " + Path.GetFileName(modelPath) + ": " + OnnxModel.DescribeShape(topology) + ", " + topology.ParameterCount + " parameters.");
            output.WriteLine("  wrote " + csPath);
            output.WriteLine("  wrote " + jsonPath);
            output.WriteLine();
            if (options.Trainable)
            {
                output.WriteLine("Copy the parameters next to your program, in your .csproj:");
                output.WriteLine("  <ItemGroup>");
                output.WriteLine("    <None Include=\"" + jsonInProject + "\" CopyToOutputDirectory=\"PreserveNewest\" />");
                output.WriteLine("  </ItemGroup>");
                output.WriteLine("and load them:");
                output.WriteLine("  var network = new " + options.Name + "();");
                output.WriteLine("  ParameterFile.LoadJson(network, \"" + jsonInProject + "\");");
            }
            else
            {
                output.WriteLine("Add the parameters to the compilation, in your .csproj:");
                output.WriteLine("  <ItemGroup>");
                output.WriteLine("    <AdditionalFiles Include=\"" + jsonInProject + "\" />");
                output.WriteLine("  </ItemGroup>");
            }

            return 0;
        }
    }
}
