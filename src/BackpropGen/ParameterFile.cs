using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace BackpropGen
{
    /// <summary>
    /// Saves and loads a network's parameters, checked against its topology so they can only ever go
    /// back into a network of the same shape. The binary form (<see cref="Save{T}(IReadOnlyNetwork{T}, string)"/>)
    /// is compact and checksummed; the JSON form (<see cref="SaveJson{T}(IReadOnlyNetwork{T}, string)"/>) is for
    /// people and other tools, such as an export from PyTorch. Both are documented in
    /// docs/parameter-files.md.
    /// </summary>
    /// <remarks>
    /// Saving to a path writes a temporary file beside the target and renames it over the target, so a
    /// crash or a full disk mid-save never leaves a half-written file and never destroys the previous
    /// one. Loading checks everything before it changes the network: on any error the network is
    /// unchanged and a <see cref="ParameterFileException"/> says what was wrong.
    /// A file fits a network of the same shape: the same inputs and the same size and activation of
    /// every layer (<see cref="NetworkTopology.HasSameShape"/>), and for binary files the same
    /// precision. The loss and the optimizer are training settings: a file trained with one loss loads
    /// into the same layers declared with another.
    /// For a struct network use the <c>ref</c> overloads, which load into your variable:
    /// <c>ParameterFile.Load&lt;MyNet, float&gt;(ref network, path)</c>. The overloads that take a network
    /// by interface refuse a boxed struct (loading into the box would leave your struct unchanged).
    /// </remarks>
    public static partial class ParameterFile
    {
        /// <summary>The first four bytes of every binary parameter file: "BPGP".</summary>
        public static ReadOnlySpan<byte> Magic => new[] { (byte)'B', (byte)'P', (byte)'G', (byte)'P' };

        /// <summary>
        /// The newest binary format version this library writes and reads: 2, which adds the input
        /// scaling after the parameters. A network without input scaling is still written as version 1,
        /// and both versions are read.
        /// </summary>
        public const ushort FormatVersion = 2;

        /// <summary>The version of a file without input scaling (the layout of version 2 without its scaling section).</summary>
        private const ushort UnscaledVersion = 1;

        private const int MaxLayers = 4096;
        private const int MaxLayerSize = 1 << 20;

        /// <summary>Saves the parameters of <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
        public static void Save<T>(IReadOnlyNetwork<T> network, string path)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            WriteAtomically(path, Serialize(network));
        }

        /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="stream"/>.</summary>
        public static void Save<T>(IReadOnlyNetwork<T> network, Stream stream)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            byte[] bytes = Serialize(network);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>Loads parameters saved by <see cref="Save{T}(IReadOnlyNetwork{T}, string)"/> into <paramref name="network"/> (a class).</summary>
        /// <exception cref="ParameterFileException">The file is damaged or belongs to another topology or precision.</exception>
        public static void Load<T>(IInferenceNetwork<T> network, string path)
            where T : struct
        {
            RequireReferenceType(network);
            Apply(ref network, Deserialize<T>(ReadAllBytes(path), network.Topology));
        }

        /// <summary>Loads parameters from <paramref name="stream"/> into <paramref name="network"/> (a class).</summary>
        /// <exception cref="ParameterFileException">The data is damaged or belongs to another topology or precision.</exception>
        public static void Load<T>(IInferenceNetwork<T> network, Stream stream)
            where T : struct
        {
            RequireReferenceType(network);
            Apply(ref network, Deserialize<T>(ReadAllBytes(stream), network.Topology));
        }

        /// <summary>Loads parameters saved by <see cref="Save{T}(IReadOnlyNetwork{T}, string)"/> into <paramref name="network"/>, a struct (or a class) held in a variable.</summary>
        /// <typeparam name="TNetwork">The network type, such as <c>MyNet</c>.</typeparam>
        /// <typeparam name="T">Its number type, <c>float</c> or <c>double</c>.</typeparam>
        /// <exception cref="ParameterFileException">The file is damaged or belongs to another topology or precision.</exception>
        public static void Load<TNetwork, T>(ref TNetwork network, string path)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            RequireNetwork(network);
            Apply(ref network, Deserialize<T>(ReadAllBytes(path), network.Topology));
        }

        /// <summary>Loads parameters from <paramref name="stream"/> into <paramref name="network"/>, a struct (or a class) held in a variable.</summary>
        /// <exception cref="ParameterFileException">The data is damaged or belongs to another topology or precision.</exception>
        public static void Load<TNetwork, T>(ref TNetwork network, Stream stream)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            RequireNetwork(network);
            Apply(ref network, Deserialize<T>(ReadAllBytes(stream), network.Topology));
        }

        /// <summary>Reads and checks a binary parameter file saved from a network of <paramref name="expected"/> topology.</summary>
        /// <exception cref="ParameterFileException">Also (<see cref="ParameterFileError.InputScalingMismatch"/>) when the file holds input scaling, which this overload would drop: use the one with <c>offset</c> and <c>scale</c>.</exception>
        public static T[] Read<T>(string path, NetworkTopology expected)
            where T : struct => ParametersOnly(Deserialize<T>(ReadAllBytes(path), expected));

        /// <summary>Reads and checks binary parameters from <paramref name="stream"/>.</summary>
        /// <exception cref="ParameterFileException">Also (<see cref="ParameterFileError.InputScalingMismatch"/>) when the data holds input scaling, which this overload would drop.</exception>
        public static T[] Read<T>(Stream stream, NetworkTopology expected)
            where T : struct => ParametersOnly(Deserialize<T>(ReadAllBytes(stream), expected));

        /// <summary>
        /// Reads and checks a binary parameter file, with its input scaling: <paramref name="offset"/> and
        /// <paramref name="scale"/> receive μ and s (for <c>SetInputScaling</c>), or null when the file has none.
        /// </summary>
        public static T[] Read<T>(string path, NetworkTopology expected, out T[]? offset, out T[]? scale)
            where T : struct => Split(Deserialize<T>(ReadAllBytes(path), expected), out offset, out scale);

        /// <summary>Reads and checks binary parameters from <paramref name="stream"/>, with its input scaling (null when it has none).</summary>
        public static T[] Read<T>(Stream stream, NetworkTopology expected, out T[]? offset, out T[]? scale)
            where T : struct => Split(Deserialize<T>(ReadAllBytes(stream), expected), out offset, out scale);

        /// <summary>
        /// Puts what a file holds into the network, after every check has passed. A network with input
        /// scaling takes the file's, or identity scaling (μ = 0, s = 1) from a file without: it then
        /// computes exactly what the saved network computed. A file with scaling is refused for a
        /// network without, as its parameters expect scaled inputs.
        /// </summary>
        private static void Apply<TNetwork, T>(ref TNetwork network, LoadedParameters<T> loaded)
            where TNetwork : IInferenceNetwork<T>
            where T : struct
        {
            bool scales = network is IInputScaling<T>;
            if (loaded.InputScaling is not null && !scales)
            {
                throw Fail(ParameterFileError.InputScalingMismatch, "The parameter file holds input scaling (it was saved from a network declared with InputScaling = true), but the network has none: declare it with [Network(…, InputScaling = true)].");
            }

            network.LoadParameters(loaded.Parameters);
            if (scales)
            {
                T[] scaling = loaded.InputScaling ?? IdentityScaling<T>(network.InputCount);
                InputScalingAccess.Set(ref network, scaling.AsSpan(0, network.InputCount), scaling.AsSpan(network.InputCount));
            }
        }

        /// <summary>μ = 0 and s = 1 for every input: the scaling of a file saved without any.</summary>
        private static T[] IdentityScaling<T>(int inputs)
            where T : struct
        {
            var values = new T[2 * inputs];
            for (int k = inputs; k < values.Length; k++)
            {
                values[k] = Numeric<T>.FromDouble(1);
            }

            return values;
        }

        private static T[] ParametersOnly<T>(LoadedParameters<T> loaded)
            where T : struct
        {
            if (loaded.InputScaling is not null)
            {
                throw Fail(ParameterFileError.InputScalingMismatch, "The parameter file holds input scaling, which reading only its parameters would drop: load it with Load/LoadJson, or read it with the overload that also returns offset and scale.");
            }

            return loaded.Parameters;
        }

        private static T[] Split<T>(LoadedParameters<T> loaded, out T[]? offset, out T[]? scale)
            where T : struct
        {
            offset = null;
            scale = null;
            if (loaded.InputScaling is { } scaling)
            {
                int inputs = scaling.Length / 2;
                offset = scaling.AsSpan(0, inputs).ToArray();
                scale = scaling.AsSpan(inputs).ToArray();
            }

            return loaded.Parameters;
        }

        /// <summary>The network's μ then s (2 × InputCount values), refusing non-finite ones; null without input scaling.</summary>
        private static T[]? SavedInputScaling<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            if (InputScalingAccess.Copy<IReadOnlyNetwork<T>, T>(network, network.InputCount) is not { } scaling)
            {
                return null;
            }

            var values = new T[2 * network.InputCount];
            scaling.Offset.CopyTo(values, 0);
            scaling.Scale.CopyTo(values, network.InputCount);
            for (int i = 0; i < values.Length; i++)
            {
                double value = Numeric<T>.ToDouble(values[i]);
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw new InvalidOperationException("The input scaling's " + (i < network.InputCount ? "offset" : "scale") + " [" + (i % network.InputCount).ToString(CultureInfo.InvariantCulture) + "] is not finite: it is not saved (it would not load).");
                }
            }

            return values;
        }

        private static byte[] Serialize<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            NetworkTopology topology = network.Topology;
            T[] values = FiniteParameters(network);
            T[]? scaling = SavedInputScaling(network);
            using var memory = new MemoryStream();
            using (var writer = new BinaryWriter(memory))
            {
                // BinaryWriter is little-endian on every platform. Version 1 unless there is a scaling section.
                writer.Write(Magic.ToArray());
                writer.Write(scaling is null ? UnscaledVersion : FormatVersion);
                writer.Write((byte)topology.Precision);
                writer.Write((byte)topology.Loss);
                TopologyRecord.Write(writer, topology);

                writer.Write(values.Length);
                WriteValues(writer, values);
                if (scaling is not null)
                {
                    WriteValues(writer, scaling);
                }

                writer.Flush();
                uint checksum = Crc32.Compute(memory.GetBuffer(), 0, (int)memory.Length);
                writer.Write(checksum);
            }

            return memory.ToArray();
        }

        private static void WriteValues<T>(BinaryWriter writer, T[] values)
            where T : struct
        {
            if (Numeric<T>.IsSingle)
            {
                foreach (float value in MemoryMarshal.Cast<T, float>(values))
                {
                    writer.Write(value);
                }
            }
            else
            {
                foreach (double value in MemoryMarshal.Cast<T, double>(values))
                {
                    writer.Write(value);
                }
            }
        }

        private static LoadedParameters<T> Deserialize<T>(byte[] bytes, NetworkTopology expected)
            where T : struct
        {
            if (expected is null)
            {
                throw new ArgumentNullException(nameof(expected));
            }

            Precision precision = Numeric<T>.Precision;
            if (bytes.Length == 0)
            {
                throw Fail(ParameterFileError.Empty, "The parameter file is empty.");
            }

            if (bytes.Length < Magic.Length || !Magic.SequenceEqual(bytes.AsSpan(0, Magic.Length)))
            {
                throw Fail(ParameterFileError.NotAParameterFile, LooksLikeJson(bytes)
                    ? "This is a JSON parameter file, not a binary one: load it with ParameterFile.LoadJson (or ReadJson)."
                    : "This is not a BackpropGen parameter file: it does not start with \"BPGP\".");
            }

            if (bytes.Length < 6)
            {
                throw Fail(ParameterFileError.Truncated, "The parameter file ends inside its header.");
            }

            ushort version = (ushort)(bytes[4] | (bytes[5] << 8));
            if (version != UnscaledVersion && version != FormatVersion)
            {
                throw Fail(ParameterFileError.UnsupportedVersion, "The parameter file has format version " + version.ToString(CultureInfo.InvariantCulture) + "; this library reads versions 1 and " + FormatVersion.ToString(CultureInfo.InvariantCulture) + ".");
            }

            // An intact file checks out against its last four bytes; anything else is either cut
            // short (the header announces more than is there) or damaged.
            bool intact = bytes.Length >= 8 && Crc32.Compute(bytes, 0, bytes.Length - 4) == BitConverter.ToUInt32(LittleEndian(bytes, bytes.Length - 4, 4), 0);
            long announced = AnnouncedLength(bytes);
            if (!intact)
            {
                // Cut short: the header is whole (or cut itself) and consistent, and asks for more bytes.
                if (announced == HeaderCutShort || announced > bytes.Length)
                {
                    throw Fail(ParameterFileError.Truncated, "The parameter file is truncated: it has " + bytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes" + (announced > 0 ? " of the " + announced.ToString(CultureInfo.InvariantCulture) + " its header announces." : "."));
                }

                // Intact up to what the header announces, then more: something was appended.
                if (announced > 8 && announced < bytes.Length &&
                    Crc32.Compute(bytes, 0, (int)announced - 4) == BitConverter.ToUInt32(LittleEndian(bytes, (int)announced - 4, 4), 0))
                {
                    throw Fail(ParameterFileError.Malformed, "The parameter file has " + (bytes.Length - announced).ToString(CultureInfo.InvariantCulture) + " bytes after its end.");
                }

                throw Fail(ParameterFileError.ChecksumMismatch, "The parameter file's checksum does not match its content: the file is damaged.");
            }

            if (announced != bytes.Length)
            {
                throw Fail(ParameterFileError.Malformed, "The parameter file's header does not describe its length (" + bytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes).");
            }

            using var reader = new BinaryReader(new MemoryStream(bytes, 6, bytes.Length - 6, writable: false));
            var filePrecision = (Precision)reader.ReadByte();
            // The loss the network was trained with: a training setting, not part of the shape.
            var loss = (LossFunction)reader.ReadByte();
            LayerTopology[] layers = TopologyRecord.Read(reader, out int inputs)
                ?? throw Fail(ParameterFileError.Malformed, "The parameter file's layer count does not fit its length: the file is damaged.");
            int count = reader.ReadInt32();
            if (filePrecision != precision)
            {
                throw Fail(ParameterFileError.PrecisionMismatch, "The parameter file holds " + filePrecision + " parameters but the network is " + precision + ".");
            }

            NetworkTopology actual;
            try
            {
                actual = new NetworkTopology(inputs, loss, filePrecision, layers);
            }
            catch (ArgumentException exception)
            {
                throw Fail(ParameterFileError.Malformed, "The parameter file describes an impossible network: " + exception.Message);
            }

            if (!actual.HasSameShape(expected))
            {
                throw Fail(ParameterFileError.TopologyMismatch, "The parameter file was saved from a network of another shape: file " + actual.Shape + ", network " + expected.Shape + ".");
            }

            if (count != expected.ParameterCount)
            {
                throw Fail(ParameterFileError.Malformed, "The parameter file holds " + count.ToString(CultureInfo.InvariantCulture) + " parameters but its topology has " + expected.ParameterCount.ToString(CultureInfo.InvariantCulture) + ".");
            }

            T[] values = ReadFinite<T>(reader, count, i => "Parameter [" + i.ToString(CultureInfo.InvariantCulture) + "] in the file is not finite.");
            T[]? scaling = null;
            if (version == FormatVersion)
            {
                scaling = ReadFinite<T>(reader, 2 * inputs, i => "The input scaling's " + (i < inputs ? "offset" : "scale") + " [" + (i % inputs).ToString(CultureInfo.InvariantCulture) + "] in the file is not finite.");
                for (int k = inputs; k < scaling.Length; k++)
                {
                    if (Numeric<T>.ToDouble(scaling[k]) == 0)
                    {
                        throw Fail(ParameterFileError.Malformed, "The input scaling's scale [" + (k - inputs).ToString(CultureInfo.InvariantCulture) + "] in the file is 0.");
                    }
                }
            }

            return new LoadedParameters<T>(values, scaling);
        }

        private static T[] ReadFinite<T>(BinaryReader reader, int count, Func<int, string> notFinite)
            where T : struct
        {
            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                double value = Numeric<T>.IsSingle ? reader.ReadSingle() : reader.ReadDouble();
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw Fail(ParameterFileError.Malformed, notFinite(i));
                }

                values[i] = Numeric<T>.FromDouble(value);
            }

            return values;
        }

        private const long HeaderCutShort = -1;
        private const long HeaderImpossible = -2;

        /// <summary>
        /// The total length the header announces; <see cref="HeaderCutShort"/> when the file ends inside
        /// the header; <see cref="HeaderImpossible"/> when the header contradicts itself (a damaged
        /// precision, layer count, size or parameter count), which is damage, not truncation.
        /// </summary>
        private static long AnnouncedLength(byte[] bytes)
        {
            const int FixedHeader = 4 + 2 + 1 + 1 + 4 + 4;
            if (bytes.Length < FixedHeader)
            {
                return HeaderCutShort;
            }

            bool scaled = bytes[4] == FormatVersion && bytes[5] == 0;
            int precision = bytes[6];
            int inputs = BitConverter.ToInt32(LittleEndian(bytes, 8, 4), 0);
            int layerCount = BitConverter.ToInt32(LittleEndian(bytes, 12, 4), 0);
            if (layerCount < 1 || layerCount > MaxLayers || precision > 1 || inputs < 1 || inputs > MaxLayerSize)
            {
                return HeaderImpossible;
            }

            long countOffset = FixedHeader + (5L * layerCount);
            if (bytes.Length < countOffset + 4)
            {
                return HeaderCutShort;
            }

            long implied = 0;
            long previous = inputs;
            for (int i = 0; i < layerCount; i++)
            {
                int size = BitConverter.ToInt32(LittleEndian(bytes, FixedHeader + (5 * i), 4), 0);
                if (size < 1 || size > MaxLayerSize)
                {
                    return HeaderImpossible;
                }

                implied += (previous + 1) * size;
                previous = size;
            }

            int count = BitConverter.ToInt32(LittleEndian(bytes, (int)countOffset, 4), 0);
            if (count != implied)
            {
                return HeaderImpossible;
            }

            // Version 2 adds μ and s of every input after the parameters.
            return countOffset + 4 + (((long)count + (scaled ? 2L * inputs : 0)) * (precision == 0 ? 4 : 8)) + 4;
        }

        /// <summary>The bytes of a little-endian field in the machine's order, for BitConverter.</summary>
        private static byte[] LittleEndian(byte[] bytes, int offset, int count)
        {
            var field = new byte[count];
            Array.Copy(bytes, offset, field, 0, count);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(field);
            }

            return field;
        }

        /// <summary>
        /// The network's parameters, refusing NaN and ±∞: a diverged network must not replace a good
        /// file with one that no longer loads.
        /// </summary>
        private static T[] FiniteParameters<T>(IReadOnlyNetwork<T> network)
            where T : struct
        {
            var values = new T[network.ParameterCount];
            network.CopyParametersTo(values);
            for (int i = 0; i < values.Length; i++)
            {
                double value = Numeric<T>.ToDouble(values[i]);
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw new InvalidOperationException("Parameter [" + i.ToString(CultureInfo.InvariantCulture) + "] is " + value.ToString(CultureInfo.InvariantCulture) + ": a network with non-finite parameters is not saved (it would not load).");
                }
            }

            return values;
        }

        private static ParameterFileException Fail(ParameterFileError error, string message) => new(error, message);

        /// <summary>Starts with '{' after an optional UTF-8 byte order mark and white space.</summary>
        private static bool LooksLikeJson(byte[] bytes)
        {
            int i = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            while (i < bytes.Length && (bytes[i] == (byte)' ' || bytes[i] == (byte)'\t' || bytes[i] == (byte)'\r' || bytes[i] == (byte)'\n'))
            {
                i++;
            }

            return i < bytes.Length && bytes[i] == (byte)'{';
        }

        private static void RequireNetwork<TNetwork>(TNetwork network)
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }
        }

        private static void RequireReferenceType<T>(IInferenceNetwork<T> network)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (network.GetType().IsValueType)
            {
                string call = "<" + network.GetType().Name + ", " + (Numeric<T>.IsSingle ? "float" : "double") + ">(ref network, …)";
                throw new ArgumentException(
                    "This network is a struct, so it was boxed on its way here and loading would change only the box. Pass the variable by reference: ParameterFile.Load" + call + " or ParameterFile.LoadJson" + call + ".",
                    nameof(network));
            }
        }

        private static byte[] ReadAllBytes(string path)
        {
            RequireFilePath(path);
            return File.ReadAllBytes(path);
        }

        /// <summary>The same IOException for a directory in place of the file on every platform.</summary>
        private static void RequireFilePath(string path)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (Directory.Exists(path))
            {
                throw new IOException("Cannot load parameters from '" + Path.GetFullPath(path) + "': it is a directory.");
            }
        }

        private static byte[] ReadAllBytes(Stream stream)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }

        /// <summary>
        /// Writes <paramref name="bytes"/> to a temporary file in the target's folder, flushes it to
        /// disk, then renames it over <paramref name="path"/>: readers see the old file or the new one,
        /// never half of either. On failure the temporary file is removed and the target is untouched.
        /// </summary>
        internal static void WriteAtomically(string path, byte[] bytes)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
            {
                throw new IOException("Cannot save parameters to '" + fullPath + "': it is a directory.");
            }

            string directory = Path.GetDirectoryName(fullPath) ?? ".";
            // Short, so a long but valid target name still leaves room for it.
            string temporary = Path.Combine(directory, ".bpg" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (File.Exists(fullPath))
                {
                    File.Replace(temporary, fullPath, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(temporary, fullPath);
                }
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Best effort: a stray temporary file is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }
    }

    /// <summary>What a parameter file holds: the parameters, and μ then s of every input when it has input scaling.</summary>
    internal sealed class LoadedParameters<T>
        where T : struct
    {
        public LoadedParameters(T[] parameters, T[]? inputScaling)
        {
            Parameters = parameters;
            InputScaling = inputScaling;
        }

        public T[] Parameters { get; }

        public T[]? InputScaling { get; }
    }
}
