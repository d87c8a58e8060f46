using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using BackpropGen.Onnx.Proto;
using Google.Protobuf;

namespace BackpropGen.Onnx
{
    /// <summary>
    /// Reads fully connected networks from ONNX models (what <c>torch.onnx.export</c> writes for an
    /// <c>nn.Sequential</c> of <c>nn.Linear</c> and activations, and the MatMul + Add form other
    /// converters write) and saves BackpropGen networks as ONNX models that ONNX Runtime runs.
    /// docs/onnx.md has the whole path from PyTorch and back.
    /// </summary>
    /// <remarks>
    /// An ONNX inference graph has no loss, so shapes are compared by inputs, layer sizes and
    /// activations only; <see cref="ReadTopology(string)"/> reports <see cref="LossFunction.CrossEntropy"/>
    /// for a Softmax output and <see cref="LossFunction.HalfSquaredError"/> otherwise, and the
    /// precision of the graph's input. Every problem with a file is an <see cref="OnnxFormatException"/>.
    /// </remarks>
    public static class OnnxModel
    {
        /// <summary>The network the ONNX file at <paramref name="path"/> holds: inputs, layer sizes and activations.</summary>
        /// <exception cref="OnnxFormatException">The file is not an ONNX model, is damaged, or is not a network BackpropGen can represent.</exception>
        public static NetworkTopology ReadTopology(string path) => Import(path).Topology;

        /// <summary>
        /// The parameters of the ONNX file at <paramref name="path"/> in canonical order (nn.Linear's
        /// layout: per layer the weights [out, in] row by row, then the biases), checked against
        /// <paramref name="expected"/>. Float models read into double exactly; double models read
        /// into float are rounded to nearest.
        /// </summary>
        /// <exception cref="OnnxFormatException">The file cannot be imported, or its network has another shape than <paramref name="expected"/> (the message names both).</exception>
        public static T[] ReadParameters<T>(string path, NetworkTopology expected)
            where T : struct
        {
            if (expected is null)
            {
                throw new ArgumentNullException(nameof(expected));
            }

            ImportedNetwork network = Import(path);
            RequireShape(network.Topology, expected);
            return Convert<T>(network.CanonicalParameters());
        }

        /// <summary>Loads the parameters of the ONNX file at <paramref name="path"/> into <paramref name="network"/> (a class; for a struct use <see cref="Load{TNetwork, T}(ref TNetwork, string)"/>).</summary>
        /// <exception cref="OnnxFormatException">The file cannot be imported or holds a network of another shape; the network is unchanged.</exception>
        public static void Load<T>(IInferenceNetwork<T> network, string path)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (network.GetType().IsValueType)
            {
                throw new ArgumentException(
                    "This network is a struct, so it was boxed on its way here and loading would change only the box. Use OnnxModel.Load<TNetwork, T>(ref network, path) instead.",
                    nameof(network));
            }

            network.LoadParameters(ReadParameters<T>(path, network.Topology));
            ResetInputScaling<IInferenceNetwork<T>, T>(ref network);
        }

