using System;

namespace BackpropGen.Evolution
{
    /// <summary>
    /// The one ordering both optimizers use: by fitness, NaN below everything, equal values tied.
    /// Stable merge sort over preallocated buffers, so ranking allocates nothing and ties keep
    /// candidate order.
    /// </summary>
    internal static class FitnessRanking
    {
        /// <summary>Whether <paramref name="a"/> ranks strictly above <paramref name="b"/> (NaN ranks last).</summary>
        public static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);

        /// <summary>Writes candidate indices into <paramref name="order"/>, best first.</summary>
        public static void SortBestFirst(ReadOnlySpan<double> fitness, int[] order, int[] scratch)
        {
            for (int i = 0; i < fitness.Length; i++)
            {
                order[i] = i;
            }

            for (int width = 1; width < fitness.Length; width *= 2)
            {
                for (int start = 0; start < fitness.Length; start += 2 * width)
                {
                    int middle = Math.Min(start + width, fitness.Length);
                    int end = Math.Min(start + (2 * width), fitness.Length);
                    int left = start, right = middle, k = start;
                    while (left < middle && right < end)
                    {
                        // Take from the right only when strictly better: equal fitness keeps candidate order.
                        scratch[k++] = Better(fitness[order[right]], fitness[order[left]]) ? order[right++] : order[left++];
                    }

                    while (left < middle)
                    {
                        scratch[k++] = order[left++];
                    }

                    while (right < end)
                    {
                        scratch[k++] = order[right++];
                    }
                }

                Array.Copy(scratch, order, fitness.Length);
            }
        }

        /// <summary>
        /// Centered ranks (OpenAI ES): the worst candidate gets −0.5, the best +0.5, evenly between;
        /// tied candidates (NaN among them) share the mean of their ranks, so a generation of equal or
        /// NaN fitness moves nothing.
        /// </summary>
        public static void CenteredRanks(ReadOnlySpan<double> fitness, int[] order, int[] scratch, double[] utility)
        {
            SortBestFirst(fitness, order, scratch);
            int count = fitness.Length;
            int run = 0;
            while (run < count)
            {
                int end = run + 1;
                while (end < count && Tied(fitness[order[run]], fitness[order[end]]))
                {
                    end++;
                }

                // Positions run … end − 1 (best first) are ranks count − 1 − position (worst = 0).
                double meanRank = (count - 1) - ((run + end - 1) / 2.0);
                double value = count > 1 ? (meanRank / (count - 1)) - 0.5 : 0;
                for (int i = run; i < end; i++)
                {
                    utility[order[i]] = value;
                }

                run = end;
            }
        }

        private static bool Tied(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || a == b;
    }
}
