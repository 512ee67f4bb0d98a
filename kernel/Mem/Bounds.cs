namespace Mem
{
    /// <summary>
    /// Overflow-safe arithmetic for sizes and offsets that come from user space or from a file (an ELF
    /// header, a tar header, a syscall argument). Every such check goes through here, because the
    /// obvious form, <c>offset + length &lt;= limit</c>, is wrong: with offset = 2^64 − 64 the sum wraps
    /// around to a small number and the check passes. Each method below never computes a sum that can
    /// wrap; it compares against what is left instead.
    /// </summary>
    public static class Bounds
    {
        /// <summary>True if [offset, offset + length) lies inside [0, limit), without overflow.</summary>
        public static bool Fits(ulong offset, ulong length, ulong limit) =>
            offset <= limit && length <= limit - offset;

        /// <summary>True if [start, start + length) lies inside [low, high), without overflow.</summary>
        public static bool Within(ulong start, ulong length, ulong low, ulong high) =>
            start >= low && start <= high && length <= high - start;

        /// <summary>a + b, or false if the sum does not fit in 64 bits.</summary>
        public static bool TryAdd(ulong a, ulong b, out ulong sum)
        {
            sum = a + b;
            return sum >= a;
        }

        /// <summary>a × b, or false if the product does not fit in 64 bits.</summary>
        public static bool TryMultiply(ulong a, ulong b, out ulong product)
        {
            product = a * b;
            return a == 0 || product / a == b;
        }

        /// <summary>Rounds up to a multiple of <paramref name="alignment"/> (a power of two), or false on overflow.</summary>
        public static bool TryAlignUp(ulong value, ulong alignment, out ulong aligned)
        {
            aligned = (value + alignment - 1) & ~(alignment - 1);
            return aligned >= value;
        }
    }
}
