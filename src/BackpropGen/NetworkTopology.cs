using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropGen
{
    /// <summary>
    /// A network as declared by its attributes: inputs, layers, loss and precision. Every generated
    /// network exposes its own as a static <c>Topology</c> property. Parameter files carry it, and
    /// load only into a network of the same shape (<see cref="HasSameShape"/>: inputs and layers);
    /// the loss is a training setting, not part of the shape.
    /// </summary>
    public sealed class NetworkTopology : IEquatable<NetworkTopology>
    {
        private readonly LayerTopology[] _layers;

        /// <summary>Describes a network; the layers run from the first hidden layer to the output layer.</summary>
        public NetworkTopology(int inputCount, LossFunction loss, Precision precision, params LayerTopology[] layers)
        {
            if (inputCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "A network has at least one input.");
            }

            if (layers is null || layers.Length == 0)
            {
                throw new ArgumentException("A network has at least one layer.", nameof(layers));
            }

            InputCount = inputCount;
            Loss = loss;
            Precision = precision;
            _layers = (LayerTopology[])layers.Clone();
            long parameters = 0;
            long previous = inputCount;
            foreach (LayerTopology layer in _layers)
            {
                if (layer.Size < 1)
                {
                    throw new ArgumentException("Every layer has at least one neuron.", nameof(layers));
                }

                parameters += (previous + 1) * layer.Size;
                previous = layer.Size;
            }

            ParameterCount = parameters > int.MaxValue
                ? throw new ArgumentException("The network has more than int.MaxValue parameters.", nameof(layers))
                : (int)parameters;
        }

        /// <summary>The number of inputs.</summary>
        public int InputCount { get; }

        /// <summary>The layers, from the first hidden layer to the output layer.</summary>
        public IReadOnlyList<LayerTopology> Layers => _layers;

        /// <summary>The number of outputs (the size of the last layer).</summary>
        public int OutputCount => _layers[_layers.Length - 1].Size;

        /// <summary>The number of weights and biases.</summary>
        public int ParameterCount { get; }

        /// <summary>The loss the network trains on.</summary>
        public LossFunction Loss { get; }

        /// <summary>The number type of the network.</summary>
        public Precision Precision { get; }

        /// <summary>
        /// Same inputs and the same size and activation of every layer: parameters of one fit the
        /// other. The loss and the precision may differ (<see cref="ParameterFile"/> checks the
        /// precision of a binary file on its own).
        /// </summary>
        public bool HasSameShape(NetworkTopology other)
        {
            if (other is null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            return HasShape(other.InputCount, other._layers);
        }

        /// <summary>The same comparison against a shape read from a file, before it is known to be a valid topology.</summary>
        internal bool HasShape(int inputCount, LayerTopology[] layers)
        {
            if (InputCount != inputCount || _layers.Length != layers.Length)
            {
                return false;
            }

            for (int i = 0; i < _layers.Length; i++)
            {
                if (_layers[i] != layers[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>"4 inputs → 8 Tanh → 3 Softmax": what <see cref="HasSameShape"/> compares.</summary>
        public string Shape
        {
            get
            {
                var text = new StringBuilder();
                text.Append(InputCount.ToString(CultureInfo.InvariantCulture)).Append(InputCount == 1 ? " input" : " inputs");
                foreach (LayerTopology layer in _layers)
                {
                    text.Append(" → ").Append(layer.ToString());
                }

                return text.ToString();
            }
        }

        /// <summary>Same inputs, layers, loss and precision.</summary>
        public bool Equals(NetworkTopology? other) =>
            other is not null && Loss == other.Loss && Precision == other.Precision && HasSameShape(other);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => Equals(obj as NetworkTopology);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            int hash = (InputCount * 397) ^ ((int)Loss << 8) ^ (int)Precision;
            foreach (LayerTopology layer in _layers)
            {
                hash = (hash * 31) + layer.GetHashCode();
            }

            return hash;
        }

        /// <summary>"4 inputs → 8 Tanh → 3 Softmax; CrossEntropy; Single".</summary>
        public override string ToString() => Shape + "; " + Loss + "; " + Precision;
    }
}
