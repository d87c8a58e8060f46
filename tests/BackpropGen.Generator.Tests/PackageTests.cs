using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The one NuGet package, as a user gets it: packed from src/BackpropGen, checked for its layout,
    /// then consumed from a folder feed by a throwaway .NET console app (run) and a Unity-shaped
    /// netstandard2.1 / C# 9 library (built), both with warnings as errors; the netstandard2.1 build
    /// and that library are checked with System.Reflection.Metadata for what Unity's Mono needs.
    /// </summary>
    [Trait("Category", "Slow")]
    public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
    {
        private readonly PackedPackage _package;

        public PackageTests(PackedPackage package) => _package = package;

        private string Root => _package.Root;

        /// <summary>
        /// Packed once for the class, into a folder feed under a version no cache has seen (so no
        /// consumer can pick up an older build), with the throwaway consumers written beside it.
        /// </summary>
        public sealed class PackedPackage : IDisposable
        {
            public PackedPackage()
            {
                Directory.CreateDirectory(Root);
                string feed = Path.Combine(Root, "feed");
                Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
                ChildProcess.Result pack = ChildProcess.Run(
                    "dotnet",
                    new[] { "pack", ChildProcess.RepositoryPath("src", "BackpropGen", "BackpropGen.csproj"), "-c", "Release", "-o", feed, "-p:PackageVersion=" + Version },
                    timeout: TimeSpan.FromMinutes(15));
                Assert.True(pack.ExitCode == 0, pack.Output);
                PackagePath = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
                Extracted = Path.Combine(Root, "extracted");
                ZipFile.ExtractToDirectory(PackagePath, Extracted);
                WriteConsumers(Root, feed, Version);
            }

            public string Root { get; } = Path.Combine(Path.GetTempPath(), "backpropgen-package-" + Guid.NewGuid().ToString("N"));

            public string Version { get; }

            public string PackagePath { get; }

            /// <summary>The package unzipped, to take its files as Unity users do.</summary>
            public string Extracted { get; }

            public void Dispose()
            {
                try
                {
                    Directory.Delete(Root, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a temp folder left behind is harmless.
                }
            }
        }

        [Fact]
        public void Package_has_the_promised_layout()
        {
            string package = _package.PackagePath;
            Assert.Equal("BackpropGen." + _package.Version + ".nupkg", Path.GetFileName(package));
            using (ZipArchive zip = ZipFile.OpenRead(package))
            {
                string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("lib/netstandard2.0/BackpropGen.dll", entries);
                Assert.Contains("lib/netstandard2.0/BackpropGen.xml", entries);
                Assert.Contains("lib/netstandard2.1/BackpropGen.dll", entries);
                Assert.Contains("lib/netstandard2.1/BackpropGen.xml", entries);
                Assert.Contains("lib/net10.0/BackpropGen.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/BackpropGen.Generator.dll", entries);
                Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
                Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));

                using Stream nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                XDocument document = XDocument.Load(nuspec);
                // A dependency group per target: System.Memory for netstandard2.0 only.
                var groups = document.Descendants().Where(e => e.Name.LocalName == "group")
                    .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Select(d => d.Attribute("id")!.Value).ToArray());
                Assert.Equal(new[] { ".NETStandard2.0", ".NETStandard2.1", "net10.0" }, groups.Keys.OrderBy(k => k, StringComparer.Ordinal));
                Assert.Equal(new[] { "System.Memory" }, groups[".NETStandard2.0"]);
                Assert.Empty(groups[".NETStandard2.1"]);
                Assert.Empty(groups["net10.0"]);

                // Unity's Mono takes Span<T> from its corlib; a System.Memory reference would make it another type.
                string[] references = AssemblyReferences(ReadEntry(zip, "lib/netstandard2.1/BackpropGen.dll"));
                Assert.Contains("netstandard", references);
                Assert.DoesNotContain("System.Memory", references);
                Assert.DoesNotContain("System.Runtime.CompilerServices.Unsafe", references);
                Assert.Contains("System.Memory", AssemblyReferences(ReadEntry(zip, "lib/netstandard2.0/BackpropGen.dll")));
            }

        }

        [Fact]
        public void The_README_quick_start_runs_from_a_folder_feed_and_learns_XOR()
        {
            ChildProcess.Result app = ChildProcess.Run(
                "dotnet",
                new[] { "run", "--project", Path.Combine(Root, "App") },
                workingDirectory: Root,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(app.ExitCode == 0, app.Output);

            // "0 xor 1 = 0.981": each of the four cases on the right side of ½.
            var printed = app.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(" xor ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(4, printed.Length);
            foreach (string line in printed)
            {
                string[] parts = line.Split(' ');
                bool expected = parts[0] != parts[2];
                double value = double.Parse(parts[4], System.Globalization.CultureInfo.CurrentCulture);
                Assert.True(expected ? value > 0.5 : value < 0.5, line);
            }
        }

        [Fact]
        public void A_Unity_shaped_netstandard21_library_builds_clean_without_System_Memory()
        {

            ChildProcess.Result library = ChildProcess.Run(
                "dotnet",
                new[] { "build", Path.Combine(Root, "UnityLike") },
                workingDirectory: Root,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(library.ExitCode == 0, library.Output);
            Assert.Contains("0 Warning(s)", library.Output, StringComparison.Ordinal);

            // The netstandard2.1 consumer was compiled against lib/netstandard2.1: its generated
            // networks' ReadOnlySpan<T> is netstandard's, and nothing of System.Memory is referenced.
            byte[] unityLike = File.ReadAllBytes(Path.Combine(Root, "UnityLike", "bin", "Debug", "netstandard2.1", "UnityLike.dll"));
            Assert.DoesNotContain("System.Memory", AssemblyReferences(unityLike));
            Assert.Equal("netstandard", TypeReferenceScope(unityLike, "System", "ReadOnlySpan`1"));
        }

        private static byte[] ReadEntry(ZipArchive zip, string name)
        {
            using Stream entry = zip.GetEntry(name)!.Open();
            using var memory = new MemoryStream();
            entry.CopyTo(memory);
            return memory.ToArray();
        }

        private static string[] AssemblyReferences(byte[] assembly)
        {
            using var pe = new PEReader(new MemoryStream(assembly));
            MetadataReader reader = pe.GetMetadataReader();
            return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToArray();
        }

        /// <summary>The name of the assembly reference a type reference resolves through.</summary>
        private static string TypeReferenceScope(byte[] assembly, string @namespace, string name)
        {
            using var pe = new PEReader(new MemoryStream(assembly));
            MetadataReader reader = pe.GetMetadataReader();
            TypeReference type = reader.TypeReferences.Select(reader.GetTypeReference)
                .Single(t => reader.GetString(t.Namespace) == @namespace && reader.GetString(t.Name) == name);
            Assert.Equal(HandleKind.AssemblyReference, type.ResolutionScope.Kind);
            return reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name);
        }

        [Fact]
        public void The_packed_generator_runs_on_Roslyn_4_3_1_with_CSharp_9_and_netstandard21()
        {
            // Unity 2022.3 loads generators into Roslyn 4.3; the test project's newer Roslyn would hide a
            // dependency on a later API, so a child process holding Microsoft.CodeAnalysis 4.3.1 runs it.
            ChildProcess.Result run = ChildProcess.Run(
                "dotnet",
                new[]
                {
                    ChildProcess.BuiltAssembly(Path.Combine("tests", "BackpropGen.Roslyn43"), "BackpropGen.Roslyn43"),
                    Path.Combine(_package.Extracted, "analyzers", "dotnet", "cs", "BackpropGen.Generator.dll"),
                    Path.Combine(_package.Extracted, "lib", "netstandard2.1", "BackpropGen.dll"),
                    ReferenceAssemblies.Metadata("NetStandard21Refs"),
                });
            Assert.True(run.ExitCode == 0, run.Output);
            string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains(lines, l => l.StartsWith("Roslyn 4.3.1-", StringComparison.Ordinal)); // the package's informational version, "4.3.1-3.22479.18"
            Assert.Contains("generators 1", lines);
            Assert.Contains("valid generated 4", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("valid diagnostic", StringComparison.Ordinal));
            Assert.Equal(
                new[] { "invalid diagnostic BPG0001 on BPG0001NotPartial", "invalid diagnostic BPG0004 on BPG0004NoLayers", "invalid diagnostic BPG0006 on BPG0006EmptyLayer" },
                lines.Where(l => l.StartsWith("invalid diagnostic", StringComparison.Ordinal)));
            Assert.Contains("invalid generated 0", lines);
            Assert.Contains("valid emitted True", lines);
            Assert.Contains("clean", lines);
        }

        [Theory]
        [InlineData("FSharpDirect", "F#")]
        [InlineData("VisualBasicDirect", "VB")]
        public void A_project_in_another_language_that_references_the_package_gets_exactly_one_warning(string project, string language)
        {
            ChildProcess.Result build = ChildProcess.Run(
                "dotnet",
                new[] { "build", Path.Combine(Root, project) },
                workingDirectory: Root,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("1 Warning(s)", build.Output, StringComparison.Ordinal);
            Assert.Contains("warning BPG1000: BackpropGen generates C#, and this project is written in " + language + ",", build.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void An_FSharp_app_uses_networks_declared_in_a_CSharp_library_without_a_warning()
        {
            // The pattern the warning points at: the C# library gets the generator, the F# app its types.
            ChildProcess.Result run = ChildProcess.Run(
                "dotnet",
                new[] { "run", "--project", Path.Combine(Root, "FSharpApp") },
                workingDirectory: Root,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("XOR learned from F#", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("BPG1000", run.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void A_net48_app_gives_the_same_bits_under_Mono_as_under_CoreCLR()
        {
            // A netstandard2.0 library of networks from the package, used by one program built for net48
            // (run by mono, as .NET Framework code) and for net10.0 (run by CoreCLR). .ci/run installs mono.
            ChildProcess.Result build = ChildProcess.Run(
                "dotnet",
                new[] { "build", Path.Combine(Root, "MonoApp") },
                workingDirectory: Root,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);

            string bin = Path.Combine(Root, "MonoApp", "bin", "Debug");
            ChildProcess.Result mono = ChildProcess.Run("mono", new[] { Path.Combine(bin, "net48", "MonoApp.exe") }, workingDirectory: Root);
            Assert.True(mono.ExitCode == 0, mono.Output);
            ChildProcess.Result coreClr = ChildProcess.Run("dotnet", new[] { Path.Combine(bin, "net10.0", "MonoApp.dll") }, workingDirectory: Root);
            Assert.True(coreClr.ExitCode == 0, coreClr.Output);

            string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains("runtime Mono", Lines(mono.Output));
            Assert.Contains("runtime CoreCLR", Lines(coreClr.Output));
            string[] monoNumbers = Lines(mono.Output).Where(l => !l.StartsWith("runtime", StringComparison.Ordinal)).ToArray();
            string[] coreNumbers = Lines(coreClr.Output).Where(l => !l.StartsWith("runtime", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, coreNumbers.Count(l => l.Contains(" parameters ", StringComparison.Ordinal)));
            Assert.Equal(coreNumbers, monoNumbers);
        }

        [Fact]
        public void A_NativeAOT_build_has_no_warnings_and_prints_what_the_JIT_build_prints()
        {
            // x86-64-v3 (AVX2), the instruction set docs/platforms.md recommends: the native code takes the
            // Vector256 steps, as the JIT does on this machine, so the numbers agree to the bit. gcc links
            // where clang, the default, is not installed.
            var publishArguments = new List<string> { "publish", Path.Combine(Root, "AotApp"), "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(Root, "AotApp", "native"), "-p:IlcInstructionSet=x86-64-v3" };
            if (!File.Exists("/usr/bin/clang"))
            {
                publishArguments.Add("-p:CppCompilerAndLinker=gcc");
            }

            ChildProcess.Result publish = ChildProcess.Run("dotnet", publishArguments, workingDirectory: Root, timeout: TimeSpan.FromMinutes(10));
            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.DoesNotContain("warning", publish.Output, StringComparison.OrdinalIgnoreCase);

            string native = Path.Combine(Root, "AotApp", "native", "AotApp");
            ChildProcess.Result aot = ChildProcess.Run(native, Array.Empty<string>(), workingDirectory: Root);
            Assert.True(aot.ExitCode == 0, aot.Output);
            // The same build's IL, under the JIT (publish compiled it to bin/ before ILC took it).
            string managed = Path.Combine(Root, "AotApp", "bin", "Release", "net10.0", "linux-x64", "AotApp.dll");
            ChildProcess.Result jit = ChildProcess.Run("dotnet", new[] { managed }, workingDirectory: Root);
            Assert.True(jit.ExitCode == 0, jit.Output);

            string[] Numbers(string output) => output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("losses ", StringComparison.Ordinal) || l.StartsWith("outputs ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, Numbers(jit.Output).Length);
            Assert.Equal(Numbers(jit.Output), Numbers(aot.Output));
            Assert.Contains("Vector256 accelerated True", aot.Output, StringComparison.Ordinal);
        }

        private static void WriteConsumers(string root, string feed, string version)
        {
            string globalPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" />
                  </config>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                  <fallbackPackageFolders>
                    <add key="user" value="{globalPackages}" />
                  </fallbackPackageFolders>
                </configuration>
                """);

            // Keep the repository's Directory.Build.props out of the throwaway projects.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");

            Write(root, "App/App.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>true</GenerateDocumentationFile>
                    <NoWarn>$(NoWarn);CS1591</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "App/Program.cs", QuickStart());

            Write(root, "UnityLike/UnityLike.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>netstandard2.1</TargetFramework>
                    <LangVersion>9</LangVersion>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>true</GenerateDocumentationFile>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                    <AdditionalFiles Include="reflex.json" />
                  </ItemGroup>
                </Project>
                """);
            File.Copy(ChildProcess.RepositoryPath("samples", "UnityLike", "Models", "reflex.json"), Path.Combine(root, "UnityLike", "reflex.json"));

            Write(root, "MonoNetworks/MonoNetworks.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>netstandard2.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "MonoNetworks/Networks.cs", """
                using BackpropGen;

                namespace MonoNetworks
                {
                    [Network(2)]
                    [Layer(4, Activation.Sigmoid)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class SigmoidNet { }

                    [Network(3, Loss = LossFunction.MeanSquaredError, Optimizer = Optimizer.Momentum)]
                    [Layer(8, Activation.ReLU)]
                    [Layer(2, Activation.Linear)]
                    public partial class ReluNet { }

                    [Network(4, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam)]
                    [Layer(6, Activation.Tanh)]
                    [Layer(3, Activation.Softmax)]
                    public partial struct SoftmaxNet { }
                }
                """);
            Write(root, "MonoApp/MonoApp.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFrameworks>net48;net10.0</TargetFrameworks>
                    <LangVersion>latest</LangVersion>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="../MonoNetworks/MonoNetworks.csproj" />
                    <PackageReference Include="Microsoft.NETFramework.ReferenceAssemblies" Version="1.0.3" PrivateAssets="all" />
                    <!-- Debian's mono-runtime has no netstandard.dll facade (net48 apps expect the framework to
                         have one); the SDK's own netstandard2.0 shim for .NET Framework goes beside the exe. -->
                    <None Condition="'$(TargetFramework)' == 'net48'" Include="$(MSBuildExtensionsPath)/Microsoft/Microsoft.NET.Build.Extensions/net461/lib/netstandard.dll" CopyToOutputDirectory="PreserveNewest" Visible="false" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "MonoApp/Program.cs", """
                using System;
                using System.Globalization;
                using BackpropGen;
                using MonoNetworks;

                // Trains three networks a few thousand seeded steps and prints the bits of the last loss and
                // of every parameter (bits, not "R" text: Mono and .NET format some floats differently).
                static class Program
                {
                    static int Main()
                    {
                        Console.WriteLine("runtime " + (Type.GetType("Mono.Runtime") != null ? "Mono" : "CoreCLR"));
                        var sigmoid = new SigmoidNet();
                        Train(ref sigmoid, 3000, 0.5f);
                        var relu = new ReluNet();
                        Train(ref relu, 3000, 0.01f);
                        var softmax = new SoftmaxNet();
                        Train(ref softmax, 3000, 0.01f);
                        return 0;
                    }

                    static void Train<TNetwork>(ref TNetwork network, int steps, float learningRate)
                        where TNetwork : INetwork<float>
                    {
                        network.InitializeParameters(11);
                        var random = new ParameterRandom(3);
                        var input = new float[network.InputCount];
                        var target = new float[network.OutputCount];
                        float loss = 0;
                        for (int step = 0; step < steps; step++)
                        {
                            for (int i = 0; i < input.Length; i++)
                            {
                                input[i] = (float)random.NextUniform(1);
                            }

                            // A fixed rule to learn, as a distribution (for softmax) of the inputs' signs.
                            float positive = input[0] > 0 ? 0.8f : 0.2f;
                            for (int j = 0; j < target.Length; j++)
                            {
                                target[j] = j == 0 ? positive : (1 - positive) / Math.Max(1, target.Length - 1);
                            }

                            loss = network.TrainStep(input, target, learningRate);
                        }

                        var parameters = new float[network.ParameterCount];
                        network.CopyParametersTo(parameters);
                        var bits = new System.Text.StringBuilder();
                        foreach (float p in parameters)
                        {
                            bits.Append(BitConverter.ToInt32(BitConverter.GetBytes(p), 0).ToString("x8", CultureInfo.InvariantCulture));
                        }

                        Console.WriteLine(typeof(TNetwork).Name + " loss " + BitConverter.ToInt32(BitConverter.GetBytes(loss), 0).ToString("x8", CultureInfo.InvariantCulture));
                        Console.WriteLine(typeof(TNetwork).Name + " parameters " + bits);
                    }
                }
                """);

            Write(root, "AotApp/AotApp.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <InvariantGlobalization>true</InvariantGlobalization>
                    <PublishAot>true</PublishAot>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "AotApp/Program.cs", """
                using System;
                using System.Diagnostics;
                using System.Globalization;
                using System.Linq;
                using BackpropGen;

                // Issue #4's 64-32-10: the first TrainStep's time (the JIT compiles it, NativeAOT does not),
                // then 500 steps, and every number printed to the bit.
                var clock = Stopwatch.StartNew();
                var net = new Wide();
                net.InitializeParameters(5);
                var input = new float[Wide.InputCount];
                var target = new float[Wide.OutputCount];
                var random = new ParameterRandom(9);
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = (float)random.NextUniform(1);
                }

                target[3] = 1;
                float first = net.TrainStep(input, target, 0.1f);
                double firstCall = clock.Elapsed.TotalMilliseconds;
                float loss = first;
                for (int step = 0; step < 500; step++)
                {
                    loss = net.TrainStep(input, target, 0.1f);
                }

                var output = new float[Wide.OutputCount];
                net.Forward(input, output);
                Console.WriteLine("Vector256 accelerated " + System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
                Console.WriteLine("first TrainStep ms " + firstCall.ToString("F3", CultureInfo.InvariantCulture));
                Console.WriteLine("losses " + first.ToString("R", CultureInfo.InvariantCulture) + " " + loss.ToString("R", CultureInfo.InvariantCulture));
                Console.WriteLine("outputs " + string.Join(" ", output.Select(o => o.ToString("R", CultureInfo.InvariantCulture))));

                [Network(64)]
                [Layer(32, Activation.Sigmoid)]
                [Layer(10, Activation.Sigmoid)]
                internal partial class Wide { }
                """);

            Write(root, "FSharpDirect/FSharpDirect.fsproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Include="Library.fs" />
                  </ItemGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "FSharpDirect/Library.fs", """
                module Library

                let answer = 42
                """);

            Write(root, "VisualBasicDirect/VisualBasicDirect.vbproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RootNamespace>VisualBasicDirect</RootNamespace>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "VisualBasicDirect/Library.vb", """
                Public Module Library
                    Public Const Answer As Integer = 42
                End Module
                """);

            Write(root, "Networks/Networks.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "Networks/XorNet.cs", """
                using BackpropGen;

                namespace Networks
                {
                    [Network(inputs: 2)]
                    [Layer(4, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    public partial class XorNet { }
                }
                """);
            Write(root, "FSharpApp/FSharpApp.fsproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Include="Program.fs" />
                  </ItemGroup>
                  <ItemGroup>
                    <ProjectReference Include="../Networks/Networks.csproj" />
                  </ItemGroup>
                </Project>
                """);
            Write(root, "FSharpApp/Program.fs", """
                open System
                open Networks

                let network = XorNet()
                network.InitializeParameters(7)
                let x = [| [| 0.0f; 0.0f |]; [| 0.0f; 1.0f |]; [| 1.0f; 0.0f |]; [| 1.0f; 1.0f |] |]
                let y = [| [| 0.0f |]; [| 1.0f |]; [| 1.0f |]; [| 0.0f |] |]
                for _ in 1 .. 2000 do
                    for i in 0 .. 3 do
                        network.TrainStep(ReadOnlySpan<float32>(x.[i]), ReadOnlySpan<float32>(y.[i]), 0.5f) |> ignore

                let output = Array.zeroCreate<float32> 1
                let correct =
                    [ 0 .. 3 ] |> List.sumBy (fun i ->
                        network.Forward(ReadOnlySpan<float32>(x.[i]), Span<float32>(output))
                        if MathF.Round(output.[0]) = y.[i].[0] then 1 else 0)
                Console.WriteLine(if correct = 4 then "XOR learned from F#" else "XOR not learned")
                exit (if correct = 4 then 0 else 1)
                """);
            Write(root, "UnityLike/Reflex.cs", """
                using BackpropGen;

                namespace Game.AI
                {
                    /// <summary>A baked reflex.</summary>
                    [Network(2, InputNames = new[] { "left", "right" }, OutputNames = new[] { "jump" })]
                    [Layer(2, Activation.Tanh)]
                    [Layer(1, Activation.Sigmoid)]
                    [BakedParameters("reflex.json")]
                    public partial class Reflex { }
                }
                """);
            Write(root, "UnityLike/Brain.cs", """
                using BackpropGen;

                namespace Game.AI
                {
                    /// <summary>Steers an agent.</summary>
                    [Network(4, Loss = LossFunction.MeanSquaredError)]
                    [Layer(8, Activation.ReLU)]
                    [Layer(2, Activation.Tanh)]
                    public partial class Brain { }
                }
                """);
        }

        /// <summary>The README's quick start, exactly as a user pastes it.</summary>
        private static string QuickStart()
        {
            string readme = File.ReadAllText(ChildProcess.RepositoryPath("README.md"));
            int marker = readme.IndexOf("<!-- quick-start -->", StringComparison.Ordinal);
            Assert.True(marker >= 0, "README.md has no <!-- quick-start --> block.");
            int start = readme.IndexOf("```csharp\n", marker, StringComparison.Ordinal) + "```csharp\n".Length;
            return readme.Substring(start, readme.IndexOf("```", start, StringComparison.Ordinal) - start);
        }

        private static void Write(string root, string relativePath, string content)
        {
            string path = Path.Combine(root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }
}
