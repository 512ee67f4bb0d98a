namespace System
{
    /// <summary>
    /// Integer formatting and parsing. <see cref="FormatInto"/> writes into a caller's buffer and
    /// allocates nothing, so the kernel can print numbers from a trap handler; the Format overloads
    /// wrap it for ToString().
    /// </summary>
    public static class Number
    {
        private const string Digits = "0123456789abcdef";

        /// <summary>
        /// Writes <paramref name="value"/> in base 10 or 16 into <paramref name="buffer"/>, zero-padded
        /// to at least <paramref name="minimumDigits"/>. Returns the number of characters written.
        /// </summary>
        public static int FormatInto(Span<char> buffer, ulong value, int radix, int minimumDigits = 1, bool upperCase = false)
        {
            Span<char> reversed = stackalloc char[64];
            int count = 0;
            do
            {
                char digit = Digits[(int)(value % (ulong)radix)];
                reversed[count++] = upperCase && digit >= 'a' ? (char)(digit - 'a' + 'A') : digit;
                value /= (ulong)radix;
            } while (value != 0);
            while (count < minimumDigits && count < reversed.Length) reversed[count++] = '0';

            if (count > buffer.Length) count = buffer.Length;
            for (int i = 0; i < count; i++) buffer[i] = reversed[count - 1 - i];
            return count;
        }

        /// <summary>Signed decimal: like <see cref="FormatInto"/> but with a leading '-' when negative.</summary>
        public static int FormatSignedInto(Span<char> buffer, long value)
        {
            if (value >= 0) return FormatInto(buffer, (ulong)value, 10);
            buffer[0] = '-';
            return 1 + FormatInto(buffer.Slice(1), (ulong)(-(value + 1)) + 1, 10);
        }

        public static string Format(long value)
        {
            Span<char> buffer = stackalloc char[24];
            return new string(buffer.Slice(0, FormatSignedInto(buffer, value)));
        }

        public static string Format(ulong value)
        {
            Span<char> buffer = stackalloc char[24];
            return new string(buffer.Slice(0, FormatInto(buffer, value, 10)));
        }

        /// <summary>Formats with a .NET-style format string: "D", "D8", "x", "X", "x16", "X8".</summary>
        public static string Format(long value, string format)
        {
            if (format == null || format.Length == 0) return Format(value);
            char kind = format[0];
            int width = format.Length > 1 ? int.Parse(format.Substring(1)) : 1;
            Span<char> buffer = stackalloc char[72];
            int count;
            if (kind == 'x' || kind == 'X')
                count = FormatInto(buffer, (ulong)value, 16, width, kind == 'X');
            else if (kind == 'd' || kind == 'D')
                count = value < 0 ? FormatSignedInto(buffer, value) : FormatInto(buffer, (ulong)value, 10, width);
            else
                throw new FormatException("Format specifier was invalid.");
            return new string(buffer.Slice(0, count));
        }

        public static string Format(ulong value, string format)
        {
            if (format != null && format.Length > 0 && (format[0] == 'd' || format[0] == 'D'))
            {
                int width = format.Length > 1 ? int.Parse(format.Substring(1)) : 1;
                Span<char> buffer = stackalloc char[72];
                return new string(buffer.Slice(0, FormatInto(buffer, value, 10, width)));
            }
            return Format((long)value, format);
        }

        /// <summary>Parses an optionally signed decimal, or hexadecimal with a "0x" prefix.</summary>
        public static bool TryParse(ReadOnlySpan<char> text, out long result)
        {
            result = 0;
            if (!TryParseMagnitude(text, out ulong value, out bool negative)) return false;
            if (value > (ulong)long.MaxValue + (negative ? 1UL : 0UL)) return false;
            result = negative ? (long)(0 - value) : (long)value;
            return true;
        }

        /// <summary>
        /// Parses an unsigned decimal, or hexadecimal with a "0x" prefix, up to 2^64 - 1: a 64-bit mask
        /// does not fit a long. A '+' may lead; a '-' only before zero ("-0" is 0, as in .NET).
        /// </summary>
        public static bool TryParse(ReadOnlySpan<char> text, out ulong result)
        {
            result = 0;
            if (!TryParseMagnitude(text, out ulong value, out bool negative) || (negative && value != 0)) return false;
            result = value;
            return true;
        }

        /// <summary>The sign and the digits' value, refusing a value past 2^64 - 1.</summary>
        private static bool TryParseMagnitude(ReadOnlySpan<char> text, out ulong value, out bool negative)
        {
            value = 0;
            int at = 0;
            negative = false;
            if (text.Length > 0 && (text[0] == '-' || text[0] == '+')) { negative = text[0] == '-'; at = 1; }
            ulong radix = 10;
            if (text.Length - at > 2 && text[at] == '0' && (text[at + 1] == 'x' || text[at + 1] == 'X')) { radix = 16; at += 2; }
            if (at == text.Length) return false;

            for (; at < text.Length; at++)
            {
                int digit = DigitValue(text[at]);
                if (digit < 0 || (ulong)digit >= radix) return false;
                if (value > (ulong.MaxValue - (ulong)digit) / radix) return false;   // overflow
                value = value * radix + (ulong)digit;
            }
            return true;
        }

        public static bool TryParse(ReadOnlySpan<char> text, out int result)
        {
            result = 0;
            if (!TryParse(text, out long wide) || wide < int.MinValue || wide > int.MaxValue) return false;
            result = (int)wide;
            return true;
        }

        private static int DigitValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
