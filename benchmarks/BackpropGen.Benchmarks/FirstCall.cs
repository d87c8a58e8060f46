using System;
using System.Diagnostics;
using System.Linq;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// What a game notices: the first TrainStep and Forward of a fresh process, JIT included (every
    /// generated step is compiled on first use). BenchmarkDotNet warms methods up before it measures,
    /// so this runs the benchmark project itself as child processes, one first call each:
    /// <c>dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --first-calls 20</c>.
    /// </summary>
    internal static class FirstCall
    {
        /// <summary>In a fresh process: the first TrainStep and the first Forward of 64-32-10, in ms.</summary>
        public static void MeasureOnce()
        {
            var input = new float[64];
            var target = new float[10];
            var output = new float[10];
            var network = new Net643210();
            network.InitializeParameters(1);

            long start = Stopwatch.GetTimestamp();
            network.TrainStep(input, target, 0.01f);
            double trainStep = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            start = Stopwatch.GetTimestamp();
            network.Forward(input, output);
            double forward = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.WriteLine(FormattableString.Invariant($"{trainStep:F3} {forward:F3}"));
        }

        /// <summary>Runs <paramref name="count"/> fresh processes and reports the spread of their first calls.</summary>
        public static void MeasureMany(int count)
        {
            string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
            var trainSteps = new double[count];
            var forwards = new double[count];
            for (int i = 0; i < count; i++)
            {
                var info = new ProcessStartInfo(self, "--first-call") { RedirectStandardOutput = true };
                using Process process = Process.Start(info)!;
                string[] fields = process.StandardOutput.ReadToEnd().Trim().Split(' ');
                process.WaitForExit();
                trainSteps[i] = double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
                forwards[i] = double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }

            Console.WriteLine("64-32-10, first call in a fresh process (JIT included), " + count + " processes:");
            Console.WriteLine("  TrainStep: " + Summary(trainSteps));
            Console.WriteLine("  Forward (after TrainStep): " + Summary(forwards));
        }

        private static string Summary(double[] values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return FormattableString.Invariant($"min {sorted[0]:F2} ms, median {sorted[sorted.Length / 2]:F2} ms, max {sorted[^1]:F2} ms");
        }
    }
}
