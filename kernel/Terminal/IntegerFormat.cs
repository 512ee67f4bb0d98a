using System;

namespace Terminal
{
    /// <summary>
    /// Writes an integer into a caller's buffer the way the format of an interpolation hole asks
    /// (ConsoleInterpolatedStringHandler): no format or <c>d</c> is decimal, <c>d8</c> decimal with at
    /// least 8 digits; <c>x</c> is hexadecimal, <c>x16</c> hexadecimal with at least 16 digits, zero
    /// padded; <c>X</c> the same in capitals. As in .NET, the hex of a negative number is its two's
    /// complement at the width of its type (-1 as an int is ffffffff), and there is no "0x": the text
    /// around the hole says it, where the reader sees it.
    ///
    /// Pure (no console, no allocation), so tests/Host checks it on the host.
    /// </summary>
    public static class IntegerFormat
    {
        /// <summary>The most digits a format may ask for: a 64-bit number in binary would need no more.</summary>
        public const int MaximumDigits = 64;

        /// <summary>A buffer of this many characters holds any result: the digits and a minus sign.</summary>
        public const int MaximumLength = MaximumDigits + 1;

        /// <summary>
        /// Writes <paramref name="value"/>, a signed integer of <paramref name="bits"/> bits (32 for an int,
        /// 64 for a long), into <paramref name="into"/>. Returns the number of characters written, or -1
        /// when <paramref name="format"/> is not one of the formats above.
        /// </summary>
        public static int Write(Span<char> into, long value, int bits, string format)
        {
            if (!TryRead(format, out char kind, out int digits)) return -1;
            if (kind != 'd')
            {
                ulong twosComplement = bits >= 64 ? (ulong)value : (ulong)value & ((1UL << bits) - 1);
                return Number.FormatInto(into, twosComplement, 16, digits, upperCase: kind == 'X');
            }
            if (value >= 0) return Number.FormatInto(into, (ulong)value, 10, digits);
            into[0] = '-';
            // -(value + 1) + 1 is the magnitude even for long.MinValue, whose negation does not fit a long.
            return 1 + Number.FormatInto(into.Slice(1), (ulong)(-(value + 1)) + 1, 10, digits);
        }

        /// <summary>Writes an unsigned <paramref name="value"/>; the rest as the signed overload.</summary>
        public static int Write(Span<char> into, ulong value, string format)
        {
            if (!TryRead(format, out char kind, out int digits)) return -1;
            return Number.FormatInto(into, value, kind == 'd' ? 10 : 16, digits, upperCase: kind == 'X');
        }

        /// <summary>
        /// Reads a format: a letter (d, D, x or X; none means d) and an optional count of digits. Read
        /// by hand, not with int.Parse and Substring, because those allocate.
        /// </summary>
        private static bool TryRead(string format, out char kind, out int digits)
        {
            kind = 'd';
            digits = 1;
            if (format == null || format.Length == 0) return true;

            kind = format[0] == 'D' ? 'd' : format[0];
            if (kind != 'd' && kind != 'x' && kind != 'X') return false;
            if (format.Length == 1) return true;

            digits = 0;
            for (int i = 1; i < format.Length; i++)
            {
                char c = format[i];
                if (c < '0' || c > '9') return false;
                digits = digits * 10 + (c - '0');
                if (digits > MaximumDigits) return false;
            }
            return true;
        }
    }
}
