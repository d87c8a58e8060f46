using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using BackpropGen;
using BackpropGen.Evolution;
using Samples.Evolution;

// dotnet run --project samples/Evolution -- [generations] [es|ga]
// The chaser of samples/Agent, learned here from the game's score alone: each generation every
// candidate plays the same few episodes, and the optimizer is told the scores.
int generations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
string method = args.Length > 1 ? args[1] : "es";
const int PopulationSize = 64, EpisodesPerCandidate = 3;

var start = default(EvolvedChaser);
start.InitializeParameters(seed: 1);
var startParameters = new float[EvolvedChaser.ParameterCount];
start.CopyParametersTo(startParameters);
IAskTell<float> optimizer = method == "ga"
    ? new GeneticAlgorithm<float>(EvolvedChaser.ParameterCount, PopulationSize, mutationSigma: 0.1, seed: 7, startParameters) { InitialSigma = 0.5 }
    : new EvolutionStrategy<float>(EvolvedChaser.ParameterCount, PopulationSize, sigma: 0.1, learningRate: 0.03, seed: 7, startParameters);

// One network per core; struct networks, used in place.
var networks = new EvolvedChaser[Environment.ProcessorCount];
var population = new float[PopulationSize * EvolvedChaser.ParameterCount];
var fitness = new float[PopulationSize];
int generation = 0;
FitnessFunction<EvolvedChaser, float> play = (ref EvolvedChaser brain, int candidate) =>
{
    // Every candidate of a generation plays the same episodes: the scores compare brains, not luck.
    float total = 0;
    for (int episode = 0; episode < EpisodesPerCandidate; episode++)
    {
        total += Arena.Play(ref brain, (generation * 100) + episode, out _);
    }

    return total / EpisodesPerCandidate;
};

// A fixed test: ten episodes no generation trained on.
static (float Score, double Catches) Test(ReadOnlySpan<float> parameters)
{
    var brain = default(EvolvedChaser);
    brain.LoadParameters(parameters);
    float score = 0;
    int catches = 0;
    for (int episode = 0; episode < 10; episode++)
    {
        score += Arena.Play(ref brain, 1_000_000 + episode, out int caught);
        catches += caught;
    }

    return (score / 10, catches / 10.0);
}

var before = Test(startParameters);
Console.WriteLine($"EvolvedChaser: {EvolvedChaser.Topology}, {EvolvedChaser.ParameterCount} parameters; {(method == "ga" ? "genetic algorithm" : "evolution strategy")}, population {PopulationSize}, {networks.Length} workers.");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Before evolution: test score {before.Score:F1}, {before.Catches:F1}/{Arena.Frames} frames in catch range."));
var clock = new Stopwatch();
for (generation = 1; generation <= generations; generation++)
{
    clock.Restart();
    optimizer.Ask(population);
    Population.Evaluate(networks, population, fitness, play);
    optimizer.Tell(fitness);
    clock.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"generation {generation,3}  best {fitness.Max(),6:F1}  mean {fitness.Average(),6:F1}  {clock.Elapsed.TotalMilliseconds,7:F2} ms/generation"));
}

// The ES's mean is its answer; the GA's is its best candidate.
var answer = new float[EvolvedChaser.ParameterCount];
if (optimizer is EvolutionStrategy<float> es)
{
    es.CopyMeanTo(answer);
}
else
{
    optimizer.Best.CopyTo(answer);
}

var after = Test(answer);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"After {generations} generations: test score {after.Score:F1}, {after.Catches:F1}/{Arena.Frames} frames in catch range."));
return after.Score > before.Score ? 0 : 1;
