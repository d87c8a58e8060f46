using System;
using System.Diagnostics;
using System.Globalization;
using BackpropGen;
using Samples.Agent;
using UnityLike.AI;

// A tiny game loop. A target wanders an arena; the agent steers with its network and learns online
// from its own play: after each frame it knows where the target went, and trains toward the steering
// that would have pointed there (hindsight). Training gets a fixed time budget per frame, as a game
// would give it, and replays recent frames from a preallocated buffer. Nothing allocates per frame.
int episodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 25;
const int FramesPerEpisode = 300;
const float AgentSpeed = 0.03f, CatchRadius = 0.08f, LearningRate = 0.0005f;
const int ReplaySize = 512, MaxStepsPerFrame = 2;
double budgetTicks = Stopwatch.Frequency * 0.0002; // 0.2 ms of training per frame

var reflex = new Reflex();
Console.WriteLine("Baked reflex from the Unity-shaped library (jump when exactly one sensor fires):");
foreach (var (left, right) in new[] { (0f, 0f), (0f, 1f), (1f, 0f), (1f, 1f) })
{
    reflex.Forward(left, right, out float jump);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sensors {left} {right} -> jump {jump:F3}"));
}

var brain = default(Chaser);
brain.InitializeParameters(seed: 1);
var random = new ParameterRandom(2024);
float[] replayInputs = new float[ReplaySize * 4], replayTargets = new float[ReplaySize * 2];
int replayCount = 0, replayNext = 0;

Console.WriteLine();
Console.WriteLine($"Chaser: {Chaser.Topology}, {Chaser.ParameterCount} parameters; {episodes} episodes of {FramesPerEpisode} frames.");
int firstScore = 0, lastScores = 0;
for (int episode = 1; episode <= episodes; episode++)
{
    float agentX = 0, agentY = 0;
    float targetX = (float)random.NextUniform(0.8), targetY = (float)random.NextUniform(0.8);
    float targetVx = (float)random.NextUniform(0.02), targetVy = (float)random.NextUniform(0.02);
    int score = 0, steps = 0;
    long inferenceTicks = 0, trainingTicks = 0;

    for (int frame = 0; frame < FramesPerEpisode; frame++)
    {
        // Observe and act.
        float dx = targetX - agentX, dy = targetY - agentY;
        long start = Stopwatch.GetTimestamp();
        brain.Forward(dx, dy, targetVx * 20, targetVy * 20, out float steerX, out float steerY);
        inferenceTicks += Stopwatch.GetTimestamp() - start;
        float length = MathF.Max(1f, MathF.Sqrt((steerX * steerX) + (steerY * steerY)));
        agentX += AgentSpeed * steerX / length;
        agentY += AgentSpeed * steerY / length;

        // The target wanders, turning now and then, bouncing off the walls.
        if (random.NextDouble() < 0.03)
        {
            targetVx = (float)random.NextUniform(0.02);
            targetVy = (float)random.NextUniform(0.02);
        }

        targetX += targetVx;
        targetY += targetVy;
        if (MathF.Abs(targetX) > 1) { targetVx = -targetVx; targetX = MathF.Sign(targetX); }
        if (MathF.Abs(targetY) > 1) { targetVy = -targetVy; targetY = MathF.Sign(targetY); }
        if (((targetX - agentX) * (targetX - agentX)) + ((targetY - agentY) * (targetY - agentY)) < CatchRadius * CatchRadius)
        {
            score++;
        }

        // Hindsight: the steering that pointed at where the target went from where the agent stood.
        float hx = targetX - (agentX - (AgentSpeed * steerX / length)), hy = targetY - (agentY - (AgentSpeed * steerY / length));
        float hl = MathF.Max(1e-6f, MathF.Sqrt((hx * hx) + (hy * hy)));
        int slot = replayNext;
        replayInputs[(slot * 4) + 0] = dx;
        replayInputs[(slot * 4) + 1] = dy;
        replayInputs[(slot * 4) + 2] = targetVx * 20;
        replayInputs[(slot * 4) + 3] = targetVy * 20;
        replayTargets[(slot * 2) + 0] = 0.9f * hx / hl;
        replayTargets[(slot * 2) + 1] = 0.9f * hy / hl;
        replayNext = (replayNext + 1) % ReplaySize;
        replayCount = Math.Min(replayCount + 1, ReplaySize);

        // Learn within the frame's budget: this frame, then random replays.
        start = Stopwatch.GetTimestamp();
        int sample = slot;
        for (int step = 0; step < MaxStepsPerFrame && (step == 0 || Stopwatch.GetTimestamp() - start < budgetTicks); step++)
        {
            brain.TrainStep(replayInputs.AsSpan(sample * 4, 4), replayTargets.AsSpan(sample * 2, 2), LearningRate);
            sample = (int)(random.NextUInt64() % (ulong)replayCount);
            steps++;
        }

        trainingTicks += Stopwatch.GetTimestamp() - start;
    }

    if (episode == 1)
    {
        firstScore = score;
    }

    if (episode > episodes - 5)
    {
        lastScores += score;
    }

    double microseconds = 1e6 / Stopwatch.Frequency / FramesPerEpisode;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"episode {episode,3}  score {score,3}/{FramesPerEpisode} {new string('#', score * 30 / FramesPerEpisode),-30}  inference {inferenceTicks * microseconds,6:F2} us/frame  training {trainingTicks * microseconds,6:F2} us/frame ({(double)steps / FramesPerEpisode:F1} steps)"));
}

double lastAverage = lastScores / (double)Math.Min(5, episodes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First episode {firstScore}, last five episodes {lastAverage:F1} on average."));
return lastAverage > firstScore ? 0 : 1;
