using System;
using System.Diagnostics;
using System.Linq;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// What a game notices: the first TrainStep and Forward of a fresh process, JIT included (every
    /// generated step is compiled on first use). BenchmarkDotNet warms methods up before it measures,
    /// so this runs the benchmark project itself as child processes, one first call each:
    /// <c>dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --first-calls 20</c>
    /// (add <c>simd</c> for the hand-written Vector256 loops instead).
    /// </summary>
    internal static class FirstCall
    {
        /// <summary>
        /// In a fresh process: the first TrainStep and the first Forward of 64-32-10, in ms, of the generated
        /// network (<paramref name="subject"/> "generated"), of the hand-written Vector256 loops of
        /// <see cref="Baselines.SimdNetwork"/> ("simd": what loops cost the JIT instead), or of nothing
        /// ("none": the same process without the two calls). Under <c>valgrind --tool=callgrind</c> the difference
        /// between a process and the "none" one is the instructions the first calls cost: a count that, unlike
        /// milliseconds, does not depend on what else the machine is doing.
        /// </summary>
        public static void MeasureOnce(string subject)
        {
            var input = new float[64];
            var target = new float[10];
            var output = new float[10];
            var network = new Net643210();
            network.InitializeParameters(1);
            Baselines.SimdNetwork? simd = null;
            switch (subject)
            {
                case "generated":
                    break;
                case "simd":
                    var parameters = new float[Net643210.ParameterCount];
                    network.CopyParametersTo(parameters);
                    simd = new Baselines.SimdNetwork(64, 32, 10);
                    simd.LoadParameters(parameters);
                    break;
                case "none":
                    Console.WriteLine("0 0");
                    return;
                default:
                    throw new ArgumentException("Not generated, simd or none: " + subject, nameof(subject));
            }

            TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            long ilBefore = System.Runtime.JitInfo.GetCompiledILBytes();
            long methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            long start = Stopwatch.GetTimestamp();
            if (simd is null)
            {
                network.TrainStep(input, target, 0.01f);
            }
            else
            {
                simd.TrainStep(input, target, 0.01f);
            }

            double trainStep = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (Environment.GetEnvironmentVariable("BACKPROPGEN_JIT_DETAIL") == "1")
            {
                Console.Error.WriteLine(FormattableString.Invariant($"jit {(System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds:F2} ms, {System.Runtime.JitInfo.GetCompiledILBytes() - ilBefore} IL bytes, {System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore} methods"));
            }

            start = Stopwatch.GetTimestamp();
            if (simd is null)
            {
                network.Forward(input, output);
            }
            else
            {
                simd.Forward(input, output);
            }

            double forward = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.WriteLine(FormattableString.Invariant($"{trainStep:F3} {forward:F3}"));
        }

        /// <summary>Runs <paramref name="count"/> fresh processes of <paramref name="subject"/> (<see cref="MeasureOnce"/>) and reports the spread of their first calls.</summary>
        public static void MeasureMany(int count, string subject)
        {
            string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
            var trainSteps = new double[count];
            var forwards = new double[count];
            for (int i = 0; i < count; i++)
            {
                // Under `dotnet BackpropGen.Benchmarks.dll` the process is dotnet itself: pass it the assembly.
                var info = new ProcessStartInfo(self) { RedirectStandardOutput = true };
                if (System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
                {
                    info.ArgumentList.Add(typeof(FirstCall).Assembly.Location);
                }

                info.ArgumentList.Add("--first-call");
                info.ArgumentList.Add(subject);
                using Process process = Process.Start(info)!;
                string[] fields = process.StandardOutput.ReadToEnd().Trim().Split(' ');
                process.WaitForExit();
                trainSteps[i] = double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
                forwards[i] = double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }

            Console.WriteLine("64-32-10 (" + subject + "), first call in a fresh process (JIT included), " + count + " processes:");
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
