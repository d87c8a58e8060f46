using System;
using Samples.Walkthrough;

// The worked example of docs/math.md: one training step of a 2-2-2 network, written out by the
// generated ExplainStep with every equation and every number, then the question learners ask about
// a hidden weight, answered with the numbers of this step.
var network = new TinyNet();

// Canonical order: w¹₀₀ w¹₀₁ w¹₁₀ w¹₁₁ b¹₀ b¹₁, then w²₀₀ w²₀₁ w²₁₀ w²₁₁ b²₀ b²₁.
network.LoadParameters(new[] { 0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60 });
double[] input = { 0.05, 0.10 };
double[] target = { 0.01, 0.99 };

double loss = network.ExplainStep(input, target, learningRate: 0.5, Console.Out);
Console.WriteLine();
Console.WriteLine("Loss before the step: " + loss.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

Console.WriteLine();
Console.WriteLine("""
    How does ∂C/∂w¹₀₀ reach the loss? w¹₀₀ feeds only z¹₀, so ∂C/∂w¹₀₀ = ∂z¹₀/∂w¹₀₀ · ∂C/∂z¹₀ = a⁰₀ · δ¹₀.
    Its neuron's output a¹₀ then reaches the loss along two paths, one through each output neuron:
      path 1: a¹₀ → z²₀ (weight w²₀₀) → a²₀ → C, carrying w²₀₀ δ²₀
      path 2: a¹₀ → z²₁ (weight w²₁₀) → a²₁ → C, carrying w²₁₀ δ²₁
    The chain rule adds the paths: δ¹₀ = σ'(z¹₀) · (w²₀₀ δ²₀ + w²₁₀ δ²₁). The weights w²ₘ₀ are constants
    during the step (not functions of a¹₀), so no ∂w/∂a term appears; δ²ₘ already holds everything
    downstream of z²ₘ. Above, the line "δ¹₀ = (w²₀₀·δ²₀ + w²₁₀·δ²₁)·(a¹₀·(1 − a¹₀))" is that sum with its
    numbers, and "∂C/∂w¹₀₀ = a⁰₀·δ¹₀" the product: the same rule serves every weight of every layer.
    """);
