using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BackpropGen.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
