using System.Collections.Generic;

namespace BackpropGen.Onnx
{
    /// <summary>What an ONNX graph holds once read: the topology and every parameter (as doubles, exact for float models).</summary>
    internal sealed class ImportedNetwork
    {
        public ImportedNetwork(NetworkTopology topology, IReadOnlyList<ImportedLayer> layers)
        {
            Topology = topology;
            Layers = layers;
        }

        public NetworkTopology Topology { get; }

        public IReadOnlyList<ImportedLayer> Layers { get; }

        /// <summary>Every parameter in canonical order: per layer its weights row by row, then its biases.</summary>
        public double[] CanonicalParameters()
        {
            var values = new List<double>(Topology.ParameterCount);
            foreach (ImportedLayer layer in Layers)
            {
                values.AddRange(layer.Weights);
                values.AddRange(layer.Biases);
            }

            return values.ToArray();
        }
    }
}
