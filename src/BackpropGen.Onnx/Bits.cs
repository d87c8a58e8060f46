using System;
using System.Runtime.InteropServices;

namespace BackpropGen.Onnx
{
    /// <summary>float ↔ int bits on netstandard2.0, which lacks BitConverter.SingleToInt32Bits.</summary>
    internal static class Bits
    {
        public static float ToSingle(int bits)
        {
            Span<int> cell = stackalloc int[1];
            cell[0] = bits;
            return MemoryMarshal.Cast<int, float>(cell)[0];
        }

        public static int FromSingle(float value)
        {
            Span<float> cell = stackalloc float[1];
            cell[0] = value;
            return MemoryMarshal.Cast<float, int>(cell)[0];
        }
    }
}