        /// <summary>Loads the parameters of the ONNX file at <paramref name="path"/> into <paramref name="network"/>, a class or a struct (in place, never boxed).</summary>
        /// <exception cref="OnnxFormatException">The file cannot be imported or holds a network of another shape; the network is unchanged.</exception>
        public static void Load<TNetwork, T>(ref TNetwork network, string path)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            network.LoadParameters(ReadParameters<T>(path, network.Topology));
            ResetInputScaling<TNetwork, T>(ref network);
        }

        /// <summary>
        /// Saves <paramref name="network"/> to <paramref name="path"/> as an ONNX model (opset 13, the
        /// network's float or double): one input and one output of shape [batch, n], a Gemm
        /// (transB = 1) per layer and its activation node. Reading it back gives the same parameters bit for bit.
        /// A network with input scaling (<see cref="NetworkAttribute.InputScaling"/>) is exported with μ and s
        /// folded into the first layer, W′ = W·diag(s) and b′ = b − W·diag(s)·μ, so the model computes what
        /// Forward does (to rounding); loading it back gives those folded parameters and μ = 0, s = 1.
        /// </summary>
        /// <exception cref="InvalidOperationException">A parameter is NaN or infinite.</exception>
        public static void Save<T>(IReadOnlyNetwork<T> network, string path)
            where T : struct
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            byte[] bytes = Serialize(network);
            string full = Path.GetFullPath(path);
            string temporary = full + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            try
            {
                File.WriteAllBytes(temporary, bytes);
                if (File.Exists(full))
                {
                    File.Replace(temporary, full, null);
                }
                else
                {
                    File.Move(temporary, full);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model (see <see cref="Save{T}(IReadOnlyNetwork{T}, string)"/>).</summary>
        public static void Save<T>(IReadOnlyNetwork<T> network, Stream stream)
            where T : struct
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            byte[] bytes = Serialize(network);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>"2 inputs → 4 Tanh → 1 Sigmoid": the part of a topology an ONNX graph carries.</summary>
        public static string DescribeShape(NetworkTopology topology)
        {
            if (topology is null)
            {
                throw new ArgumentNullException(nameof(topology));
            }

            return topology.InputCount.ToString(CultureInfo.InvariantCulture) + (topology.InputCount == 1 ? " input" : " inputs")
                + string.Concat(topology.Layers.Select(l => " → " + l.ToString()));
        }

        private static byte[] Serialize<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            bool single = typeof(T) == typeof(float);
            if (!single && typeof(T) != typeof(double))
            {
                throw new NotSupportedException("Networks are float or double.");
            }

            var values = new T[network.ParameterCount];
            network.CopyParametersTo(values);
            double[] parameters = single
                ? MemoryMarshal.Cast<T, float>(values).ToArray().Select(v => (double)v).ToArray()
                : MemoryMarshal.Cast<T, double>(values).ToArray();
            if (network is IReadOnlyInputScaling<T> scaling)
            {
                // ONNX has no place for μ and s that the importer reads back: they go into the first Gemm.
                var offset = new T[network.InputCount];
                var scale = new T[network.InputCount];
                scaling.CopyInputScalingTo(offset, scale);
                parameters = OnnxExporter.FoldInputScaling(network.Topology, parameters, ToDoubles(offset), ToDoubles(scale));
            }

            foreach (double value in parameters)
            {
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw new InvalidOperationException("The network has a NaN or infinite parameter" + (network is IReadOnlyInputScaling<T> ? " (after folding its input scaling into the first layer)" : string.Empty) + "; an ONNX model of it would not load back.");
                }
            }

            return OnnxExporter.Build(network.Topology, parameters, single).ToByteArray();
        }

        private static double[] ToDoubles<T>(T[] values)
            where T : struct => typeof(T) == typeof(float)
                ? MemoryMarshal.Cast<T, float>(values).ToArray().Select(v => (double)v).ToArray()
                : MemoryMarshal.Cast<T, double>(values).ToArray();

        /// <summary>
        /// An imported model computes its whole function with its own first layer (an exported scaled
        /// network's μ and s are folded into it), so a network with input scaling gets μ = 0, s = 1.
        /// </summary>
        private static void ResetInputScaling<TNetwork, T>(ref TNetwork network)
            where T : struct
        {
            if (network is IInputScaling<T> scaling)
            {
                int inputs = ((IReadOnlyNetwork<T>)scaling).InputCount;
                var offset = new T[inputs];
                T[] scale = Convert<T>(Enumerable.Repeat(1.0, inputs).ToArray());
                scaling.SetInputScaling(offset, scale);
                if (scaling is TNetwork changed)
                {
                    // A struct was boxed by the check above; its new values go back into the caller's variable.
                    network = changed;
                }
            }
        }

        internal static ImportedNetwork Import(string path)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            return OnnxImporter.Import(OnnxImporter.Parse(File.ReadAllBytes(path)));
        }

        private static void RequireShape(NetworkTopology actual, NetworkTopology expected)
        {
            bool same = actual.InputCount == expected.InputCount && actual.Layers.Count == expected.Layers.Count;
            for (int i = 0; same && i < actual.Layers.Count; i++)
            {
                same = actual.Layers[i] == expected.Layers[i];
            }

            if (!same)
            {
                throw new OnnxFormatException("The ONNX model is " + DescribeShape(actual) + " but the network is " + DescribeShape(expected) + ".");
            }
        }

        private static T[] Convert<T>(double[] values)
            where T : struct
        {
            if (typeof(T) == typeof(double))
            {
                return (T[])(object)values;
            }

            if (typeof(T) == typeof(float))
            {
                float[] single = values.Select(v => (float)v).ToArray();
                if (single.Any(float.IsInfinity))
                {
                    throw new OnnxFormatException("A double parameter of the ONNX model is too large for a float network.");
                }

                return (T[])(object)single;
            }

            throw new NotSupportedException("Networks are float or double.");
        }
    }
}
