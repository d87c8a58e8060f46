using System;

namespace BackpropGen
{
    /// <summary>
    /// One layer of a network declared with <see cref="NetworkAttribute"/>. Repeat it in order from
    /// the first hidden layer to the output layer: the order in source is the order of the layers.
    /// All layers must be written on the same declaration of the type.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
    public sealed class LayerAttribute : Attribute
    {
        /// <summary>Declares a layer of <paramref name="size"/> neurons.</summary>
        /// <param name="size">The number of neurons; at least 1.</param>
        /// <param name="activation">The activation function of every neuron in the layer.</param>
        public LayerAttribute(int size, Activation activation)
        {
            Size = size;
            Activation = activation;
        }

        /// <summary>The number of neurons in the layer.</summary>
        public int Size { get; }

        /// <summary>The activation function of the layer.</summary>
        public Activation Activation { get; }
    }
}
