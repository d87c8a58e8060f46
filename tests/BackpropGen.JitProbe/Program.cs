using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BackpropGen;

// Usage: BackpropGen.JitProbe <assembly.dll> [--dump]
// Calls every INetwork<T> member of every network in the assembly once (JitLimitTests), or with
// --dump trains each network a few steps and prints every number it produced (VectorFallbackTests
// compares a run on the vector path with one where Vector256 is not accelerated).
// Samples for the batch members: two blocks of Vector256 floats and a tail of three.
const int BatchCount = 19;
Assembly assembly = Assembly.LoadFrom(args[0]);
bool dump = args.Contains("--dump");
int networks = 0;
Console.WriteLine("Vector256.IsHardwareAccelerated=" + System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
Console.WriteLine("Vector128.IsHardwareAccelerated=" + System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated);
foreach (Type type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
{
    // Networks only: a netstandard2.0 assembly also holds the compiler's embedded attribute classes.
    bool isNetwork = typeof(INetwork<float>).IsAssignableFrom(type) || typeof(INetwork<double>).IsAssignableFrom(type);
    object? instance = type.IsAbstract || type.IsInterface || !isNetwork ? null : Activator.CreateInstance(type);
    switch (instance)
    {
        case INetwork<float> single:
            Run(type.FullName!, single, 0.1f, x => (float)x);
            networks++;
            break;
        case INetwork<double> @double:
            Run(type.FullName!, @double, 0.1, x => x);
            networks++;
            break;
    }
}

Console.WriteLine("exercised " + networks + " networks");
return networks > 0 ? 0 : 1;

void Run<T>(string name, INetwork<T> network, T learningRate, Func<double, T> convert)
    where T : struct, IFormattable
{
    var input = new T[network.InputCount];
    var output = new T[network.OutputCount];
    var parameters = new T[network.ParameterCount];
    if (!dump)
    {
        if (network is IInputScaling<T> scaling)
        {
            var offset = new T[network.InputCount];
            var scale = Enumerable.Repeat(convert(0.5), network.InputCount).ToArray();
            scaling.SetInputScaling(offset, scale);
            scaling.CopyInputScalingTo(offset, scale);
        }

        network.InitializeParameters(1);
        network.Forward(input, output);
        network.ComputeLoss(input, output);
        network.TrainStep(input, output, learningRate);
        network.AccumulateGradient(input, output, parameters);
        network.ApplyGradient(parameters, learningRate);
        network.CopyParametersTo(parameters);
        network.LoadParameters(parameters);

        // A block of samples and a tail, so the batch members' vector methods run too.
        network.ForwardBatch(new T[BatchCount * network.InputCount], new T[BatchCount * network.OutputCount]);
        network.AccumulateGradientBatch(new T[BatchCount * network.InputCount], new T[BatchCount * network.OutputCount], parameters);
        return;
    }

    var random = new ParameterRandom(5);
    network.InitializeParameters(7);
    for (int i = 0; i < input.Length; i++)
    {
        input[i] = convert(random.NextUniform(1));
    }

    var target = new T[network.OutputCount];
    for (int j = 0; j < target.Length; j++)
    {
        target[j] = convert(1.0 / target.Length);
    }

    network.Forward(input, output);
    Print(name + " forward", output);
    network.AccumulateGradient(input, target, parameters);
    Print(name + " gradient", parameters);
    var losses = new T[3];
    for (int step = 0; step < losses.Length; step++)
    {
        losses[step] = network.TrainStep(input, target, learningRate);
    }

    Print(name + " losses", losses);
    network.CopyParametersTo(parameters);
    Print(name + " parameters", parameters);

    // The batch members on samples that differ (blocks of every width, and a tail).
    var inputs = new T[BatchCount * network.InputCount];
    for (int i = 0; i < inputs.Length; i++)
    {
        inputs[i] = convert(random.NextUniform(1));
    }

    var targets = new T[BatchCount * network.OutputCount];
    for (int i = 0; i < targets.Length; i++)
    {
        targets[i] = convert(1.0 / network.OutputCount);
    }

    var outputs = new T[BatchCount * network.OutputCount];
    network.ForwardBatch(inputs, outputs);
    Print(name + " batch forward", outputs);
    Array.Clear(parameters);
    T batchLoss = network.AccumulateGradientBatch(inputs, targets, parameters);
    Print(name + " batch gradient", parameters.Append(batchLoss).ToArray());
}

static void Print<T>(string label, T[] values)
    where T : IFormattable =>
    Console.WriteLine(label + ": " + string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
