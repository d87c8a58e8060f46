using System.Collections.Generic;
using ScottPlot;

namespace Samples.Shared
{
    /// <summary>The loss-curve PNG of the samples that train with Trainer (linked into each; ScottPlot renders headless).</summary>
    internal static class LossCurves
    {
        /// <summary>Training and, when there is one, validation loss per epoch, from the Trainer's progress reports.</summary>
        public static void Save(IReadOnlyList<double> training, IReadOnlyList<double> validation, string title, string path)
        {
            var plot = new Plot();
            double[] epochs = new double[training.Count];
            for (int i = 0; i < epochs.Length; i++)
            {
                epochs[i] = i + 1;
            }

            var train = plot.Add.Scatter(epochs, ToArray(training));
            train.LegendText = "training loss";
            train.MarkerSize = 0;
            if (validation.Count == training.Count)
            {
                var held = plot.Add.Scatter(epochs, ToArray(validation));
                held.LegendText = "validation loss";
                held.MarkerSize = 0;
            }

            plot.Title(title);
            plot.XLabel("epoch");
            plot.YLabel("loss");
            plot.ShowLegend(Alignment.UpperRight);
            plot.SavePng(path, 800, 400);
        }

        private static double[] ToArray(IReadOnlyList<double> values)
        {
            var array = new double[values.Count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = values[i];
            }

            return array;
        }
    }
}
