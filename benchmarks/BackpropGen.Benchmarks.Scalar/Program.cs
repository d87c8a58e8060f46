using BenchmarkDotNet.Running;

// dotnet run -c Release -f net10.0 --project benchmarks/BackpropGen.Benchmarks.Scalar -- --filter '*' --job short --inProcess
// --inProcess: BenchmarkDotNet's out-of-process build sets one IntermediateOutputPath for every
// project, which breaks a build holding two targets of BackpropGen (net10.0 here, netstandard2.1 for
// the networks): CS0006.
// mono bin/Release/net462/BackpropGen.Benchmarks.Scalar.exe --manual: the sweep on Mono (ManualSweep).
if (args.Length == 1 && args[0] == "--manual")
{
    BackpropGen.Benchmarks.ManualSweep.Run();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(BackpropGen.Benchmarks.ScalarSweepBenchmarks<>).Assembly).Run(args);
}
