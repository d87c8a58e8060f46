using System;

namespace BackpropGen
{
    /// <summary>The outcome of <see cref="GradientCheck.Compare{T}"/>: the worst disagreement and where.</summary>
    public readonly struct GradientCheckResult
    {
        /// <summary>Creates a result.</summary>
        public GradientCheckResult(double maxRelativeError, int parameterIndex, double analytic, double numeric)
        {
            MaxRelativeError = maxRelativeError;
            ParameterIndex = parameterIndex;
            Analytic = analytic;
            Numeric = numeric;
        }

        /// <summary>The largest |analytic − numeric| / max(|analytic|, |numeric|, floor) over all parameters.</summary>
        public double MaxRelativeError { get; }

        /// <summary>The canonical index of the parameter with that error.</summary>
        public int ParameterIndex { get; }

        /// <summary>∂C/∂θ at that index from <c>AccumulateGradient</c>.</summary>
        public double Analytic { get; }

        /// <summary>∂C/∂θ at that index by central finite differences.</summary>
        public double Numeric { get; }

        /// <inheritdoc/>
        public override string ToString() =>
            FormattableString.Invariant($"max relative error {MaxRelativeError:E2} at parameter [{ParameterIndex}] (analytic {Analytic:G6}, numeric {Numeric:G6})");
    }

    /// <summary>Checks a network's backpropagation against finite differences of its own loss.</summary>
    public static class GradientCheck
    {
        /// <summary>
        /// Compares <c>AccumulateGradient</c> for one sample with central finite differences
        /// (C(θᵢ + h) − C(θᵢ − h)) / 2h of <c>ComputeLoss</c>, for every parameter, with h = 1e-3 for
        /// float networks and 1e-6 for double ones. Below a gradient of 1e-4 (float) or 1e-8 (double)
        /// the error is measured against that floor, since finite differences carry that much noise.
        /// The network's parameters are restored afterwards (its optimizer state is never touched).
        /// Expect errors around 1e-3 for float and 1e-6 or less for double on a correct network (with
        /// <see cref="NetworkAttribute.FastMath"/>, up to about 0.5 % more per Sigmoid or Tanh layer:
        /// its derivatives are written as for the exact functions);
        /// it is a diagnostic tool: it allocates and runs 2 · ParameterCount forward passes.
        /// </summary>
        public static GradientCheckResult Compare<T>(INetwork<T> network, ReadOnlySpan<T> input, ReadOnlySpan<T> target)
            where T : struct
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            bool single = Numeric<T>.IsSingle;
            double step = single ? 1e-3 : 1e-6;
            double floor = single ? 1e-4 : 1e-8;
            var original = new T[network.ParameterCount];
            network.CopyParametersTo(original);
            var analytic = new T[network.ParameterCount];
            network.AccumulateGradient(input, target, analytic);

            var probe = (T[])original.Clone();
            var worst = new GradientCheckResult(0, 0, Numeric<T>.ToDouble(analytic[0]), double.NaN);
            try
            {
                for (int i = 0; i < probe.Length; i++)
                {
                    double theta = Numeric<T>.ToDouble(original[i]);

                    // Use the step as actually represented, so float rounding of θ ± h does not bias the quotient.
                    T plusValue = Numeric<T>.FromDouble(theta + step);
                    T minusValue = Numeric<T>.FromDouble(theta - step);
                    double width = Numeric<T>.ToDouble(plusValue) - Numeric<T>.ToDouble(minusValue);

                    probe[i] = plusValue;
                    network.LoadParameters(probe);
                    double plus = Numeric<T>.ToDouble(network.ComputeLoss(input, target));
                    probe[i] = minusValue;
                    network.LoadParameters(probe);
                    double minus = Numeric<T>.ToDouble(network.ComputeLoss(input, target));
                    probe[i] = original[i];

                    double numeric = (plus - minus) / width;
                    double exact = Numeric<T>.ToDouble(analytic[i]);
                    double error = Math.Abs(exact - numeric) / Math.Max(floor, Math.Max(Math.Abs(exact), Math.Abs(numeric)));
                    if (i == 0 || error > worst.MaxRelativeError || double.IsNaN(error))
                    {
                        worst = new GradientCheckResult(error, i, exact, numeric);
                    }
                }
            }
            finally
            {
                network.LoadParameters(original);
            }

            return worst;
        }
    }
}
