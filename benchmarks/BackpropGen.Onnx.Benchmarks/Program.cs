using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BackpropGen.Onnx.Benchmarks -- --filter '*' --inProcess
// --inProcess: BenchmarkDotNet's out-of-process build sets one IntermediateOutputPath for every
// project, which breaks the multi-targeted BackpropGen reference (CS0006).
BenchmarkSwitcher.FromAssembly(typeof(BackpropGen.Onnx.Benchmarks.OnnxRuntimeBenchmarks<>).Assembly).Run(args);
