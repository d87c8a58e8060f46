using System.IO;

namespace BackpropGen
{
    /// <summary>
    /// The shape record that parameter files and checkpoints share: the input count, the layer count,
    /// then each layer's size (Int32) and activation (byte), little-endian as BinaryWriter writes.
    /// ParameterFile.AnnouncedLength also knows this layout (5 bytes per layer): it reads raw, possibly
    /// truncated bytes to tell a cut-short file from a damaged one, before any reader runs.
    /// </summary>
    internal static class TopologyRecord
    {
        internal static void Write(BinaryWriter writer, NetworkTopology topology)
        {
            writer.Write(topology.InputCount);
            writer.Write(topology.Layers.Count);
            foreach (LayerTopology layer in topology.Layers)
            {
                writer.Write(layer.Size);
                writer.Write((byte)layer.Activation);
            }
        }

        /// <summary>
        /// Reads what <see cref="Write"/> wrote. Returns null when the layer count is negative or
        /// more layers than the bytes left could hold (a damaged file), so the caller can say so.
        /// </summary>
        internal static LayerTopology[]? Read(BinaryReader reader, out int inputs)
        {
            inputs = reader.ReadInt32();
            int layerCount = reader.ReadInt32();
            if (layerCount < 0 || layerCount > (reader.BaseStream.Length - reader.BaseStream.Position) / 5)
            {
                return null;
            }

            var layers = new LayerTopology[layerCount];
            for (int i = 0; i < layerCount; i++)
            {
                int size = reader.ReadInt32();
                layers[i] = new LayerTopology(size, (Activation)reader.ReadByte());
            }

            return layers;
        }
    }
}
