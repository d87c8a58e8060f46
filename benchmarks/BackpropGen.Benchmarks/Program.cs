using BackpropGen.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --first-calls 20 [simd]
// valgrind --tool=callgrind benchmarks/BackpropGen.Benchmarks/bin/Release/net10.0/BackpropGen.Benchmarks --first-call [generated|simd|none]
if (args.Length is 1 or 2 && args[0] == "--first-call")
{
    FirstCall.MeasureOnce(args.Length == 2 ? args[1] : "generated");
}
else if (args.Length is 2 or 3 && args[0] == "--first-calls")
{
    FirstCall.MeasureMany(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Length == 3 ? args[2] : "generated");
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
