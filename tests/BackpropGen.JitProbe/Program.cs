using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BackpropGen;

// Usage: BackpropGen.JitProbe <assembly.dll> [--dump]
// Calls every INetwork<T> member of every network in the assembly once (JitLimitTests), or with
// --dump trains each network a few steps and prints every number it produced (VectorFallbackTests
// compares a run on the vector path with one where Vector256 is not accelerated).
Assembly assembly = Assembly.LoadFrom(args[0]);
bool dump = args.Contains("--dump");
int networks = 0;
Console.WriteLine("Vector256.IsHardwareAccelerated=" + System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
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
}

static void Print<T>(string label, T[] values)
    where T : IFormattable =>
    Console.WriteLine(label + ": " + string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
