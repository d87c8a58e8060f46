using System;

namespace BackpropGen.Onnx
{
    /// <summary>
    /// An ONNX file that BackpropGen cannot import: not an ONNX model, truncated or damaged, a graph
    /// that is not a fully connected network of supported operators, an initializer of the wrong
    /// size, or a network of another shape than the one it is loaded into. The message names the
    /// node and its operator where one is at fault.
    /// </summary>
    public sealed class OnnxFormatException : Exception
    {
        /// <summary>Creates the exception with a message that says what is wrong.</summary>
        public OnnxFormatException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and the exception that revealed the problem.</summary>
        public OnnxFormatException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <summary>Creates the exception for node <paramref name="nodeIndex"/> of the graph, whose operator is <paramref name="operatorType"/>.</summary>
        public OnnxFormatException(string message, int nodeIndex, string operatorType)
            : base(message)
        {
            NodeIndex = nodeIndex;
            OperatorType = operatorType;
        }

        /// <summary>Creates an empty exception (prefer a constructor with a message).</summary>
        public OnnxFormatException()
        {
        }

        /// <summary>The index of the node at fault in the graph's node list, if one is.</summary>
        public int? NodeIndex { get; }

        /// <summary>The operator (<c>op_type</c>) of the node at fault, if one is.</summary>
        public string? OperatorType { get; }
    }
}
