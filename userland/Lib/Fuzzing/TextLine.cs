namespace TeachOS.Fuzzing
{
    /// <summary>
    /// One line of text built without allocating: the fuzzer's child process describes calls while it
    /// makes them (--trace), and it must not grow its heap then (a fuzzed sbrk may shrink it under the
    /// allocator's feet). The bytes live in the program's static data, not the heap.
    /// </summary>
    public static unsafe class TextLine
    {
        private const int Capacity = 512;
        private static LineBytes s_line;
        private static int s_length;

        private struct LineBytes { public fixed byte Bytes[Capacity]; }

        public static void Clear() => s_length = 0;

        public static void Append(string text)
        {
            for (int i = 0; i < text.Length; i++) AppendByte((byte)text[i]);
        }

        public static void AppendByte(byte value)
        {
            if (s_length < Capacity) s_line.Bytes[s_length++] = value;
        }

        public static void AppendDecimal(long value)
        {
            if (value < 0)
            {
                AppendByte((byte)'-');
                if (value == long.MinValue) { Append("9223372036854775808"); return; }
                value = -value;
            }
            byte* digits = stackalloc byte[20];
            int count = 0;
            do { digits[count++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
            while (count > 0) AppendByte(digits[--count]);
        }

        public static void AppendHex(ulong value)
        {
            Append("0x");
            bool started = false;
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                int digit = (int)(value >> shift) & 15;
                if (digit == 0 && !started && shift > 0) continue;
                started = true;
                AppendByte((byte)(digit < 10 ? '0' + digit : 'a' + digit - 10));
            }
        }

        /// <summary>A number as a person reads it: small ones in decimal, addresses and masks in hex.</summary>
        public static void AppendNumber(ulong value)
        {
            long signed = (long)value;
            if (signed >= -65536 && signed <= 65536) AppendDecimal(signed); else AppendHex(value);
        }

        /// <summary>Writes the line and a newline to <paramref name="descriptor"/>, and clears it.</summary>
        public static void WriteLine(int descriptor = 1)
        {
            AppendByte((byte)'\n');
            fixed (byte* bytes = s_line.Bytes) Sys.Write(descriptor, new System.ReadOnlySpan<byte>(bytes, s_length));
            s_length = 0;
        }
    }
}
