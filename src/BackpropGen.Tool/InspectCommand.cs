using System.Globalization;
using System.IO;
using BackpropGen.Onnx;

namespace BackpropGen.Tool
{
    /// <summary>backpropgen inspect model.onnx: the topology and parameter count.</summary>
    internal static class InspectCommand
    {
        public static int Run(string modelPath, TextWriter output, TextWriter error)
        {
            NetworkTopology topology;
            try
            {
                topology = OnnxModel.ReadTopology(modelPath);
            }
            catch (System.Exception e) when (e is OnnxFormatException or IOException or System.UnauthorizedAccessException)
            {
                error.WriteLine(Path.GetFileName(modelPath) + ": " + e.Message);
                return 1;
            }

            output.WriteLine(Path.GetFileName(modelPath) + ": " + OnnxModel.DescribeShape(topology));
            output.WriteLine("  inputs:     " + topology.InputCount.ToString(CultureInfo.InvariantCulture));
            for (int i = 0; i < topology.Layers.Count; i++)
            {
                string role = i == topology.Layers.Count - 1 ? "output layer" : "hidden layer " + (i + 1).ToString(CultureInfo.InvariantCulture);
                output.WriteLine("  " + role + ": " + topology.Layers[i].ToString());
            }

            output.WriteLine("  parameters: " + topology.ParameterCount.ToString(CultureInfo.InvariantCulture));
            output.WriteLine("  precision:  " + (topology.Precision == Precision.Double ? "double" : "float"));
            return 0;
        }
    }
}
