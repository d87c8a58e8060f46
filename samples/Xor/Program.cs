using System;
using System.Globalization;
using Samples.Xor;

// Trains XOR with plain online gradient descent through the generated TrainStep, then prints
// what the network learned. Deterministic: the same seed prints the same numbers every run.
float[][] inputs =
{
    new[] { 0f, 0f },
    new[] { 0f, 1f },
    new[] { 1f, 0f },
    new[] { 1f, 1f },
};
float[][] targets =
{
    new[] { 0f },
    new[] { 1f },
    new[] { 1f },
    new[] { 0f },
};

const int Seed = 7;
const int Epochs = 2000;
const float LearningRate = 0.5f;

var network = new XorNet();
network.InitializeParameters(Seed);
Console.WriteLine($"XorNet: {XorNet.InputCount} inputs, {XorNet.OutputCount} output, {XorNet.ParameterCount} parameters (seed {Seed}).");

for (int epoch = 1; epoch <= Epochs; epoch++)
{
    float loss = 0f;
    for (int i = 0; i < inputs.Length; i++)
    {
        loss += network.TrainStep(inputs[i], targets[i], LearningRate);
    }

    if (epoch == 1 || epoch % 250 == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch,5}  mean loss {loss / inputs.Length:F6}"));
    }
}

Console.WriteLine();
Console.WriteLine("What it learned:");
Span<float> output = stackalloc float[XorNet.OutputCount];
int correct = 0;
for (int i = 0; i < inputs.Length; i++)
{
    network.Forward(inputs[i], output);
    bool right = MathF.Round(output[0]) == targets[i][0];
    correct += right ? 1 : 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {inputs[i][0]} XOR {inputs[i][1]} = {output[0]:F4}  (want {targets[i][0]}){(right ? string.Empty : "  wrong")}"));
}

Console.WriteLine($"{correct}/4 correct.");
return correct == 4 ? 0 : 1;
