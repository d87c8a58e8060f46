using System;
using System.Buffers.Binary;
using System.Globalization;
using BackpropGen.Onnx.Proto;

namespace BackpropGen.Onnx
{
    /// <summary>The numbers of a float or double initializer, from raw_data (little-endian) or the typed fields.</summary>
    internal static class TensorValues
    {
        /// <summary>Far above the generator's limits, low enough that no product of two overflows.</summary>
        public const long MaxDimension = 1 << 20;

        public static double[] Read(int index, NodeProto node, TensorProto tensor, long expected)
        {
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            {
                throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" is stored in an external file, which BackpropGen does not read");
            }

            long declared = 1;
            foreach (long dim in tensor.Dims)
            {
                if (dim < 0 || dim > MaxDimension)
                {
                    throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" has shape " + OnnxImporter.Shape(tensor));
                }

                declared *= dim;
            }

            if (declared != expected)
            {
                throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" has shape " + OnnxImporter.Shape(tensor) + ", " + declared.ToString(CultureInfo.InvariantCulture) + " values where the layer needs " + expected.ToString(CultureInfo.InvariantCulture));
            }

            int size;
            switch ((TensorProto.Types.DataType)tensor.DataType)
            {
                case TensorProto.Types.DataType.Float:
                    size = sizeof(float);
                    break;
                case TensorProto.Types.DataType.Double:
                    size = sizeof(double);
                    break;
                default:
                    throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" holds " + TypeName(tensor.DataType) + "; BackpropGen reads float and double");
            }

            long stored;
            if (!tensor.RawData.IsEmpty)
            {
                stored = tensor.RawData.Length % size == 0 ? tensor.RawData.Length / size : -1;
            }
            else
            {
                stored = size == sizeof(float) ? tensor.FloatData.Count : tensor.DoubleData.Count;
            }

            if (stored != expected)
            {
                throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" has shape " + OnnxImporter.Shape(tensor) + " but holds " + (stored < 0 ? tensor.RawData.Length.ToString(CultureInfo.InvariantCulture) + " bytes of data" : stored.ToString(CultureInfo.InvariantCulture) + " values"));
            }

            // Allocated only now: the data is there, so a shape that claims billions of values cannot ask for them.
            var values = new double[expected];
            if (!tensor.RawData.IsEmpty)
            {
                ReadOnlySpan<byte> raw = tensor.RawData.Span;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = size == sizeof(float)
                        ? Bits.ToSingle(BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * 4)))
                        : BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * 8)));
                }
            }
            else
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = size == sizeof(float) ? tensor.FloatData[i] : tensor.DoubleData[i];
                }
            }

            foreach (double value in values)
            {
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    throw OnnxImporter.Invalid(index, node, "its initializer \"" + tensor.Name + "\" holds NaN or infinity");
                }
            }

            return values;
        }

        public static string TypeName(int dataType) =>
            Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
                ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
                : "data type " + dataType.ToString(CultureInfo.InvariantCulture);
    }
}
