using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using BackpropGen;
using Samples.Playground;

// dotnet run --project samples/Playground -- [output directory] [epochs] [picture every N epochs] [spirals|circles]
string output = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "backpropgen-playground");
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 600;
int every = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
string dataset = args.Length > 3 ? args[3] : "spirals";
Directory.CreateDirectory(output);

(float[] inputs, float[] targets) = dataset == "circles" ? Dataset.Circles(150, seed: 1) : Dataset.Spirals(150, seed: 1);
(float[] validationInputs, float[] validationTargets) = dataset == "circles" ? Dataset.Circles(60, seed: 2) : Dataset.Spirals(60, seed: 2);

var network = new PlaygroundNet();
network.InitializeParameters(seed: 3);
Console.WriteLine($"PlaygroundNet: {PlaygroundNet.Topology}, {PlaygroundNet.ParameterCount} parameters; {targets.Length} {dataset} points, pictures in {output}");

var training = new List<double>();
var validation = new List<double>();
var options = new TrainerOptions
{
    Epochs = epochs,
    BatchSize = 10,
    LearningRate = 0.05,
    LearningRateSchedule = LearningRateSchedule.Warmup(10, LearningRateSchedule.Cosine(Math.Max(1, epochs - 10), minimum: 0.001)),
    ClipGradientNorm = 5.0,
    ShuffleSeed = 4,
    // Reports arrive synchronously on the training thread, so the picture shows the network as this epoch left it.
    Progress = new Reporter(report =>
    {
        training.Add(report.TrainingLoss);
        validation.Add(report.ValidationLoss!.Value);
        if (report.Epoch % every == 0 && report.Epoch != report.Epochs)
        {
            string frame = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"boundary-epoch-{report.Epoch:D4}.png"));
            Pictures.DecisionBoundary(network, inputs, targets, string.Create(CultureInfo.InvariantCulture, $"{dataset}, epoch {report.Epoch}: loss {report.TrainingLoss:F3}"), frame);
            Console.WriteLine($"{report}  -> {Path.GetFileName(frame)}");
        }
    }),
};

TrainingResult result = Trainer.Fit(ref network, inputs, targets, options, validationInputs, validationTargets);
Console.WriteLine(result);

string boundary = Path.Combine(output, "boundary.png");
string loss = Path.Combine(output, "loss.png");
Pictures.DecisionBoundary(network, inputs, targets, string.Create(CultureInfo.InvariantCulture, $"{dataset} after {result.Epochs} epochs: accuracy {result.ValidationAccuracy:P1}"), boundary);
Samples.Shared.LossCurves.Save(training, validation, "PlaygroundNet on " + dataset, loss);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Validation accuracy {result.ValidationAccuracy:P1}; wrote {boundary} and {loss}."));
return 0;

/// <summary>An IProgress that runs its handler at once, on the training thread (System.Progress would post it to the thread pool, after the fact).</summary>
internal sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => handler(value);
}
