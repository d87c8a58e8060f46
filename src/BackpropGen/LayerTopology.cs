using System;

namespace BackpropGen
{
    /// <summary>One layer of a <see cref="NetworkTopology"/>: its size and activation.</summary>
    public readonly struct LayerTopology : IEquatable<LayerTopology>
    {
        /// <summary>Describes a layer of <paramref name="size"/> neurons.</summary>
        public LayerTopology(int size, Activation activation)
        {
            Size = size;
            Activation = activation;
        }

        /// <summary>The number of neurons.</summary>
        public int Size { get; }

        /// <summary>The activation function.</summary>
        public Activation Activation { get; }

        /// <inheritdoc/>
        public bool Equals(LayerTopology other) => Size == other.Size && Activation == other.Activation;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is LayerTopology other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => (Size * 31) + (int)Activation;

        /// <summary>"8 Tanh".</summary>
        public override string ToString() => Size.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Activation;

        /// <summary>Equality by size and activation.</summary>
        public static bool operator ==(LayerTopology left, LayerTopology right) => left.Equals(right);

        /// <summary>Inequality by size and activation.</summary>
        public static bool operator !=(LayerTopology left, LayerTopology right) => !left.Equals(right);
    }
}
