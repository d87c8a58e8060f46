using System;
using System.Diagnostics;
using System.Globalization;
using BackpropGen;
using Samples.Swarm;

// Thousands of chasers share one brain. Each frame every chaser senses the offset to its target and
// its own velocity, the brain answers with an acceleration, and the chaser moves. The brain first
// learns a steering rule (accelerate towards the target, damp the velocity) from examples, in
// mini-batches through AccumulateGradientBatch. Then the swarm runs, and the same frames are timed
// with Forward called once per chaser and with one ForwardBatch call for the whole swarm.
// Usage: Swarm [agents] [frames]
int agents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
int frames = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
const float Step = 0.05f;

var brain = new Brain();
brain.InitializeParameters(seed: 3);
var random = new Random(11);

// The steering rule the brain learns: a = tanh(2 (offset − velocity)), per axis.
const int Examples = 4096;
float[] examples = new float[Examples * Brain.InputCount];
float[] answers = new float[Examples * Brain.OutputCount];
for (int i = 0; i < Examples; i++)
{
    Span<float> x = examples.AsSpan(i * Brain.InputCount, Brain.InputCount);
    for (int k = 0; k < x.Length; k++)
    {
        x[k] = (float)((random.NextDouble() * 2) - 1);
    }

    answers[(i * 2) + 0] = MathF.Tanh(2 * (x[0] - x[2]));
    answers[(i * 2) + 1] = MathF.Tanh(2 * (x[1] - x[3]));
}

TrainingResult training = Trainer.Fit(ref brain, examples, answers, new TrainerOptions { Epochs = 60, BatchSize = 32, LearningRate = 0.05, ShuffleSeed = 5 });
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Brain: {Brain.InputCount} → 16 tanh → {Brain.OutputCount} tanh, {Brain.ParameterCount} parameters; steering learned to loss {training.TrainingLoss:F5} in {training.Elapsed.TotalMilliseconds:F0} ms."));

// The swarm: positions, velocities and targets in [-1, 1]².
float[] position = new float[agents * 2];
float[] velocity = new float[agents * 2];
float[] target = new float[agents * 2];
for (int i = 0; i < agents * 2; i++)
{
    position[i] = (float)((random.NextDouble() * 2) - 1);
    target[i] = (float)((random.NextDouble() * 2) - 1);
}

float[] senses = new float[agents * Brain.InputCount];
float[] actions = new float[agents * Brain.OutputCount];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{agents} chasers, mean distance to target {MeanDistance():F4}."));

// Warm up both paths (tiered JIT), then time the same number of frames with each.
RunFrames(10, batch: false);
RunFrames(10, batch: true);
double loopMs = RunFrames(frames, batch: false);
double batchMs = RunFrames(frames, batch: true);
double loopRate = agents * (double)frames / loopMs;
double batchRate = agents * (double)frames / batchMs;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Forward in a loop: {loopRate:F0} agents/ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ForwardBatch:      {batchRate:F0} agents/ms ({batchRate / loopRate:F2}× as many)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Frame at 10000 agents (brain only): {10_000 / loopRate:F3} ms with Forward, {10_000 / batchRate:F3} ms with ForwardBatch"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"After {2 * (frames + 10)} frames, mean distance to target {MeanDistance():F4}."));

// Runs the swarm; returns the milliseconds spent in the brain.
double RunFrames(int count, bool batch)
{
    var clock = new Stopwatch();
    for (int frame = 0; frame < count; frame++)
    {
        for (int i = 0; i < agents; i++)
        {
            senses[(i * 4) + 0] = target[(i * 2) + 0] - position[(i * 2) + 0];
            senses[(i * 4) + 1] = target[(i * 2) + 1] - position[(i * 2) + 1];
            senses[(i * 4) + 2] = velocity[(i * 2) + 0];
            senses[(i * 4) + 3] = velocity[(i * 2) + 1];
        }

        clock.Start();
        if (batch)
        {
            brain.ForwardBatch(senses, actions);
        }
        else
        {
            for (int i = 0; i < agents; i++)
            {
                brain.Forward(senses.AsSpan(i * Brain.InputCount, Brain.InputCount), actions.AsSpan(i * Brain.OutputCount, Brain.OutputCount));
            }
        }

        clock.Stop();
        for (int i = 0; i < agents * 2; i++)
        {
            velocity[i] += Step * actions[i];
            position[i] += Step * velocity[i];
        }
    }

    return clock.Elapsed.TotalMilliseconds;
}

double MeanDistance()
{
    double sum = 0;
    for (int i = 0; i < agents; i++)
    {
        float dx = target[(i * 2) + 0] - position[(i * 2) + 0];
        float dy = target[(i * 2) + 1] - position[(i * 2) + 1];
        sum += Math.Sqrt((dx * dx) + (dy * dy));
    }

    return sum / agents;
}
