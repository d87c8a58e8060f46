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
    
        [Fact]
        public void Iris_sample_reaches_93_percent_held_out_and_reloads_identically()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Iris"), "Iris");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample });

            Assert.True(run.ExitCode == 0, run.Output);
            Match accuracy = Regex.Match(run.Output, @"Held-out accuracy: (\d+\.\d) % \((\d+)/30\)");
            Assert.True(accuracy.Success, run.Output);
            Assert.True(int.Parse(accuracy.Groups[2].Value, CultureInfo.InvariantCulture) >= 28, run.Output); // 28/30 = 93.3 %
            Assert.Contains("Confusion matrix", run.Output, System.StringComparison.Ordinal);
            Assert.Contains("reloaded networks predict identically", run.Output, System.StringComparison.Ordinal);
            Assert.Matches(@"epoch 300/300  loss \d\.\d{4}", run.Output);
        }

        [Fact]
        public void Agent_sample_learns_to_chase_and_runs_the_baked_reflex()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Agent"), "Agent");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample, "12" });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("sensors 0 1 -> jump 0.993", run.Output, System.StringComparison.Ordinal);
            Assert.Contains("sensors 1 1 -> jump 0.007", run.Output, System.StringComparison.Ordinal);
            int[] scores = Regex.Matches(run.Output, @"score +(\d+)/300").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(12, scores.Length);
            Assert.True(scores.Skip(7).Average() > scores[0] + 100, run.Output);
            Assert.Matches(@"inference +\d+\.\d\d us/frame  training +\d+\.\d\d us/frame", run.Output);
        }
}
}
