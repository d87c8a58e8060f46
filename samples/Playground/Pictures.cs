using System.Collections.Generic;
using ScottPlot;

namespace Samples.Playground
{
    /// <summary>The decision boundary with the training points (the loss curves are drawn by <c>samples/Shared/LossCurves.cs</c>).</summary>
    internal static class Pictures
    {
        private const double Extent = 1.05;
        private const int Cells = 120;

        /// <summary>The network's P(class 1) over the plane as a heatmap, the points on top.</summary>
        public static void DecisionBoundary(PlaygroundNet network, float[] inputs, float[] targets, string title, string path)
        {
            var plot = new Plot();
            var probability = new double[Cells, Cells];
            for (int row = 0; row < Cells; row++)
            {
                // Row 0 is drawn at the top.
                float y = (float)(Extent - ((row + 0.5) * 2 * Extent / Cells));
                for (int column = 0; column < Cells; column++)
                {
                    float x = (float)(-Extent + ((column + 0.5) * 2 * Extent / Cells));
                    network.Forward(x, y, out float classOne);
                    probability[row, column] = classOne;
                }
            }

            var heatmap = plot.Add.Heatmap(probability);
            heatmap.Colormap = new ScottPlot.Colormaps.Balance();
            heatmap.ManualRange = new Range(0, 1);
            heatmap.Position = new CoordinateRect(-Extent, Extent, -Extent, Extent);
            heatmap.Opacity = 0.8;

            for (int label = 0; label < 2; label++)
            {
                var xs = new List<double>();
                var ys = new List<double>();
                for (int i = 0; i < targets.Length; i++)
                {
                    if ((int)targets[i] == label)
                    {
                        xs.Add(inputs[2 * i]);
                        ys.Add(inputs[(2 * i) + 1]);
                    }
                }

                var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
                points.Color = label == 1 ? Colors.DarkRed : Colors.Navy;
                points.MarkerSize = 5;
                points.LegendText = "class " + label;
            }

            plot.Axes.SetLimits(-Extent, Extent, -Extent, Extent);
            plot.Title(title);
            plot.ShowLegend(Alignment.LowerRight);
            plot.SavePng(path, 600, 600);
        }
    }
}
