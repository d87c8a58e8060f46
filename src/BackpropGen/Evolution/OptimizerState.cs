using System;
using System.IO;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// How a checkpoint of an <see cref="IAskTell{T}"/> is laid out: a header naming the optimizer,
    /// number type and shape, then its fields in a fixed order, little-endian, doubles bit for bit.
    /// </summary>
    internal static class OptimizerState
    {
        private const uint Magic = 0x4F564542; // "BEVO" read as little-endian bytes
        private const int Version = 1;

        public static BinaryWriter Writer(Stream destination, byte kind, bool single, int parameterCount, int populationSize)
        {
            if (destination is null)
            {
                throw new ArgumentNullException(nameof(destination));
            }

            var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(kind);
            writer.Write(single ? (byte)4 : (byte)8);
            writer.Write(parameterCount);
            writer.Write(populationSize);
            return writer;
        }

        public static BinaryReader Reader(Stream source, byte kind, bool single, int parameterCount, int populationSize, string name)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
            try
            {
                if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
                {
                    throw new InvalidDataException("The stream does not hold an evolution state of this version.");
                }

                byte savedKind = reader.ReadByte();
                byte savedSize = reader.ReadByte();
                int savedParameters = reader.ReadInt32();
                int savedPopulation = reader.ReadInt32();
                if (savedKind != kind || savedSize != (single ? 4 : 8) || savedParameters != parameterCount || savedPopulation != populationSize)
                {
                    throw new InvalidDataException(
                        "The state is of " + (savedKind == 1 ? "an EvolutionStrategy" : savedKind == 2 ? "a GeneticAlgorithm" : "an unknown optimizer") +
                        " (" + (savedSize == 4 ? "float" : "double") + ", " + savedParameters + " parameters, population " + savedPopulation +
                        "), not of this " + name + " (" + (single ? "float" : "double") + ", " + parameterCount + " parameters, population " + populationSize + ").");
                }
            }
            catch (EndOfStreamException e)
            {
                reader.Dispose();
                throw new InvalidDataException("The evolution state ends early.", e);
            }
            catch
            {
                reader.Dispose();
                throw;
            }

            return reader;
        }

        public static void Write(BinaryWriter writer, ReadOnlySpan<double> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                writer.Write(values[i]);
            }
        }

        public static void Write<T>(BinaryWriter writer, ReadOnlySpan<T> values)
            where T : struct
        {
            for (int i = 0; i < values.Length; i++)
            {
                writer.Write(Numeric<T>.ToDouble(values[i])); // exact: float widens to double losslessly
            }
        }

        public static void Read(BinaryReader reader, Span<double> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.ReadDouble();
            }
        }

        public static void Read<T>(BinaryReader reader, Span<T> values)
            where T : struct
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Numeric<T>.FromDouble(reader.ReadDouble());
            }
        }
    }
}
