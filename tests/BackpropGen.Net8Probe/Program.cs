using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BackpropGen;

// Usage: BackpropGen.Net8Probe [--time]
// Runs ForwardBatch and AccumulateGradientBatch of the exp users (Sigmoid, Tanh, Softmax; float and
// double) against Forward and AccumulateGradient sample by sample and prints the largest differences
// (Net8BatchTests checks them), or with --time times a sigmoid network's ForwardBatch against Forward
// in a loop (float and double: the README's .NET 8 figures).
Console.WriteLine("runtime " + RuntimeInformation.FrameworkDescription);
Console.WriteLine("Vector256 " + Vector256.IsHardwareAccelerated + " Fma " + System.Runtime.Intrinsics.X86.Fma.IsSupported);
if (args.Length == 1 && args[0] == "--time")
{
    Time<Net8.Sigmoid16164, float>(x => (float)x);
    Time<Net8.Sigmoid16164Double, double>(x => x);
    return 0;
}

Compare<Net8.SigmoidSingle, float>("SigmoidSingle", x => (float)x, x => x);
Compare<Net8.TanhSingle, float>("TanhSingle", x => (float)x, x => x);
Compare<Net8.SoftmaxSingle, float>("SoftmaxSingle", x => (float)x, x => x);
Compare<Net8.SigmoidDouble, double>("SigmoidDouble", x => x, x => x);
Compare<Net8.TanhDouble, double>("TanhDouble", x => x, x => x);
Compare<Net8.SoftmaxDouble, double>("SoftmaxDouble", x => x, x => x);
return 0;

// 37 samples: whole blocks of both widths and a tail; the gradient starts non-zero.
static void Compare<TNetwork, T>(string name, Func<double, T> convert, Func<T, double> back)
    where TNetwork : struct, INetwork<T>
    where T : struct
{
    const int Count = 37;
    TNetwork network = default;
    network.InitializeParameters(5);
    var random = new ParameterRandom(9);
    var inputs = new T[Count * network.InputCount];
    var targets = new T[Count * network.OutputCount];
    for (int i = 0; i < inputs.Length; i++)
    {
        inputs[i] = convert(random.NextUniform(3));
    }

    for (int i = 0; i < Count; i++)
    {
        // One-hot targets: they suit every loss here (softmax's cross-entropy needs a distribution).
        targets[(i * network.OutputCount) + (i % network.OutputCount)] = convert(1);
    }

    var batch = new T[Count * network.OutputCount];
    var single = new T[network.OutputCount];
    network.ForwardBatch(inputs, batch);
    double forward = 0;
    for (int i = 0; i < Count; i++)
    {
        network.Forward(inputs.AsSpan(i * network.InputCount, network.InputCount), single);
        for (int j = 0; j < network.OutputCount; j++)
        {
            forward = Math.Max(forward, Math.Abs(back(single[j]) - back(batch[(i * network.OutputCount) + j])));
        }
    }

    var batchGradient = new T[network.ParameterCount];
    var loopGradient = new T[network.ParameterCount];
    for (int i = 0; i < batchGradient.Length; i++)
    {
        batchGradient[i] = loopGradient[i] = convert(0.25);
    }

    double batchLoss = back(network.AccumulateGradientBatch(inputs, targets, batchGradient));
    double loopLoss = 0;
    double scale = 1;
    for (int i = 0; i < Count; i++)
    {
        loopLoss += back(network.AccumulateGradient(inputs.AsSpan(i * network.InputCount, network.InputCount), targets.AsSpan(i * network.OutputCount, network.OutputCount), loopGradient));
    }

    double gradient = 0;
    for (int i = 0; i < loopGradient.Length; i++)
    {
        scale = Math.Max(scale, Math.Abs(back(loopGradient[i])));
    }

    for (int i = 0; i < loopGradient.Length; i++)
    {
        gradient = Math.Max(gradient, Math.Abs(back(loopGradient[i]) - back(batchGradient[i])) / scale);
    }

    double loss = Math.Abs(batchLoss - loopLoss) / Math.Max(1, Math.Abs(loopLoss));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} forward {forward:R} gradient {gradient:R} loss {loss:R}"));
}

static void Time<TNetwork, T>(Func<double, T> convert)
    where TNetwork : struct, INetwork<T>
    where T : struct
{
    const int Count = 64, Repeats = 200, Rounds = 200;
    TNetwork network = default;
    network.InitializeParameters(1);
    var random = new ParameterRandom(2);
    var inputs = new T[Count * network.InputCount];
    for (int i = 0; i < inputs.Length; i++)
    {
        inputs[i] = convert(random.NextUniform(1));
    }

    var outputs = new T[Count * network.OutputCount];
    double loop = double.MaxValue, batch = double.MaxValue;
    for (int round = 0; round < Rounds; round++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < Repeats; r++)
        {
            for (int i = 0; i < Count; i++)
            {
                network.Forward(inputs.AsSpan(i * network.InputCount, network.InputCount), outputs.AsSpan(i * network.OutputCount, network.OutputCount));
            }
        }

        long middle = Stopwatch.GetTimestamp();
        for (int r = 0; r < Repeats; r++)
        {
            network.ForwardBatch(inputs, outputs);
        }

        long end = Stopwatch.GetTimestamp();
        loop = Math.Min(loop, (middle - start) * 1e6 / Stopwatch.Frequency / Repeats);
        batch = Math.Min(batch, (end - middle) * 1e6 / Stopwatch.Frequency / Repeats);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{typeof(TNetwork).Name}: Forward x {Count} {loop:F2} us, ForwardBatch {batch:F2} us, ratio {batch / loop:F3}"));
}
