using System;
using System.Runtime.InteropServices;

namespace BackpropGen
{
    /// <summary>
    /// The little arithmetic the runtime helpers need on a network's number type, without generic
    /// math (netstandard2.0) and without boxing: <c>typeof(T)</c> checks fold away in the JIT.
    /// </summary>
    internal static class Numeric<T>
        where T : struct
    {
        public static bool IsSingle => typeof(T) == typeof(float);

        public static Precision Precision => IsSingle ? Precision.Single
            : typeof(T) == typeof(double) ? Precision.Double
            : throw new NotSupportedException("Networks use float or double, not " + typeof(T).Name + ".");

        public static T FromDouble(double value)
        {
            if (IsSingle)
            {
                return Bits.FromSingle<T>((float)value);
            }

            _ = Precision;
            return Bits.FromDouble<T>(value);
        }

        public static double ToDouble(T value) => IsSingle ? Bits.ToSingle(value) : Bits.ToDouble(value);

        /// <summary>Σ vᵢ², summed in double.</summary>
        public static double SumOfSquares(ReadOnlySpan<T> values)
        {
            double sum = 0;
            if (IsSingle)
            {
                ReadOnlySpan<float> singles = MemoryMarshal.Cast<T, float>(values);
                for (int i = 0; i < singles.Length; i++)
                {
                    sum += (double)singles[i] * singles[i];
                }
            }
            else
            {
                ReadOnlySpan<double> doubles = MemoryMarshal.Cast<T, double>(values);
                for (int i = 0; i < doubles.Length; i++)
                {
                    sum += doubles[i] * doubles[i];
                }
            }

            return sum;
        }

        public static void Scale(Span<T> values, double factor)
        {
            if (IsSingle)
            {
                Span<float> singles = MemoryMarshal.Cast<T, float>(values);
                float f = (float)factor;
                for (int i = 0; i < singles.Length; i++)
                {
                    singles[i] *= f;
                }
            }
            else
            {
                Span<double> doubles = MemoryMarshal.Cast<T, double>(values);
                for (int i = 0; i < doubles.Length; i++)
                {
                    doubles[i] *= factor;
                }
            }
        }
    }
}
