using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The one NuGet package, as a user gets it: packed from src/BackpropGen, checked for its layout,
    /// then consumed from a folder feed by a throwaway .NET console app (run) and a Unity-shaped
    /// netstandard2.1 / C# 9 library (built), both with warnings as errors.
    /// </summary>
    public sealed class PackageTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "backpropgen-package-" + Guid.NewGuid().ToString("N"));

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
        public void Package_has_the_promised_layout_and_works_from_a_folder_feed()
        {
            string feed = Path.Combine(_root, "feed");
            // A version no cache has seen, so the consumers below cannot pick up an older build.
            string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            ChildProcess.Result pack = ChildProcess.Run(
                "dotnet",
                new[] { "pack", ChildProcess.RepositoryPath("src", "BackpropGen", "BackpropGen.csproj"), "-c", "Release", "-o", feed, "-p:PackageVersion=" + version },
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(pack.ExitCode == 0, pack.Output);

            string package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
            Assert.Equal("BackpropGen." + version + ".nupkg", Path.GetFileName(package));
            using (ZipArchive zip = ZipFile.OpenRead(package))
            {
                string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("lib/netstandard2.0/BackpropGen.dll", entries);
                Assert.Contains("lib/netstandard2.0/BackpropGen.xml", entries);
                Assert.Contains("lib/net10.0/BackpropGen.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/BackpropGen.Generator.dll", entries);
                Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
                Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));

                using Stream nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                XDocument document = XDocument.Load(nuspec);
                var dependencies = document.Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
                XElement memory = Assert.Single(dependencies);
                Assert.Equal("System.Memory", memory.Attribute("id")!.Value);
                Assert.Equal(".NETStandard2.0", memory.Parent!.Attribute("targetFramework")!.Value);
            }

            WriteConsumers(feed, version);

            ChildProcess.Result app = ChildProcess.Run(
                "dotnet",
                new[] { "run", "--project", Path.Combine(_root, "App") },
                workingDirectory: _root,
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(app.ExitCode == 0, app.Output);
            Assert.Contains("XOR learned", app.Output, StringComparison.Ordinal);

            ChildProcess.Result library = ChildProcess.Run(
                "dotnet",
                new[] { "build", Path.Combine(_root, "UnityLike") },
                workingDirectory: _root,
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(library.ExitCode == 0, library.Output);
            Assert.Contains("0 Warning(s)", library.Output, StringComparison.Ordinal);
        }

        private void WriteConsumers(string feed, string version)
        {
            string globalPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
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

            // Keep the repository's Directory.Build.props out of the throwaway projects.
            File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />");

            Write("App/App.csproj", $"""
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
            Write("App/Program.cs", """
                using System;
                using BackpropGen;

                var network = new XorNet();
                network.InitializeParameters(7);
                float[][] x = { new[] { 0f, 0f }, new[] { 0f, 1f }, new[] { 1f, 0f }, new[] { 1f, 1f } };
                float[][] y = { new[] { 0f }, new[] { 1f }, new[] { 1f }, new[] { 0f } };
                for (int epoch = 0; epoch < 2000; epoch++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        network.TrainStep(x[i], y[i], 0.5f);
                    }
                }

                var output = new float[1];
                int correct = 0;
                for (int i = 0; i < 4; i++)
                {
                    network.Forward(x[i], output);
                    correct += MathF.Round(output[0]) == y[i][0] ? 1 : 0;
                }

                Console.WriteLine(correct == 4 ? "XOR learned" : "XOR not learned");
                return correct == 4 ? 0 : 1;

                [Network(inputs: 2)]
                [Layer(4, Activation.Tanh)]
                [Layer(1, Activation.Sigmoid)]
                internal partial class XorNet { }
                """);

            Write("UnityLike/UnityLike.csproj", $"""
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
            File.Copy(ChildProcess.RepositoryPath("samples", "UnityLike", "Models", "reflex.json"), Path.Combine(_root, "UnityLike", "reflex.json"));
            Write("UnityLike/Reflex.cs", """
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
            Write("UnityLike/Brain.cs", """
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

        private void Write(string relativePath, string content)
        {
            string path = Path.Combine(_root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }
}
