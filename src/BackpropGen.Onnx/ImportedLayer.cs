namespace BackpropGen.Onnx
{
    /// <summary>One fully connected layer read from a graph, in canonical order (nn.Linear's [out, in]).</summary>
    internal sealed class ImportedLayer
    {
        public ImportedLayer(int inputs, int outputs, double[] weights, double[] biases)
        {
            Inputs = inputs;
            Outputs = outputs;
            Weights = weights;
            Biases = biases;
        }

        public int Inputs { get; }

        public int Outputs { get; }

        /// <summary>w[j][k] at j · Inputs + k: neuron j, input k.</summary>
        public double[] Weights { get; }

        public double[] Biases { get; }

        /// <summary>Linear until an activation node follows the layer's Gemm or MatMul+Add.</summary>
        public Activation Activation { get; set; } = Activation.Linear;

        public bool HasActivationNode { get; set; }
    }
}
