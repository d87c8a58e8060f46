using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BackpropGen.Generator.Tests.Infrastructure;
using Xunit;

namespace BackpropGen.Generator.Tests
{
    /// <summary>The README's "run the main sample" command works and the sample learns XOR.</summary>
    public class SampleTests
    {
        [Fact]
        public void Xor_sample_trains_and_gets_all_four_cases_right()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Xor"), "Xor");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("4/4 correct.", run.Output, System.StringComparison.Ordinal);
            double[] losses = Regex.Matches(run.Output, @"mean loss (\d+\.\d+)")
                .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                .ToArray();
            Assert.True(losses.Length >= 5, run.Output);
            Assert.True(losses[^1] < losses[0] / 100, "Loss did not fall: " + run.Output);
            Assert.True(losses[^1] < 0.01, run.Output);
        }
    }
}
