using System;
using System.Reflection;
using BackpropGen;

// Usage: BackpropGen.JitProbe <assembly.dll>
// Calls every INetwork<T> member of every network in the assembly once.
Assembly assembly = Assembly.LoadFrom(args[0]);
int networks = 0;
foreach (Type type in assembly.GetTypes())
{
    object? instance = type.IsAbstract || type.IsInterface ? null : Activator.CreateInstance(type);
    switch (instance)
    {
        case INetwork<float> single:
            Exercise(single, 0.1f);
            networks++;
            break;
        case INetwork<double> @double:
            Exercise(@double, 0.1);
            networks++;
            break;
    }
}

Console.WriteLine("exercised " + networks + " networks");
return networks > 0 ? 0 : 1;

static void Exercise<T>(INetwork<T> network, T learningRate)
    where T : struct
{
    var input = new T[network.InputCount];
    var output = new T[network.OutputCount];
    var parameters = new T[network.ParameterCount];
    network.InitializeParameters(1);
    network.Forward(input, output);
    network.ComputeLoss(input, output);
    network.TrainStep(input, output, learningRate);
    network.AccumulateGradient(input, output, parameters);
    network.ApplyGradient(parameters, learningRate);
    network.CopyParametersTo(parameters);
    network.LoadParameters(parameters);
}
