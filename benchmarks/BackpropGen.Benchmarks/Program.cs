using BackpropGen.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --first-calls 20
if (args.Length == 1 && args[0] == "--first-call")
{
    FirstCall.MeasureOnce();
}
else if (args.Length == 2 && args[0] == "--first-calls")
{
    FirstCall.MeasureMany(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
