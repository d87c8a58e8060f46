using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace BackpropGen.Onnx.Tests
{
    /// <summary>
    /// The whole path as a user takes it: pack BackpropGen, BackpropGen.Onnx and BackpropGen.Tool,
    /// install the tool into a temporary tool path, run backpropgen import on a PyTorch model, then
    /// build and run a console app that uses the imported declarations and the ONNX package from
    /// the packed packages and reproduces PyTorch's outputs. Minutes, so Category=Slow.
    /// </summary>
    public sealed class ToolPackageTests : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "backpropgen-tool-package-" + Guid.NewGuid().ToString("N"));

        public ToolPackageTests() => Directory.CreateDirectory(_root);

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }

        [Fact]
        [Trait("Category", "Slow")]
        public void Packed_tool_imports_a_pytorch_model_into_a_project_that_builds_and_reproduces_it()
        {
            string feed = Path.Combine(_root, "feed");
            // A version no cache has seen, so nothing older is picked up.
            string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
            // Packed from a copy of the sources: PackageTests packs src/BackpropGen at the same time
            // when test projects run in parallel, and two builds must not share obj/Release.
            string sources = Path.Combine(_root, "src-copy");
            CopySources(sources);
            foreach (string project in new[] { "BackpropGen", "BackpropGen.Onnx", "BackpropGen.Tool" })
            {
                Succeeds(Dotnet(_root, "pack", Path.Combine(sources, "src", project, project + ".csproj"), "-c", "Release", "-o", feed, "-p:PackageVersion=" + version));
            }

            // The add-on carries the dependencies; the core package gains none (PackageTests checks it has only System.Memory).
            using (ZipArchive onnx = ZipFile.OpenRead(Path.Combine(feed, "BackpropGen.Onnx." + version + ".nupkg")))
            {
                Assert.Contains("lib/netstandard2.0/BackpropGen.Onnx.dll", onnx.Entries.Select(e => e.FullName));
                using Stream nuspec = onnx.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
                    .Select(e => e.Attribute("id")!.Value + " " + e.Attribute("version")!.Value).OrderBy(d => d, StringComparer.Ordinal).ToArray();
                Assert.Equal(new[] { "BackpropGen " + version, "Google.Protobuf 3.36.2" }, dependencies);
            }

            WriteNuGetConfig(feed);
            string tools = Path.Combine(_root, "tools");
            Succeeds(Dotnet(_root, "tool", "install", "BackpropGen.Tool", "--tool-path", tools, "--version", version, "--configfile", Path.Combine(_root, "nuget.config")));
            string backpropgen = Path.Combine(tools, OperatingSystem.IsWindows() ? "backpropgen.exe" : "backpropgen");

            string app = Path.Combine(_root, "App");
            Directory.CreateDirectory(app);
            File.Copy(Fixtures.Model("relu_softmax_4_8_3"), Path.Combine(app, "brain.onnx"));
            File.Copy(Fixtures.Model("tanh_sigmoid_2_4_1"), Path.Combine(app, "reflex.onnx"));
            var help = ChildProcess.Run(backpropgen, new[] { "--help" }, app, Timeout);
            Succeeds(help);
            Assert.Contains("import", help.Output, StringComparison.Ordinal);
            var baked = ChildProcess.Run(backpropgen, new[] { "import", "brain.onnx", "--name", "Brain", "--namespace", "Game.AI", "--out", "Models" }, app, Timeout);
            Succeeds(baked);
            Assert.Contains("<AdditionalFiles Include=\"Models/Brain.json\" />", baked.Output, StringComparison.Ordinal);
            Succeeds(ChildProcess.Run(backpropgen, new[] { "import", "reflex.onnx", "--name", "Reflex", "--namespace", "Game.AI", "--out", "Models", "--trainable" }, app, Timeout));
            var inspect = ChildProcess.Run(backpropgen, new[] { "inspect", "brain.onnx" }, app, Timeout);
            Succeeds(inspect);
            Assert.Contains("parameters: 67", inspect.Output, StringComparison.Ordinal);

            WriteApp(app, version);
            var run = Dotnet(app, "run");
            Succeeds(run);
            Assert.Contains("PyTorch reproduced: Brain 6/6, Reflex 6/6", run.Output, StringComparison.Ordinal);
        }

        private static void CopySources(string destination)
        {
            foreach (string folder in new[] { "src/BackpropGen", "src/BackpropGen.Onnx", "src/BackpropGen.Tool", "generator/BackpropGen.Generator" })
            {
                string from = Fixtures.RepositoryPath(folder.Split('/'));
                foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    string relative = Path.GetRelativePath(from, file);
                    string first = relative.Split(Path.DirectorySeparatorChar)[0];
                    if (first is "bin" or "obj")
                    {
                        continue;
                    }

                    string target = Path.Combine(destination, folder, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }
            }

            File.Copy(Fixtures.RepositoryPath("Directory.Build.props"), Path.Combine(destination, "Directory.Build.props"));
            File.Copy(Fixtures.RepositoryPath("README.md"), Path.Combine(destination, "README.md"));
        }

        private static void Succeeds((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);

        private static (int ExitCode, string Output) Dotnet(string folder, params string[] arguments) =>
            ChildProcess.Run("dotnet", arguments, folder, Timeout);

        private void WriteNuGetConfig(string feed)
        {
            string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" />
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

            // Keep the repository's Directory.Build.props out of the throwaway project.
            File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />");
        }

        private static void WriteApp(string app, string version)
        {
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="BackpropGen" Version="{version}" />
                    <PackageReference Include="BackpropGen.Onnx" Version="{version}" />
                    <AdditionalFiles Include="Models/Brain.json" />
                    <None Include="Models/Reflex.json;reflex.onnx" CopyToOutputDirectory="PreserveNewest" />
                  </ItemGroup>
                </Project>
                """);

            var (brainInputs, brainOutputs) = Fixtures.Samples("relu_softmax_4_8_3");
            var (reflexInputs, reflexOutputs) = Fixtures.Samples("tanh_sigmoid_2_4_1");
            File.WriteAllText(Path.Combine(app, "Program.cs"), $$"""
                using System;
                using System.IO;
                using BackpropGen;
                using BackpropGen.Onnx;
                using Game.AI;

                // PyTorch's outputs for these inputs, from tests/fixtures/onnx.
                double[][] brainInputs = {{Literal(brainInputs)}};
                double[][] brainOutputs = {{Literal(brainOutputs)}};
                double[][] reflexInputs = {{Literal(reflexInputs)}};
                double[][] reflexOutputs = {{Literal(reflexOutputs)}};

                var brain = new Brain();   // baked from Models/Brain.json
                int brainGood = Count(brain, brainInputs, brainOutputs);

                var reflex = new Reflex(); // trainable, parameters from the JSON the tool wrote
                ParameterFile.LoadJson(reflex, Path.Combine(AppContext.BaseDirectory, "Models", "Reflex.json"));
                var direct = new Reflex(); // and straight from the ONNX model, with BackpropGen.Onnx
                OnnxModel.Load(direct, Path.Combine(AppContext.BaseDirectory, "reflex.onnx"));
                var a = new float[Reflex.ParameterCount];
                var b = new float[Reflex.ParameterCount];
                reflex.CopyParametersTo(a);
                direct.CopyParametersTo(b);
                int reflexGood = a.AsSpan().SequenceEqual(b) ? Count(reflex, reflexInputs, reflexOutputs) : -1;

                Console.WriteLine($"PyTorch reproduced: Brain {brainGood}/{brainInputs.Length}, Reflex {reflexGood}/{reflexInputs.Length}");
                return brainGood == brainInputs.Length && reflexGood == reflexInputs.Length ? 0 : 1;

                static int Count(IReadOnlyNetwork<float> network, double[][] inputs, double[][] outputs)
                {
                    int good = 0;
                    var output = new float[network.OutputCount];
                    for (int s = 0; s < inputs.Length; s++)
                    {
                        network.Forward(Array.ConvertAll(inputs[s], v => (float)v), output);
                        bool close = true;
                        for (int j = 0; j < output.Length; j++)
                        {
                            close &= Math.Abs(output[j] - outputs[s][j]) <= 1e-5;
                        }

                        good += close ? 1 : 0;
                    }

                    return good;
                }
                """);
        }

        private static string Literal(double[][] rows) =>
            "{ " + string.Join(", ", rows.Select(r => "new[] { " + string.Join(", ", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "d")) + " }")) + " }";
    }
}
