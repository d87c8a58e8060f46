using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace BackpropGen
{
    /// <summary>
    /// The checkpoint of a <see cref="Trainer"/> run (<see cref="TrainerOptions.CheckpointPath"/>): the
    /// network's parameters and optimizer state and the <see cref="TrainingRun{T}"/> (epochs done,
    /// sample order, shuffle generator, skipped samples, best validation epoch and its parameters),
    /// everything a resumed run needs to continue with the same bits. Written atomically and checked
    /// with CRC-32 like a parameter file; the format is in docs/parameter-files.md.
    /// </summary>
    internal static class Checkpoint
    {
        /// <summary>The first four bytes of a checkpoint: "BPGC".</summary>
        private static readonly byte[] s_magic = { (byte)'B', (byte)'P', (byte)'G', (byte)'C' };

        /// <summary>Version 2 adds the input scaling (μ then s of every input) after the best parameters; a network without it still writes version 1, and both are read.</summary>
        public const ushort FormatVersion = 2;

        private const ushort UnscaledVersion = 1;

        /// <summary>Saves the run and the network to <paramref name="path"/>, atomically.</summary>
        public static void Save<TNetwork, T>(string path, ref TNetwork network, TrainingRun<T> run)
            where TNetwork : INetwork<T>
            where T : struct
        {
            var parameters = new T[network.ParameterCount];
            network.CopyParametersTo(parameters);
            var state = new T[network.OptimizerStateCount];
            network.CopyOptimizerStateTo(state);
            InputScalingValues<T>? scaling = InputScalingAccess.Copy<TNetwork, T>(network, network.InputCount);

            NetworkTopology topology = network.Topology;
            using var memory = new MemoryStream();
            using (var writer = new BinaryWriter(memory))
            {
                // BinaryWriter is little-endian on every platform.
                writer.Write(s_magic);
                writer.Write(scaling is null ? UnscaledVersion : FormatVersion);
                writer.Write((byte)Numeric<T>.Precision);
                TopologyRecord.Write(writer, topology);

                writer.Write(parameters.Length);
                writer.Write(state.Length);
                writer.Write(run.Epoch);
                writer.Write(run.Skipped);
                writer.Write(run.Shuffle.State);
                writer.Write(run.Order.Length);
                foreach (int sample in run.Order)
                {
                    writer.Write(sample);
                }

                writer.Write(run.BestEpoch ?? -1);
                writer.Write(run.BestValidationLoss);
                writer.Write(run.EpochsWithoutImprovement);
                writer.Write(run.BestParameters is not null);
                WriteValues(writer, parameters);
                WriteValues(writer, state);
                if (run.BestParameters is not null)
                {
                    WriteValues(writer, run.BestParameters);
                }

                if (scaling is not null)
                {
                    WriteValues(writer, scaling.Offset);
                    WriteValues(writer, scaling.Scale);
                }

                writer.Flush();
                writer.Write(Crc32.Compute(memory.GetBuffer(), 0, (int)memory.Length));
            }

            ParameterFile.WriteAtomically(path, memory.ToArray());
        }

        /// <summary>
        /// Reads the checkpoint at <paramref name="path"/>, checks it against the network and the run
        /// before changing either, then loads the parameters and optimizer state into the network and
        /// the rest into <paramref name="run"/>.
        /// </summary>
        /// <exception cref="ParameterFileException">The file is damaged, or was written by a run of another network, precision, optimizer or training set.</exception>
        public static void Resume<TNetwork, T>(string path, ref TNetwork network, TrainingRun<T> run)
            where TNetwork : INetwork<T>
            where T : struct
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length < s_magic.Length + 2 + 4 || !bytes.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
            {
                throw Fail(ParameterFileError.NotAParameterFile, "'" + path + "' is not a BackpropGen training checkpoint: it does not start with \"BPGC\".");
            }

            if (Crc32.Compute(bytes, 0, bytes.Length - 4) != BitConverter.ToUInt32(LittleEndian(bytes, bytes.Length - 4), 0))
            {
                throw Fail(ParameterFileError.ChecksumMismatch, "The checkpoint '" + path + "' is damaged or cut short: its checksum does not match. It is left as it is; delete it to start the run afresh.");
            }

            try
            {
                using var reader = new BinaryReader(new MemoryStream(bytes, s_magic.Length, bytes.Length - s_magic.Length - 4, writable: false));
                ushort version = reader.ReadUInt16();
                if (version != UnscaledVersion && version != FormatVersion)
                {
                    throw Fail(ParameterFileError.UnsupportedVersion, "The checkpoint has format version " + version.ToString(CultureInfo.InvariantCulture) + "; this library reads versions 1 and " + FormatVersion.ToString(CultureInfo.InvariantCulture) + ".");
                }

                var precision = (Precision)reader.ReadByte();
                if (precision != Numeric<T>.Precision)
                {
                    throw Fail(ParameterFileError.PrecisionMismatch, "The checkpoint holds " + precision + " values but the network is " + Numeric<T>.Precision + ".");
                }

                NetworkTopology expected = network.Topology;
                LayerTopology[] layers = TopologyRecord.Read(reader, out int inputs)
                    ?? throw Fail(ParameterFileError.Malformed, "The checkpoint's layer count does not fit its length: the file is damaged.");
                if (!expected.HasShape(inputs, layers))
                {
                    throw Fail(ParameterFileError.TopologyMismatch, "The checkpoint was written by the training of a network of another shape than " + expected.Shape + ".");
                }

                int parameterCount = reader.ReadInt32();
                int stateCount = reader.ReadInt32();
                if (parameterCount != network.ParameterCount)
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint holds " + parameterCount.ToString(CultureInfo.InvariantCulture) + " parameters but its topology has " + network.ParameterCount.ToString(CultureInfo.InvariantCulture) + ".");
                }

                if (stateCount != network.OptimizerStateCount)
                {
                    throw Fail(ParameterFileError.TopologyMismatch, "The checkpoint holds an optimizer state of " + stateCount.ToString(CultureInfo.InvariantCulture) + " values but the network's optimizer keeps " + network.OptimizerStateCount.ToString(CultureInfo.InvariantCulture) + ": it was trained with another optimizer.");
                }

                int epoch = reader.ReadInt32();
                int skipped = reader.ReadInt32();
                ulong shuffle = reader.ReadUInt64();
                int sampleCount = reader.ReadInt32();
                if (epoch < 0 || skipped < 0 || sampleCount != run.Order.Length)
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint was written by a run over " + sampleCount.ToString(CultureInfo.InvariantCulture) + " training samples; this run has " + run.Order.Length.ToString(CultureInfo.InvariantCulture) + ".");
                }

                var order = new int[sampleCount];
                var seen = new bool[sampleCount];
                for (int i = 0; i < sampleCount; i++)
                {
                    order[i] = reader.ReadInt32();
                    if ((uint)order[i] >= (uint)sampleCount || seen[order[i]])
                    {
                        throw Fail(ParameterFileError.Malformed, "The checkpoint's sample order is not a permutation of the training set.");
                    }

                    seen[order[i]] = true;
                }

                int bestEpoch = reader.ReadInt32();
                double bestLoss = reader.ReadDouble();
                int withoutImprovement = reader.ReadInt32();
                bool hasBest = reader.ReadBoolean();
                var parameters = ReadValues<T>(reader, parameterCount, "parameter");
                var state = ReadValues<T>(reader, stateCount, "optimizer state value");
                T[]? best = hasBest ? ReadValues<T>(reader, parameterCount, "best parameter") : null;

                // The scaling the parameters were trained behind: the checkpoint's (it wins over FitInputScaling's),
                // or from a version 1 checkpoint μ = 0, s = 1 (as a parameter file without scaling loads).
                bool scales = network is IInputScaling<T>;
                T[]? offset = version == FormatVersion ? ReadValues<T>(reader, inputs, "input offset") : null;
                T[]? scale = version == FormatVersion ? ReadValues<T>(reader, inputs, "input scale") : null;
                if (offset is not null && !scales)
                {
                    throw Fail(ParameterFileError.InputScalingMismatch, "The checkpoint holds input scaling (it was written by the training of a network declared with InputScaling = true), but the network has none.");
                }

                if (scale is not null && Array.Exists(scale, s => Numeric<T>.ToDouble(s) == 0))
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint's input scale holds 0.");
                }

                if (reader.BaseStream.Position != reader.BaseStream.Length)
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint has bytes after its end.");
                }

                if (run.BestParameters is not null && best is null && bestEpoch >= 0)
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint was written without RestoreBestParameters, so it lacks the best epoch's parameters this run is to restore.");
                }

                network.LoadParameters(parameters);
                network.LoadOptimizerState(state);
                if (scales)
                {
                    InputScalingAccess.Set(ref network, offset ?? new T[inputs], scale ?? Ones<T>(inputs));
                }

                run.Restore(epoch, order, shuffle, skipped, bestEpoch >= 0 ? bestEpoch : null, bestLoss, withoutImprovement, best);
            }
            catch (EndOfStreamException)
            {
                throw Fail(ParameterFileError.Truncated, "The checkpoint '" + path + "' ends before the values its header announces.");
            }
        }

        private static void WriteValues<T>(BinaryWriter writer, T[] values)
            where T : struct
        {
            if (Numeric<T>.IsSingle)
            {
                foreach (float value in MemoryMarshal.Cast<T, float>(values.AsSpan()))
                {
                    writer.Write(value);
                }
            }
            else
            {
                foreach (double value in MemoryMarshal.Cast<T, double>(values.AsSpan()))
                {
                    writer.Write(value);
                }
            }
        }

        /// <summary>Reads <paramref name="count"/> finite values (a non-finite one means damage: the Trainer never checkpoints those).</summary>
        private static T[] ReadValues<T>(BinaryReader reader, int count, string what)
            where T : struct
        {
            if (count < 0 || (long)count * (Numeric<T>.IsSingle ? 4 : 8) > reader.BaseStream.Length - reader.BaseStream.Position)
            {
                throw new EndOfStreamException();
            }

            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                double value = Numeric<T>.IsSingle ? reader.ReadSingle() : reader.ReadDouble();
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw Fail(ParameterFileError.Malformed, "The checkpoint's " + what + " [" + i.ToString(CultureInfo.InvariantCulture) + "] is not finite.");
                }

                values[i] = Numeric<T>.FromDouble(value);
            }

            return values;
        }

        private static T[] Ones<T>(int count)
            where T : struct
        {
            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Numeric<T>.FromDouble(1);
            }

            return values;
        }

        private static byte[] LittleEndian(byte[] bytes, int offset)
        {
            var field = new byte[4];
            Array.Copy(bytes, offset, field, 0, 4);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(field);
            }

            return field;
        }

        private static ParameterFileException Fail(ParameterFileError error, string message) => new(error, message);
    }
}
