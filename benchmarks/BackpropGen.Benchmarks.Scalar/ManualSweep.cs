using System;
using System.Diagnostics;
using System.Linq;
using BackpropGen.Benchmarks.Baselines;
using BackpropGen.Benchmarks.ScalarNetworks;

namespace BackpropGen.Benchmarks
{
    /// <summary>
    /// The size sweep of <see cref="ScalarSweepBenchmarks{TNetwork}"/> timed with a Stopwatch, for where
    /// BenchmarkDotNet does not run: Debian's Mono 6.8 (mono-runtime) lacks the facades BenchmarkDotNet's
    /// netstandard2.0 build needs (TypeLoadException for OSPlatform). Each of 31 rounds times about 10 ms of
    /// calls of each of the four (generated and loop, Forward and TrainStep) in turn; the table gives the
    /// fastest round of each (on a loaded machine other processes only add time) and their ratios, and after
    /// the table row the ratios of the medians. Run on Mono over the netstandard2.0 networks:
    /// <c>mono benchmarks/BackpropGen.Benchmarks.Scalar/bin/Release/net462/BackpropGen.Benchmarks.Scalar.exe --manual</c>,
    /// or on CoreCLR over the netstandard2.1 ones (the same harness, to set beside BenchmarkDotNet's figures):
    /// <c>dotnet benchmarks/BackpropGen.Benchmarks.Scalar/bin/Release/net10.0/BackpropGen.Benchmarks.Scalar.dll --manual</c>.
    /// </summary>
    public static class ManualSweep
    {
        private const int Rounds = 31;

        public static void Run()
        {
            string runtime = Type.GetType("Mono.Runtime") is null ? "CoreCLR" : "Mono";
            Console.WriteLine("runtime " + runtime + ", " + Environment.Version + ", networks built for " + typeof(Sweep241).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false).Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Select(a => a.FrameworkName).FirstOrDefault());
            Console.WriteLine("| network | Forward: generated / loop | gen/loop | TrainStep: generated / loop | gen/loop |");
            Console.WriteLine("| --- | --- | ---: | --- | ---: |");
            Measure<Sweep241>("2-4-1");
            Measure<Sweep483>("4-8-3");
            Measure<Sweep888>("8-8-8");
            Measure<Sweep16164>("16-16-4");
            Measure<Sweep12246>("12-24-6");
            Measure<Sweep32164>("32-16-4");
            Measure<Sweep23301>("23-30-1");
            Measure<Sweep2424244>("24-24-24-4");
        }

        private static void Measure<TNetwork>(string name)
            where TNetwork : struct, INetwork<float>
        {
            var subjects = new Subjects<TNetwork>(new BenchmarkSample<TNetwork>());
            int[] calls = Enumerable.Range(0, Subjects<TNetwork>.Count).Select(subjects.Calibrate).ToArray();
            var perCall = new double[calls.Length][];
            for (int i = 0; i < calls.Length; i++)
            {
                perCall[i] = new double[Rounds];
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    perCall[i][round] = subjects.Time(i, calls[i]) * 1e9 / calls[i];
                }
            }

            // The fastest round of each: on a loaded machine the noise only adds time, so the minimum is the
            // estimate least disturbed by other processes (the medians are printed after, as a check).
            double[] best = perCall.Select(times => times.Min()).ToArray();
            double[] median = perCall.Select(Median).ToArray();
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {best[0]:F1} / {best[1]:F1} ns | {best[0] / best[1]:F2} | {best[2]:F1} / {best[3]:F1} ns | {best[2] / best[3]:F2} | medians {median[0] / median[1]:F2}, {median[2] / median[3]:F2}"));
        }

        private static double Median(System.Collections.Generic.IEnumerable<double> values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted[sorted.Length / 2];
        }
    }

    /// <summary>
    /// The four things timed (0 generated Forward, 1 loop Forward, 2 generated TrainStep, 3 loop TrainStep), each a
    /// plain loop of direct calls as BenchmarkDotNet's benchmark methods make them (no delegate per call).
    /// </summary>
    internal sealed class Subjects<TNetwork>
        where TNetwork : struct, INetwork<float>
    {
        public const int Count = 4;

        private readonly LoopNetwork _loop;
        private readonly float[] _input;
        private readonly float[] _target;
        private readonly float[] _output;
        private TNetwork _network;

        public Subjects(BenchmarkSample<TNetwork> sample)
        {
            _network = sample.Network;
            _loop = sample.Baseline(sizes => new LoopNetwork(sizes));
            _input = sample.Input;
            _target = sample.Target;
            _output = new float[_network.OutputCount];
        }

        /// <summary>Runs a subject until it is warm (compiled, and tiered up where the runtime tiers), then returns the calls that take about 10 ms.</summary>
        public int Calibrate(int subject)
        {
            const int calls = 1000;
            for (int i = 0; i < 5; i++)
            {
                Time(subject, calls);
                System.Threading.Thread.Sleep(20);
            }

            double seconds = Time(subject, calls);
            return Math.Max(calls / 10, (int)(calls * 0.010 / Math.Max(seconds, 1e-9)));
        }

        /// <summary>Seconds for <paramref name="calls"/> calls of <paramref name="subject"/>.</summary>
        public double Time(int subject, int calls)
        {
            long start = Stopwatch.GetTimestamp();
            switch (subject)
            {
                case 0:
                    for (int i = 0; i < calls; i++)
                    {
                        _network.Forward(_input, _output);
                    }

                    break;
                case 1:
                    for (int i = 0; i < calls; i++)
                    {
                        _loop.Forward(_input, _output);
                    }

                    break;
                case 2:
                    for (int i = 0; i < calls; i++)
                    {
                        _network.TrainStep(_input, _target, 0.01f);
                    }

                    break;
                case 3:
                    for (int i = 0; i < calls; i++)
                    {
                        _loop.TrainStep(_input, _target, 0.01f);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(subject), subject, "Not 0..3.");
            }

            return (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        }
    }
}
