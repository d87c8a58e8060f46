using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropGen;
using Samples.Iris;
using Samples.Shared;
using Spectre.Console;

// dotnet run --project samples/Iris -- [output directory for the parameter files and loss.png]
string directory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "backpropgen-iris");
Directory.CreateDirectory(directory);

// Fisher's Iris data: 150 flowers, 4 measurements, 3 species.
string[] species = { "setosa", "versicolor", "virginica" };
var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "iris.csv"))
    .Skip(1)
    .Select(line => line.Split(','))
    .Select(cells => (Features: cells.Take(4).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray(), Label: Array.IndexOf(species, cells[4])))
    .ToArray();

// A stratified 80/20 split from a fixed seed: 40 training and 10 test flowers of each species.
const int Seed = 2024;
var random = new ParameterRandom(Seed);
var train = new List<(float[] Features, int Label)>();
var test = new List<(float[] Features, int Label)>();
foreach (var group in rows.GroupBy(r => r.Label))
{
    var members = group.ToArray();
    for (int i = members.Length - 1; i > 0; i--)
    {
        int j = (int)(random.NextUInt64() % (ulong)(i + 1));
        (members[i], members[j]) = (members[j], members[i]);
    }

    int trainCount = members.Length * 4 / 5;
    train.AddRange(members.Take(trainCount));
    test.AddRange(members.Skip(trainCount));
}

// Standardize with the training set's statistics only.
float[] mean = Enumerable.Range(0, 4).Select(k => train.Average(r => r.Features[k])).ToArray();
float[] deviation = Enumerable.Range(0, 4).Select(k => MathF.Sqrt(train.Average(r => MathF.Pow(r.Features[k] - mean[k], 2)))).ToArray();
float[] Inputs(List<(float[] Features, int Label)> set) => set.SelectMany(r => r.Features.Select((v, k) => (v - mean[k]) / deviation[k])).ToArray();
float[] OneHot(List<(float[] Features, int Label)> set) => set.SelectMany(r => Enumerable.Range(0, 3).Select(c => c == r.Label ? 1f : 0f)).ToArray();

float[] trainInputs = Inputs(train), trainTargets = OneHot(train);
float[] testInputs = Inputs(test), testTargets = OneHot(test);

var network = new IrisNet();
network.InitializeParameters(Seed);
Console.WriteLine($"IrisNet: {IrisNet.Topology}, {IrisNet.ParameterCount} parameters; {train.Count} training and {test.Count} test flowers.");

var training = new List<double>();
var heldOut = new List<double>();
var options = new TrainerOptions
{
    Epochs = 300,
    BatchSize = 8,
    LearningRate = 0.01,
    ShuffleSeed = Seed,
};
TrainingResult result;
if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
{
    // A live bar in a terminal. Spectre.Console draws on its own thread; the reports come
    // synchronously from Fit on this one, so the bar follows training epoch by epoch.
    result = AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            ProgressTask bar = context.AddTask("training", maxValue: options.Epochs);
            options.Progress = new Reporter(report =>
            {
                Record(report);
                bar.Value = report.Epoch;
                bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"epoch {report.Epoch,3}  loss {report.TrainingLoss:F4}  held-out {report.ValidationLoss:F4}"));
            });
            return Trainer.Fit(ref network, trainInputs, trainTargets, options, testInputs, testTargets);
        });
}
else
{
    // Redirected (a log, CI, a test): plain lines, one every 50 epochs.
    options.Progress = new Reporter(report =>
    {
        Record(report);
        if (report.Epoch == 1 || report.Epoch % 50 == 0)
        {
            Console.WriteLine(report);
        }
    });
    result = Trainer.Fit(ref network, trainInputs, trainTargets, options, testInputs, testTargets);
}

void Record(TrainingProgress report)
{
    training.Add(report.TrainingLoss);
    heldOut.Add(report.ValidationLoss!.Value);
}

Console.WriteLine(result);

// The same training timed on fresh networks: mini-batches of 8 go through AccumulateGradientBatch
// (8 flowers at once, one per Vector256 lane), BatchSize = 1 through TrainStep one flower at a time.
double EpochMilliseconds(int batchSize)
{
    var timed = new IrisNet();
    timed.InitializeParameters(Seed);
    var timing = new TrainerOptions { Epochs = 200, BatchSize = batchSize, LearningRate = 0.01, ShuffleSeed = Seed };
    Trainer.Fit(ref timed, trainInputs, trainTargets, new TrainerOptions { Epochs = 20, BatchSize = batchSize, LearningRate = 0.01 });
    return Trainer.Fit(ref timed, trainInputs, trainTargets, timing).Elapsed.TotalMilliseconds / timing.Epochs;
}

double batched = EpochMilliseconds(8), online = EpochMilliseconds(1);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch time: {batched:F3} ms with BatchSize = 8 (AccumulateGradientBatch), {online:F3} ms with BatchSize = 1 (TrainStep per flower)."));
string lossPath = Path.Combine(directory, "loss.png");
LossCurves.Save(training, heldOut, "IrisNet: cross-entropy per epoch", lossPath);
Console.WriteLine($"Wrote the loss curves to {lossPath}.");

// Held-out accuracy and confusion matrix.
int[] Predict(IrisNet net, float[] inputs)
{
    var output = new float[3];
    var predictions = new int[inputs.Length / 4];
    for (int i = 0; i < predictions.Length; i++)
    {
        net.Forward(inputs.AsSpan(i * 4, 4), output);
        predictions[i] = Array.IndexOf(output, output.Max());
    }

    return predictions;
}

int[] predicted = Predict(network, testInputs);
int correct = predicted.Where((p, i) => p == test[i].Label).Count();
double accuracy = (double)correct / test.Count;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Held-out accuracy: {accuracy:P1} ({correct}/{test.Count})"));
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: true species, columns: predicted)");
Console.WriteLine($"{"",12}{string.Concat(species.Select(s => s.PadLeft(12)))}");
for (int actual = 0; actual < 3; actual++)
{
    Console.Write(species[actual].PadLeft(12));
    for (int guess = 0; guess < 3; guess++)
    {
        Console.Write(predicted.Where((p, i) => test[i].Label == actual && p == guess).Count().ToString(CultureInfo.InvariantCulture).PadLeft(12));
    }

    Console.WriteLine();
}

// Save, reload into a fresh network, and check it predicts exactly the same.
string binaryPath = Path.Combine(directory, "iris.bpg");
string jsonPath = Path.Combine(directory, "iris.json");
ParameterFile.Save(network, binaryPath);
ParameterFile.SaveJson(network, jsonPath);

var reloaded = new IrisNet();
ParameterFile.Load(reloaded, binaryPath);
var fromJson = new IrisNet();
ParameterFile.LoadJson(fromJson, jsonPath);
bool identical = Predict(reloaded, testInputs).SequenceEqual(predicted) && Predict(fromJson, testInputs).SequenceEqual(predicted);
float[] a = new float[3], b = new float[3];
network.Forward(testInputs.AsSpan(0, 4), a);
reloaded.Forward(testInputs.AsSpan(0, 4), b);
identical &= a.SequenceEqual(b);
Console.WriteLine();
Console.WriteLine($"Saved {new FileInfo(binaryPath).Length} bytes to {binaryPath} (and JSON beside it); reloaded networks predict {(identical ? "identically" : "DIFFERENTLY")}.");
return accuracy >= 0.93 && identical ? 0 : 1;

/// <summary>An IProgress that runs its handler at once, on the training thread (System.Progress would post it to the thread pool, after the fact).</summary>
internal sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => handler(value);
}
