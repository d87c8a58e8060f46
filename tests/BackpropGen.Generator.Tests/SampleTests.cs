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
            string output = NewDirectory();
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample, output });

            Assert.True(run.ExitCode == 0, run.Output);
            Match accuracy = Regex.Match(run.Output, @"Held-out accuracy: (\d+\.\d) % \((\d+)/30\)");
            Assert.True(accuracy.Success, run.Output);
            Assert.True(int.Parse(accuracy.Groups[2].Value, CultureInfo.InvariantCulture) >= 28, run.Output); // 28/30 = 93.3 %
            Assert.Contains("Confusion matrix", run.Output, System.StringComparison.Ordinal);
            Assert.Contains("reloaded networks predict identically", run.Output, System.StringComparison.Ordinal);
            Assert.Matches(@"Epoch time: \d+\.\d{3} ms with BatchSize = 8 \(AccumulateGradientBatch\), \d+\.\d{3} ms with BatchSize = 1", run.Output);
            // Redirected, the Spectre.Console bar gives way to plain lines (TrainingProgress.ToString).
            Assert.Matches(@"epoch 300/300: loss \d\.\d{4}, validation loss \d\.\d{4}, accuracy", run.Output);
            Assert.DoesNotContain("\u001b[", run.Output, System.StringComparison.Ordinal);
            AssertPicture(Path.Combine(output, "loss.png"), 800, 400);
        }

        [Fact]
        public void Swarm_sample_chases_its_targets_and_times_Forward_against_ForwardBatch()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Swarm"), "Swarm");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample, "2000", "30" });

            Assert.True(run.ExitCode == 0, run.Output);
            double[] distances = Regex.Matches(run.Output, @"mean distance to target (\d+\.\d+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, distances.Length);
            Assert.True(distances[1] < distances[0] / 4, "The chasers did not close in: " + run.Output);
            Match loss = Regex.Match(run.Output, @"steering learned to loss (\d+\.\d+)");
            Assert.True(loss.Success && double.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture) < 0.01, run.Output);
            Assert.Matches(@"Forward in a loop: \d+ agents/ms", run.Output);
            Assert.Matches(@"ForwardBatch: +\d+ agents/ms \(\d+\.\d\d× as many\)", run.Output);
            Assert.Matches(@"Frame at 10000 agents \(brain only\): \d+\.\d{3} ms with Forward, \d+\.\d{3} ms with ForwardBatch", run.Output);
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

        [Fact]
        public void Playground_sample_learns_the_spirals_and_draws_the_boundary_and_the_loss()
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Playground"), "Playground");
            string output = NewDirectory();
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample, output, "600", "200" });

            Assert.True(run.ExitCode == 0, run.Output);
            Match accuracy = Regex.Match(run.Output, @"Validation accuracy (\d+\.\d) %");
            Assert.True(accuracy.Success, run.Output);
            Assert.True(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) >= 90, run.Output);
            Assert.Equal(
                new[] { "boundary-epoch-0200.png", "boundary-epoch-0400.png", "boundary.png", "loss.png" },
                Directory.GetFiles(output).Select(Path.GetFileName).OrderBy(n => n, System.StringComparer.Ordinal));

            foreach (string frame in new[] { "boundary-epoch-0200.png", "boundary.png" })
            {
                byte[] rgb = AssertPicture(Path.Combine(output, frame), 600, 600);

                // Both classes' regions are on the picture: red-ish (class 1) and blue-ish (class 0) pixels.
                int red = 0, blue = 0;
                for (int i = 0; i < rgb.Length; i += 3)
                {
                    red += rgb[i] > rgb[i + 2] + 15 ? 1 : 0;
                    blue += rgb[i + 2] > rgb[i] + 15 ? 1 : 0;
                }

                Assert.True(red > rgb.Length / 3 / 10 && blue > rgb.Length / 3 / 10, $"{frame}: {red} red and {blue} blue pixels");
            }

            AssertPicture(Path.Combine(output, "loss.png"), 800, 400);
        }

        [Theory]
        [InlineData("es")]
        [InlineData("ga")]
        public void Evolution_sample_learns_to_chase_from_its_score_alone(string method)
        {
            string sample = ChildProcess.BuiltAssembly(Path.Combine("samples", "Evolution"), "Evolution");
            ChildProcess.Result run = ChildProcess.Run("dotnet", new[] { sample, "30", method });

            Assert.True(run.ExitCode == 0, run.Output);
            var generations = Regex.Matches(run.Output, @"generation +(\d+) +best +(\d+\.\d) +mean +(\d+\.\d) +\d+\.\d\d ms/generation")
                .Select(m => (Generation: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Mean: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
                .ToArray();
            Assert.Equal(Enumerable.Range(1, 30), generations.Select(g => g.Generation));
            Assert.True(generations.TakeLast(3).Average(g => g.Mean) > generations[0].Mean * 1.5, run.Output);
            double[] tests = Regex.Matches(run.Output, @"test score (\d+\.\d)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, tests.Length);
            Assert.True(tests[1] > tests[0] * 2, run.Output);
        }

        private static string NewDirectory()
        {
            string path = Path.Combine(Path.GetTempPath(), "backpropgen-sample-" + System.Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }

        /// <summary>Opens a PNG, checks its size and that it is not blank (many colours, none covering nearly everything); returns its RGB bytes.</summary>
        private static byte[] AssertPicture(string path, int width, int height)
        {
            Assert.True(File.Exists(path), path + " was not written");
            StbImageSharp.ImageResult image = StbImageSharp.ImageResult.FromMemory(File.ReadAllBytes(path), StbImageSharp.ColorComponents.RedGreenBlue);
            Assert.Equal((width, height), (image.Width, image.Height));
            var counts = new System.Collections.Generic.Dictionary<int, int>();
            for (int i = 0; i < image.Data.Length; i += 3)
            {
                int colour = (image.Data[i] << 16) | (image.Data[i + 1] << 8) | image.Data[i + 2];
                counts[colour] = counts.TryGetValue(colour, out int n) ? n + 1 : 1;
            }

            Assert.True(counts.Count > 50, $"{path}: only {counts.Count} colours");
            Assert.True(counts.Values.Max() < width * height * 0.95, $"{path}: one colour covers {counts.Values.Max()} of {width * height} pixels");
            return image.Data;
        }
    }
}
