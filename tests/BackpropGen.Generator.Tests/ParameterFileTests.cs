using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>Binary and JSON parameter files: exact round trips, every kind of bad file, atomic saves.</summary>
    public sealed class ParameterFileTests : IDisposable
    {
        private const string Source = """
            using BackpropGen;
            namespace Files
            {
                [Network(4, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam)]
                [Layer(5, Activation.Tanh)]
                [Layer(3, Activation.Softmax)]
                public partial class Iris { }

                [Network(4, Loss = LossFunction.CrossEntropy, Precision = Precision.Double)]
                [Layer(5, Activation.Tanh)]
                [Layer(3, Activation.Softmax)]
                public partial class IrisDouble { }

                [Network(4, Loss = LossFunction.CrossEntropy)]
                [Layer(6, Activation.Tanh)]
                [Layer(3, Activation.Softmax)]
                public partial class IrisWider { }

                [Network(4)]
                [Layer(5, Activation.Tanh)]
                [Layer(3, Activation.Sigmoid)]
                public partial class IrisSquared { }

                [Network(4, Loss = LossFunction.MeanSquaredError, Optimizer = Optimizer.Momentum)]
                [Layer(5, Activation.Tanh)]
                [Layer(3, Activation.Sigmoid)]
                public partial class IrisMeanSquared { }

                [Network(4, Loss = LossFunction.CrossEntropy)]
                [Layer(5, Activation.Tanh)]
                [Layer(3, Activation.Softmax)]
                public partial struct IrisStruct { }

                // A struct network through the ref overloads, as user code calls them (compiled, not reflected).
                public static class StructLoading
                {
                    public static float[] Load(string path)
                    {
                        var network = new IrisStruct();
                        ParameterFile.Load<IrisStruct, float>(ref network, path);
                        return Parameters(network);
                    }

                    public static float[] Load(byte[] bytes)
                    {
                        var network = new IrisStruct();
                        ParameterFile.Load<IrisStruct, float>(ref network, new System.IO.MemoryStream(bytes));
                        return Parameters(network);
                    }

                    public static float[] LoadJson(string path)
                    {
                        var network = new IrisStruct();
                        ParameterFile.LoadJson<IrisStruct, float>(ref network, path);
                        return Parameters(network);
                    }

                    public static float[] LoadJsonText(string json)
                    {
                        var network = new IrisStruct();
                        ParameterFile.LoadJson<IrisStruct, float>(ref network, new System.IO.StringReader(json));
                        return Parameters(network);
                    }

                    // The other documented way: the type's static Topology.
                    public static float[] Read(string path)
                    {
                        var network = new IrisStruct();
                        network.LoadParameters(ParameterFile.Read<float>(path, IrisStruct.Topology));
                        return Parameters(network);
                    }

                    private static float[] Parameters(IrisStruct network)
                    {
                        var parameters = new float[IrisStruct.ParameterCount];
                        network.CopyParametersTo(parameters);
                        return parameters;
                    }
                }
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "backpropgen-files-" + Guid.NewGuid().ToString("N"));

        public ParameterFileTests()
        {
            Directory.CreateDirectory(_directory);
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private static INetwork<T> Trained<T>(string name, int seed)
            where T : struct
        {
            INetwork<T> network = Networks.Create<T>(s_assembly.Value, "Files." + name);
            network.InitializeParameters(seed);
            return network;
        }

        private string PathOf(string name) => Path.Combine(_directory, name);

        [Fact]
        public void Binary_round_trip_is_bit_exact_for_float_and_double()
        {
            INetwork<float> single = Trained<float>("Iris", 1);
            ParameterFile.Save(single, PathOf("single.bpg"));
            INetwork<float> singleBack = Trained<float>("Iris", 2);
            ParameterFile.Load(singleBack, PathOf("single.bpg"));
            Assert.Equal(Networks.Parameters(single), Networks.Parameters(singleBack));

            INetwork<double> @double = Trained<double>("IrisDouble", 3);
            using var memory = new MemoryStream();
            ParameterFile.Save(@double, memory);
            memory.Position = 0;
            INetwork<double> doubleBack = Trained<double>("IrisDouble", 4);
            ParameterFile.Load(doubleBack, memory);
            Assert.Equal(Networks.Parameters(@double), Networks.Parameters(doubleBack));

            // The documented layout: magic, version 1, precision, loss, inputs, layers, count, values, CRC-32.
            byte[] bytes = File.ReadAllBytes(PathOf("single.bpg"));
            Assert.Equal("BPGP", Encoding.ASCII.GetString(bytes, 0, 4));
            Assert.Equal(4 + 2 + 1 + 1 + 4 + 4 + (2 * 5) + 4 + (single.ParameterCount * 4) + 4, bytes.Length);
            Assert.Equal(1, BitConverter.ToUInt16(bytes, 4));
            Assert.Equal((byte)Precision.Single, bytes[6]);
            Assert.Equal((byte)LossFunction.CrossEntropy, bytes[7]);
            Assert.Equal(4, BitConverter.ToInt32(bytes, 8));
            Assert.Equal(2, BitConverter.ToInt32(bytes, 12));
            Assert.Equal(Networks.Parameters(single)[0], BitConverter.ToSingle(bytes, 30));
        }

        [Fact]
        public void Json_round_trip_is_exact_and_culture_invariant()
        {
            INetwork<float> single = Trained<float>("Iris", 5);
            var previous = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
                ParameterFile.SaveJson(single, PathOf("iris.json"));
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = previous;
            }

            string json = File.ReadAllText(PathOf("iris.json"));
            Assert.Contains("\"format\": \"BackpropGen.Parameters\"", json, StringComparison.Ordinal);
            Assert.Contains("{ \"size\": 3, \"activation\": \"Softmax\" }", json, StringComparison.Ordinal);
            Assert.DoesNotContain(",5", json.Replace(", ", " ", StringComparison.Ordinal), StringComparison.Ordinal);

            INetwork<float> back = Trained<float>("Iris", 6);
            ParameterFile.LoadJson(back, PathOf("iris.json"));
            Assert.Equal(Networks.Parameters(single), Networks.Parameters(back));

            // JSON carries no precision: the same file loads into the double twin (the shortest decimal
            // of each float, which rounds back to that float).
            double[] widened = ParameterFile.ReadJson<double>(PathOf("iris.json"), Trained<double>("IrisDouble", 1).Topology);
            Assert.Equal(Networks.Parameters(single), widened.Select(v => (float)v));
        }

        [Fact]
        public void A_PyTorch_style_export_loads()
        {
            // What docs/parameter-files.md's recipe writes for nn.Sequential(Linear(4, 5), Tanh(), Linear(5, 3)).
            var random = new Random(1);
            double[] values = Enumerable.Range(0, 43).Select(_ => Math.Round(random.NextDouble() - 0.5, 6)).ToArray();
            string json = "{\"format\": \"BackpropGen.Parameters\", \"version\": 1, \"inputs\": 4, \"loss\": \"CrossEntropy\",\n" +
                "\"layers\": [{\"size\": 5, \"activation\": \"Tanh\"}, {\"size\": 3, \"activation\": \"Softmax\"}],\n" +
                "\"parameters\": [" + string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]}";
            INetwork<double> network = Trained<double>("IrisDouble", 1);
            ParameterFile.LoadJson(network, new StringReader(json));
            Assert.Equal(values, Networks.Parameters(network));
        }

        [Fact]
        public void A_boxed_struct_network_is_refused_with_the_ref_overload_named()
        {
            INetwork<float> boxed = Networks.Create<float>(s_assembly.Value, "Files.IrisStruct");
            boxed.InitializeParameters(9);
            ParameterFile.Save(boxed, PathOf("struct.bpg"));
            ParameterFile.SaveJson(boxed, PathOf("struct.json"));
            var binary = Assert.Throws<ArgumentException>(() => ParameterFile.Load(boxed, PathOf("struct.bpg")));
            Assert.Contains("ParameterFile.Load<IrisStruct, float>(ref network, …)", binary.Message, StringComparison.Ordinal);
            var json = Assert.Throws<ArgumentException>(() => ParameterFile.LoadJson(boxed, PathOf("struct.json")));
            Assert.Contains("ParameterFile.LoadJson<IrisStruct, float>(ref network, …)", json.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_struct_network_loads_through_the_ref_overloads()
        {
            INetwork<float> saved = Networks.Create<float>(s_assembly.Value, "Files.IrisStruct");
            saved.InitializeParameters(9);
            float[] expected = Networks.Parameters(saved);
            ParameterFile.Save(saved, PathOf("struct.bpg"));
            ParameterFile.SaveJson(saved, PathOf("struct.json"));

            Type loading = s_assembly.Value.GetType("Files.StructLoading", throwOnError: true)!;
            float[] Call(string method, object argument) => (float[])loading.GetMethod(method, new[] { argument.GetType() })!.Invoke(null, new[] { argument })!;
            Assert.Contains(expected, v => v != 0);
            Assert.Equal(expected, Call("Load", PathOf("struct.bpg")));
            Assert.Equal(expected, Call("Load", File.ReadAllBytes(PathOf("struct.bpg"))));
            Assert.Equal(expected, Call("LoadJson", PathOf("struct.json")));
            Assert.Equal(expected, Call("LoadJsonText", File.ReadAllText(PathOf("struct.json"))));
            Assert.Equal(expected, Call("Read", PathOf("struct.bpg")));
        }

        [Fact]
        public void The_ref_overloads_load_a_class_network_in_place_too()
        {
            INetwork<float> source = Trained<float>("Iris", 1);
            ParameterFile.Save(source, PathOf("iris.bpg"));
            INetwork<float> target = Trained<float>("Iris", 2);
            INetwork<float> same = target;
            ParameterFile.Load<INetwork<float>, float>(ref target, PathOf("iris.bpg"));
            Assert.Same(same, target);
            Assert.Equal(Networks.Parameters(source), Networks.Parameters(target));
        }

        [Fact]
        public void The_loss_is_not_part_of_the_shape()
        {
            // Trained with half squared error, loaded into the same layers declared with mean squared error (and momentum).
            INetwork<float> squared = Trained<float>("IrisSquared", 1);
            ParameterFile.Save(squared, PathOf("squared.bpg"));
            ParameterFile.SaveJson(squared, PathOf("squared.json"));
            INetwork<float> binary = Trained<float>("IrisMeanSquared", 2);
            ParameterFile.Load(binary, PathOf("squared.bpg"));
            Assert.Equal(Networks.Parameters(squared), Networks.Parameters(binary));
            INetwork<float> json = Trained<float>("IrisMeanSquared", 3);
            ParameterFile.LoadJson(json, PathOf("squared.json"));
            Assert.Equal(Networks.Parameters(squared), Networks.Parameters(json));

            Assert.True(squared.Topology.HasSameShape(binary.Topology));
            Assert.NotEqual(squared.Topology, binary.Topology);
            Assert.Equal("4 inputs → 5 Tanh → 3 Sigmoid", binary.Topology.Shape);
        }

        [Fact]
        public void A_JSON_file_given_to_the_binary_Load_says_to_use_LoadJson()
        {
            INetwork<float> network = Trained<float>("Iris", 1);
            ParameterFile.SaveJson(network, PathOf("iris.json"));
            ParameterFileException exception = Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, PathOf("iris.json")));
            Assert.Equal(ParameterFileError.NotAParameterFile, exception.Error);
            Assert.Contains("LoadJson", exception.Message, StringComparison.Ordinal);

            // With a byte order mark, too; other foreign bytes get the plain message.
            byte[] withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(File.ReadAllBytes(PathOf("iris.json"))).ToArray();
            Assert.Contains("LoadJson", Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, new MemoryStream(withBom))).Message, StringComparison.Ordinal);
            Assert.DoesNotContain("LoadJson", Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, new MemoryStream(new byte[] { 1, 2, 3, 4, 5, 6 }))).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_checksum_is_the_standard_CRC_32()
        {
            // Bit by bit, straight from the definition (reflected polynomial 0xEDB88320), against its check value.
            static uint Crc(byte[] bytes, int count)
            {
                uint crc = 0xFFFFFFFF;
                for (int i = 0; i < count; i++)
                {
                    crc ^= bytes[i];
                    for (int bit = 0; bit < 8; bit++)
                    {
                        crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                    }
                }

                return ~crc;
            }

            Assert.Equal(0xCBF43926, Crc("123456789"u8.ToArray(), 9));
            using var memory = new MemoryStream();
            ParameterFile.Save(Trained<double>("IrisDouble", 4), memory);
            byte[] file = memory.ToArray();
            Assert.Equal(Crc(file, file.Length - 4), BitConverter.ToUInt32(file, file.Length - 4));
        }

        [Fact]
        public void Magic_cannot_be_changed_and_starts_every_binary_file()
        {
            Assert.False(typeof(ParameterFile).GetProperty(nameof(ParameterFile.Magic))!.CanWrite);
            Assert.Null(typeof(ParameterFile).GetField(nameof(ParameterFile.Magic)));
            using var memory = new MemoryStream();
            ParameterFile.Save(Trained<float>("Iris", 1), memory);
            Assert.Equal("BPGP"u8.ToArray(), memory.ToArray().Take(4).ToArray());
            Assert.Equal("BPGP"u8.ToArray(), ParameterFile.Magic.ToArray());
        }

        [Theory]
        [InlineData("IrisWider", ParameterFileError.TopologyMismatch)]
        [InlineData("IrisSquared", ParameterFileError.TopologyMismatch)]
        [InlineData("IrisDouble", ParameterFileError.PrecisionMismatch)]
        public void Another_network_is_refused_and_left_unchanged(string other, ParameterFileError error)
        {
            ParameterFile.Save(Trained<float>("Iris", 1), PathOf("iris.bpg"));
            if (other == "IrisDouble")
            {
                INetwork<double> target = Trained<double>(other, 2);
                double[] before = Networks.Parameters(target);
                Assert.Equal(error, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, PathOf("iris.bpg"))).Error);
                Assert.Equal(before, Networks.Parameters(target));
            }
            else
            {
                INetwork<float> target = Trained<float>(other, 2);
                float[] before = Networks.Parameters(target);
                ParameterFileException exception = Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, PathOf("iris.bpg")));
                Assert.Equal(error, exception.Error);
                Assert.Contains("another shape", exception.Message, StringComparison.Ordinal);
                Assert.Equal(before, Networks.Parameters(target));
            }
        }

        [Fact]
        public void Every_truncation_and_every_bit_flip_is_refused_and_the_network_kept()
        {
            INetwork<float> source = Trained<float>("Iris", 1);
            using var memory = new MemoryStream();
            ParameterFile.Save(source, memory);
            byte[] good = memory.ToArray();
            INetwork<float> target = Trained<float>("Iris", 2);
            float[] before = Networks.Parameters(target);

            for (int length = 0; length < good.Length; length++)
            {
                ParameterFileException exception = Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(good, 0, length)));
                Assert.Equal(
                    length == 0 ? ParameterFileError.Empty : length < 4 ? ParameterFileError.NotAParameterFile : ParameterFileError.Truncated,
                    exception.Error);
            }

            for (int bit = 0; bit < good.Length * 8; bit++)
            {
                byte[] damaged = (byte[])good.Clone();
                damaged[bit / 8] ^= (byte)(1 << (bit % 8));
                ParameterFileException exception = Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(damaged)));
                ParameterFileError expected = bit < 32 ? ParameterFileError.NotAParameterFile : bit < 48 ? ParameterFileError.UnsupportedVersion : ParameterFileError.ChecksumMismatch;
                if (exception.Error != expected)
                {
                    // A flip in the precision byte (doubles) or the layer count (a longer header) makes the
                    // file look cut short: from its bytes alone that is indistinguishable from truncation.
                    bool looksCutShort = (bit >= 48 && bit < 56) || (bit >= 96 && bit < 128);
                    Assert.True(exception.Error == ParameterFileError.Truncated && looksCutShort, "bit " + bit + ": " + exception.Error);
                }
            }

            Assert.Equal(before, Networks.Parameters(target));
        }

        [Fact]
        public void Damage_is_told_from_truncation_and_appended_bytes_are_malformed()
        {
            using var memory = new MemoryStream();
            ParameterFile.Save(Trained<float>("Iris", 1), memory);
            byte[] good = memory.ToArray();
            INetwork<float> target = Trained<float>("Iris", 2);

            byte[] layerCount = (byte[])good.Clone();
            layerCount[12] ^= 1; // 2 layers -> 3: the header no longer adds up
            Assert.Equal(ParameterFileError.ChecksumMismatch, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(layerCount))).Error);

            byte[] count = (byte[])good.Clone();
            count[29] ^= 0x04; // high byte of the parameter count
            Assert.Equal(ParameterFileError.ChecksumMismatch, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(count))).Error);

            byte[] appended = good.Concat(new byte[] { 0 }).ToArray();
            Assert.Equal(ParameterFileError.Malformed, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(target, new MemoryStream(appended))).Error);
        }

        [Fact]
        public void Deeply_nested_json_is_refused_not_a_stack_overflow()
        {
            INetwork<float> network = Trained<float>("Iris", 1);
            ParameterFileException exception = Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader(new string('[', 200_000))));
            Assert.Equal(ParameterFileError.Malformed, exception.Error);
            Assert.Contains("nesting deeper than 64", exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_network_with_non_finite_parameters_is_not_saved_over_a_good_file()
        {
            INetwork<float> network = Trained<float>("Iris", 1);
            ParameterFile.Save(network, PathOf("good.bpg"));
            ParameterFile.SaveJson(network, PathOf("good.json"));
            byte[] binary = File.ReadAllBytes(PathOf("good.bpg"));
            string json = File.ReadAllText(PathOf("good.json"));

            float[] broken = Networks.Parameters(network);
            broken[3] = float.NaN;
            network.LoadParameters(broken);
            Assert.Throws<InvalidOperationException>(() => ParameterFile.Save(network, PathOf("good.bpg")));
            Assert.Throws<InvalidOperationException>(() => ParameterFile.SaveJson(network, PathOf("good.json")));
            Assert.Equal(binary, File.ReadAllBytes(PathOf("good.bpg")));
            Assert.Equal(json, File.ReadAllText(PathOf("good.json")));
        }

        [Fact]
        public void Malformed_json_reports_the_line()
        {
            INetwork<float> network = Trained<float>("Iris", 1);
            float[] before = Networks.Parameters(network);
            ParameterFileException bad = Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader("{\n  \"format\": \"BackpropGen.Parameters\",\n  \"version\": 1,,\n}")));
            Assert.Equal(ParameterFileError.Malformed, bad.Error);
            Assert.Contains("line 3", bad.Message, StringComparison.Ordinal);

            Assert.Equal(ParameterFileError.Empty, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader("  "))).Error);
            Assert.Equal(ParameterFileError.NotAParameterFile, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader("{\"a\": 1}"))).Error);
            Assert.Equal(ParameterFileError.UnsupportedVersion, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader("{\"format\": \"BackpropGen.Parameters\", \"version\": 3}"))).Error);

            var sw = new StringWriter();
            ParameterFile.SaveJson(network, sw);
            string good = sw.ToString();
            string shortened = good.Replace("\n  ]\n}", ", 1.5\n  ]\n}", StringComparison.Ordinal);
            ParameterFileException count = Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader(shortened)));
            Assert.Equal(ParameterFileError.Malformed, count.Error);
            Assert.Contains("44 parameters", count.Message, StringComparison.Ordinal);

            string huge = good.Replace("\n  ]\n}", ", 1e39\n  ]\n}", StringComparison.Ordinal).Replace("\"parameters\": [\n    ", "\"parameters\": [\n    ", StringComparison.Ordinal);
            Assert.Equal(ParameterFileError.Malformed, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, new StringReader(huge))).Error);
            Assert.Equal(before, Networks.Parameters(network));
        }

        [Fact]
        public void Files_on_disk_fail_with_their_specific_errors()
        {
            INetwork<float> network = Trained<float>("Iris", 1);
            float[] before = Networks.Parameters(network);

            File.WriteAllBytes(PathOf("empty.bpg"), Array.Empty<byte>());
            Assert.Equal(ParameterFileError.Empty, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, PathOf("empty.bpg"))).Error);
            Assert.Equal(ParameterFileError.Empty, Assert.Throws<ParameterFileException>(() => ParameterFile.LoadJson(network, PathOf("empty.bpg"))).Error);

            File.WriteAllText(PathOf("text.bpg"), "hello, world");
            Assert.Equal(ParameterFileError.NotAParameterFile, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, PathOf("text.bpg"))).Error);

            Directory.CreateDirectory(PathOf("folder.bpg"));
            Assert.Contains("is a directory", Assert.Throws<IOException>(() => ParameterFile.Load(network, PathOf("folder.bpg"))).Message, StringComparison.Ordinal);
            Assert.Contains("is a directory", Assert.Throws<IOException>(() => ParameterFile.LoadJson(network, PathOf("folder.bpg"))).Message, StringComparison.Ordinal);
            Assert.Throws<FileNotFoundException>(() => ParameterFile.Load(network, PathOf("missing.bpg")));

            // A wrong version number written by hand (with a valid checksum) is refused as such
            // (1 and 2, the version with input scaling, are read).
            using var memory = new MemoryStream();
            ParameterFile.Save(network, memory);
            byte[] bytes = memory.ToArray();
            bytes[4] = 3;
            File.WriteAllBytes(PathOf("future.bpg"), bytes);
            Assert.Equal(ParameterFileError.UnsupportedVersion, Assert.Throws<ParameterFileException>(() => ParameterFile.Load(network, PathOf("future.bpg"))).Error);
            Assert.Equal(before, Networks.Parameters(network));
        }

        [Fact]
        public void A_failed_save_leaves_the_old_file_and_no_temporary_file()
        {
            string path = PathOf("model.bpg");
            INetwork<float> good = Trained<float>("Iris", 1);
            ParameterFile.Save(good, path);
            byte[] saved = File.ReadAllBytes(path);

            Assert.Throws<InvalidOperationException>(() => ParameterFile.Save(new ExplodingNetwork(good), path));
            Assert.Throws<InvalidOperationException>(() => ParameterFile.SaveJson(new ExplodingNetwork(good), path));

            Assert.Equal(saved, File.ReadAllBytes(path));
            Assert.Equal(new[] { "model.bpg" }, Directory.GetFiles(_directory).Select(Path.GetFileName));
        }

        /// <summary>A network whose parameters cannot be read: the save fails after it started.</summary>
        private sealed class ExplodingNetwork(INetwork<float> inner) : INetwork<float>
        {
            public NetworkTopology Topology => inner.Topology;

            public int InputCount => inner.InputCount;

            public int OutputCount => inner.OutputCount;

            public int ParameterCount => inner.ParameterCount;

            public void CopyParametersTo(Span<float> destination) => throw new InvalidOperationException("the disk is full, say");

            public void Forward(ReadOnlySpan<float> input, Span<float> output) => inner.Forward(input, output);

            public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.ForwardBatch(inputs, outputs);

            public float ComputeLoss(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => inner.ComputeLoss(input, target);

            public float AccumulateGradientBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient) => inner.AccumulateGradientBatch(inputs, targets, gradient);

            public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate) => inner.TrainStep(input, target, learningRate);

            public float AccumulateGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient) => inner.AccumulateGradient(input, target, gradient);

            public bool ApplyGradient(ReadOnlySpan<float> gradient, float learningRate) => inner.ApplyGradient(gradient, learningRate);

            public void ResetOptimizerState() => inner.ResetOptimizerState();

            public int OptimizerStateCount => inner.OptimizerStateCount;

            public void CopyOptimizerStateTo(Span<float> destination) => inner.CopyOptimizerStateTo(destination);

            public void LoadOptimizerState(ReadOnlySpan<float> source) => inner.LoadOptimizerState(source);

            public void LoadParameters(ReadOnlySpan<float> source) => inner.LoadParameters(source);

            public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
        }

        [Fact]
        public void Saving_replaces_atomically_and_a_failed_save_keeps_the_old_file()
        {
            string path = PathOf("model.bpg");
            INetwork<float> first = Trained<float>("Iris", 1);
            ParameterFile.Save(first, path);
            byte[] firstBytes = File.ReadAllBytes(path);

            INetwork<float> second = Trained<float>("Iris", 2);
            ParameterFile.Save(second, path);
            Assert.NotEqual(firstBytes, File.ReadAllBytes(path));
            Assert.Equal(new[] { "model.bpg" }, Directory.GetFiles(_directory).Select(Path.GetFileName));

            // A directory in place of the file: refused, nothing written, nothing left behind.
            Directory.CreateDirectory(PathOf("folder.bpg"));
            Assert.Throws<IOException>(() => ParameterFile.Save(first, PathOf("folder.bpg")));
            Assert.Throws<DirectoryNotFoundException>(() => ParameterFile.Save(first, PathOf(Path.Combine("missing", "model.bpg"))));
            Assert.Equal(new[] { "model.bpg" }, Directory.GetFiles(_directory).Select(Path.GetFileName));
            INetwork<float> check = Trained<float>("Iris", 3);
            ParameterFile.Load(check, path);
            Assert.Equal(Networks.Parameters(second), Networks.Parameters(check));
        }
    }
}
