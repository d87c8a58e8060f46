using System;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>
    /// The batch members' .NET 8 code (issue 12): .NET 8 has no Vector256.Exp, Log or MultiplyAddEstimate, so a
    /// net8.0 project gets float e^x as the vector polynomial, tanh from it, and double e^x, ln x and tanh x lane
    /// by lane with Math. tests/BackpropGen.Net8Probe is such a project, built with the tests self-contained on
    /// the .NET 8 runtime (this machine may have only a newer one); it runs the exp users (Sigmoid, Tanh, Softmax
    /// with cross-entropy) in float and double against the per-sample members and prints the largest differences.
    /// </summary>
    public class Net8BatchTests
    {
        [Fact]
        public void On_the_NET_8_runtime_the_batch_members_agree_with_the_per_sample_ones()
        {
            string configuration = ChildProcess.RepositoryPath("tests", "BackpropGen.Net8Probe", "bin", ReferenceAssemblies.Metadata("Configuration"), "net8.0");
            string runtime = Assert.Single(Directory.GetDirectories(configuration));
            ChildProcess.Result run = ChildProcess.Run(Path.Combine(runtime, "BackpropGen.Net8Probe"), Array.Empty<string>());
            Assert.True(run.ExitCode == 0, run.Output);

            string[] lines = run.Output.Split('\n').Select(l => l.Trim()).ToArray();
            Assert.StartsWith("runtime .NET 8.", lines[0], StringComparison.Ordinal);
            foreach (string name in new[] { "SigmoidSingle", "TanhSingle", "SoftmaxSingle", "SigmoidDouble", "TanhDouble", "SoftmaxDouble" })
            {
                string line = Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
                string[] words = line.Split(' ');
                double forward = double.Parse(words[2], CultureInfo.InvariantCulture);
                double gradient = double.Parse(words[4], CultureInfo.InvariantCulture);
                double loss = double.Parse(words[6], CultureInfo.InvariantCulture);
                bool isDouble = name.EndsWith("Double", StringComparison.Ordinal);

                // The tolerances of BatchTests: outputs absolute, gradients and the loss sum relative.
                Assert.True(forward <= (isDouble ? 1e-12 : 1e-5), line);
                Assert.True(gradient <= (isDouble ? 1e-10 : 1e-4), line);
                Assert.True(loss <= (isDouble ? 1e-10 : 1e-4), line);
            }
        }

        [Fact]
        public void The_NET_8_consumer_gets_the_NET_8_batch_code()
        {
            // What the probe's networks compiled to (its build keeps the generated files): the batch shape, with
            // no API newer than .NET 8.
            string obj = ChildProcess.RepositoryPath("tests", "BackpropGen.Net8Probe", "obj", ReferenceAssemblies.Metadata("Configuration"), "net8.0");
            string[] files = Directory.GetFiles(obj, "Net8.*.BackpropGen.g.cs", SearchOption.AllDirectories);
            Assert.Equal(8, files.Length);
            string generated = string.Concat(files.Select(File.ReadAllText));
            Assert.Contains("BpgForwardBatchV256(", generated, StringComparison.Ordinal);
            Assert.Contains("BpgFma.MultiplyAdd(", generated, StringComparison.Ordinal);
            Assert.DoesNotContain("MultiplyAddEstimate", generated, StringComparison.Ordinal);
            Assert.DoesNotContain("BpgVector256.Exp(", generated, StringComparison.Ordinal);
            Assert.Contains("global::System.Math.Exp(x[0])", generated, StringComparison.Ordinal);
        }
    }
}
