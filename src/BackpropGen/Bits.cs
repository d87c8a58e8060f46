using System;
#if NETSTANDARD2_0
using System.Runtime.CompilerServices;
#else
using System.Runtime.InteropServices;
#endif

namespace BackpropGen
{
    /// <summary>
    /// Reinterpreting a number's bits without System.Runtime.CompilerServices.Unsafe where the target
    /// has another way: netstandard2.1 (Unity) has no Unsafe and must not depend on System.Memory's
    /// packages, so only the netstandard2.0 build uses Unsafe (which it gets with System.Memory).
    /// </summary>
    internal static class Bits
    {
#if NETSTANDARD2_0
        public static int ToInt32(float value) => Unsafe.As<float, int>(ref value);

        public static float ToSingle(int bits) => Unsafe.As<int, float>(ref bits);

        /// <summary><paramref name="value"/> as T, which must be float.</summary>
        public static T FromSingle<T>(float value)
            where T : struct => Unsafe.As<float, T>(ref value);

        /// <summary><paramref name="value"/> as T, which must be double.</summary>
        public static T FromDouble<T>(double value)
            where T : struct => Unsafe.As<double, T>(ref value);

        /// <summary><paramref name="value"/> (a float) as float.</summary>
        public static float ToSingle<T>(T value)
            where T : struct => Unsafe.As<T, float>(ref value);

        /// <summary><paramref name="value"/> (a double) as double.</summary>
        public static double ToDouble<T>(T value)
            where T : struct => Unsafe.As<T, double>(ref value);
#else
        public static int ToInt32(float value) => BitConverter.SingleToInt32Bits(value);

        public static float ToSingle(int bits) => BitConverter.Int32BitsToSingle(bits);

        /// <summary><paramref name="value"/> as T, which must be float.</summary>
        public static T FromSingle<T>(float value)
            where T : struct => MemoryMarshal.Cast<float, T>(MemoryMarshal.CreateSpan(ref value, 1))[0];

        /// <summary><paramref name="value"/> as T, which must be double.</summary>
        public static T FromDouble<T>(double value)
            where T : struct => MemoryMarshal.Cast<double, T>(MemoryMarshal.CreateSpan(ref value, 1))[0];

        /// <summary><paramref name="value"/> (a float) as float.</summary>
        public static float ToSingle<T>(T value)
            where T : struct => MemoryMarshal.Cast<T, float>(MemoryMarshal.CreateSpan(ref value, 1))[0];

        /// <summary><paramref name="value"/> (a double) as double.</summary>
        public static double ToDouble<T>(T value)
            where T : struct => MemoryMarshal.Cast<T, double>(MemoryMarshal.CreateSpan(ref value, 1))[0];
#endif

        public static long ToInt64(double value) => BitConverter.DoubleToInt64Bits(value);

        public static double ToDouble(long bits) => BitConverter.Int64BitsToDouble(bits);
    }
}
