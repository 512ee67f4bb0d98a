namespace TeachOS.Fuzzing
{
    /// <summary>
    /// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a
    /// 64-bit counter scrambled by two multiply-xorshift rounds. Tiny, fast, and good enough to choose
    /// syscall arguments. Each fuzzed call gets its own generator, made from the run's seed and the
    /// call's index (<see cref="ForCall"/>): call 1234 of seed 7 has the same number and arguments
    /// whatever ran before it, so a failing call can be shown, and re-run, on its own.
    /// </summary>
    public struct SplitMix
    {
        private const ulong GoldenGamma = 0x9E3779B97F4A7C15;      // 2^64 / the golden ratio, odd
        private ulong _state;

        public SplitMix(ulong seed) => _state = seed;

        public static SplitMix ForCall(ulong seed, long index)
        {
            var generator = new SplitMix(seed * 0xD1342543DE82EF95 + (ulong)index * GoldenGamma);
            generator.Next();
            return generator;
        }

        public ulong Next()
        {
            ulong z = _state += GoldenGamma;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        /// <summary>A number in [0, <paramref name="bound"/>).</summary>
        public int Below(int bound) => (int)(Next() % (ulong)bound);

        public bool OneIn(int chances) => Below(chances) == 0;
    }
}
