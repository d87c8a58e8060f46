using System;
using System.Globalization;
using System.Text;
using BackpropGen.Onnx;

namespace BackpropGen.Tool
{
    /// <summary>The C# declaration of an imported network: [Network], one [Layer] per layer, and [BakedParameters] unless trainable.</summary>
    internal static class DeclarationWriter
    {
        public static string Write(NetworkTopology topology, ImportOptions options, string modelFile, string jsonInProject)
        {
            var code = new StringBuilder();
            code.Append("// Imported from ").Append(modelFile).Append(" by backpropgen import; the parameters are in ").Append(jsonInProject).Append(".\n");
            code.Append("using BackpropGen;\n\n");
            string indent = "";
            if (options.Namespace is not null)
            {
                code.Append("namespace ").Append(options.Namespace).Append("\n{\n");
                indent = "    ";
            }

            code.Append(indent).Append("/// <summary>").Append(OnnxModel.DescribeShape(topology)).Append(", imported from ").Append(Escape(modelFile)).Append(".</summary>\n");
            if (options.Trainable)
            {
                code.Append(indent).Append("/// <remarks>Load the imported parameters with <c>ParameterFile.LoadJson(network, \"").Append(Escape(jsonInProject)).Append("\")</c>.</remarks>\n");
            }

            code.Append(indent).Append("[Network(").Append(topology.InputCount.ToString(CultureInfo.InvariantCulture));
            if (topology.Loss != LossFunction.HalfSquaredError)
            {
                code.Append(", Loss = LossFunction.").Append(topology.Loss);
            }

            if (topology.Precision == Precision.Double)
            {
                code.Append(", Precision = Precision.Double");
            }

            code.Append(")]\n");
            foreach (LayerTopology layer in topology.Layers)
            {
                code.Append(indent).Append("[Layer(").Append(layer.Size.ToString(CultureInfo.InvariantCulture)).Append(", Activation.").Append(layer.Activation).Append(")]\n");
            }

            if (!options.Trainable)
            {
                code.Append(indent).Append("[BakedParameters(\"").Append(jsonInProject.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\")]\n");
            }

            code.Append(indent).Append("public partial class ").Append(options.Name).Append(" { }\n");
            if (options.Namespace is not null)
            {
                code.Append("}\n");
            }

            return code.ToString();
        }

        private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
