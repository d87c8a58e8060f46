namespace BackpropGen
{
    /// <summary>
    /// The pseudo-random generator behind <see cref="IInferenceNetwork{T}.InitializeParameters"/>: SplitMix64,
    /// chosen because it is tiny, fast and defined entirely by integer arithmetic, so the same seed
    /// gives the same sequence on every platform and runtime (unlike <see cref="System.Random"/>,
    /// whose algorithm is an implementation detail).
    /// </summary>
    public struct ParameterRandom
    {
        private ulong _state;

        /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
        public ParameterRandom(int seed)
        {
            // Spread the 32-bit seed over the 64-bit state so nearby seeds start far apart.
            _state = unchecked((ulong)(uint)seed * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL);
        }

        /// <summary>The whole generator state, for checkpoints that must continue the same sequence.</summary>
        internal ulong State
        {
            get => _state;
            set => _state = value;
        }

        /// <summary>The next 64 random bits.</summary>
        public ulong NextUInt64()
        {
            unchecked
            {
                ulong z = _state += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        /// <summary>A double uniformly distributed in [0, 1), from the top 53 bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

        /// <summary>A double uniformly distributed in [−<paramref name="limit"/>, <paramref name="limit"/>).</summary>
        public double NextUniform(double limit) => (2.0 * NextDouble() - 1.0) * limit;

        /// <summary>
        /// Fills <paramref name="destination"/> in order with <c>(float)NextUniform(limit)</c>: the same draws
        /// as that many calls (what a large generated network's InitializeParameters uses per layer).
        /// </summary>
        public void FillUniform(System.Span<float> destination, double limit)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)NextUniform(limit);
            }
        }

        /// <summary>Fills <paramref name="destination"/> in order with <c>NextUniform(limit)</c>.</summary>
        public void FillUniform(System.Span<double> destination, double limit)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = NextUniform(limit);
            }
        }
    }
}
