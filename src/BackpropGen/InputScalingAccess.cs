using System;

namespace BackpropGen
{
    /// <summary>
    /// Input scaling (<see cref="IReadOnlyInputScaling{T}"/>) for generic code that holds a network as a
    /// type parameter: an interface check, no reflection. A struct network is boxed once to be set and
    /// copied back into the caller's variable, so the change is not lost in the box.
    /// </summary>
    internal static class InputScalingAccess
    {
        /// <summary>True when the network has input scaling.</summary>
        public static bool Has<TNetwork, T>(TNetwork network)
            where T : struct => network is IReadOnlyInputScaling<T>;

        /// <summary>The network's μ and s, or null when it has no input scaling.</summary>
        public static InputScalingValues<T>? Copy<TNetwork, T>(TNetwork network, int inputCount)
            where T : struct
        {
            if (network is not IReadOnlyInputScaling<T> scaling)
            {
                return null;
            }

            var values = new InputScalingValues<T>(new T[inputCount], new T[inputCount]);
            scaling.CopyInputScalingTo(values.Offset, values.Scale);
            return values;
        }

        /// <summary>Sets μ and s (checked by the network's own SetInputScaling).</summary>
        /// <exception cref="InvalidOperationException">The network has no input scaling it can set.</exception>
        public static void Set<TNetwork, T>(ref TNetwork network, ReadOnlySpan<T> offset, ReadOnlySpan<T> scale)
            where T : struct
        {
            if (network is not IInputScaling<T> scaling)
            {
                throw new InvalidOperationException(network is IReadOnlyInputScaling<T>
                    ? "The network's input scaling is baked ([BakedParameters]) and cannot be changed."
                    : "The network has no input scaling: declare it with [Network(…, InputScaling = true)].");
            }

            scaling.SetInputScaling(offset, scale);
            if (scaling is TNetwork changed)
            {
                // A struct was boxed by the check above; its new values go back into the caller's variable.
                network = changed;
            }
        }
    }

    /// <summary>A network's input scaling as two arrays of InputCount values: μ and s.</summary>
    internal sealed class InputScalingValues<T>
        where T : struct
    {
        public InputScalingValues(T[] offset, T[] scale)
        {
            Offset = offset;
            Scale = scale;
        }

        public T[] Offset { get; }

        public T[] Scale { get; }
    }
}
