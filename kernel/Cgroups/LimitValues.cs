using System;

namespace Cgroups
{
    /// <summary>
    /// The text of the control files, both ways, as Linux writes and reads it: a limit is "max" or a
    /// decimal number; memory sizes may end in K, M, G or T (powers of 1024, as Linux's memparse); a
    /// value is followed by a newline. What a user writes is checked whole: anything else (a sign,
    /// a space inside, a number past 64 bits, an empty write) is -EINVAL and changes nothing. Only
    /// surrounding spaces and the newline `echo` adds are ignored.
    /// No allocation: everything is parsed from, and written into, the caller's buffers.
    /// </summary>
    public static class LimitValues
    {
        /// <summary>
        /// Parses "max" (giving <see cref="ControlGroup.Unlimited"/>) or a number, with a size suffix if
        /// <paramref name="sizes"/>. False if the text is not one of those.
        /// </summary>
        public static bool TryParse(ReadOnlySpan<byte> text, bool sizes, out long value)
        {
            value = 0;
            text = Trim(text);
            if (text.Length == 0) return false;
            if (text.Length == 3 && text[0] == 'm' && text[1] == 'a' && text[2] == 'x')
            {
                value = ControlGroup.Unlimited;
                return true;
            }
            int shift = 0;
            if (sizes) shift = SuffixShift(text[text.Length - 1]);
            if (shift > 0) text = text.Slice(0, text.Length - 1);
            if (text.Length == 0) return false;
            ulong number = 0;
            for (int i = 0; i < text.Length; i++)
            {
                byte digit = text[i];
                if (digit < '0' || digit > '9') return false;
                ulong next = number * 10 + (ulong)(digit - '0');
                if (number > ulong.MaxValue / 10 || next < number * 10) return false;     // past 64 bits
                number = next;
            }
            if (shift > 0 && number > (ulong.MaxValue >> shift)) return false;
            number <<= shift;
            // Numbers past a long's range mean "more than there could ever be": the same as "max".
            value = number > long.MaxValue ? ControlGroup.Unlimited : (long)number;
            return true;
        }

        /// <summary>
        /// Parses cpu.max as Linux writes it: "QUOTA PERIOD", "max PERIOD", or the quota alone (the
        /// period is then left as it was), both in µs. On success the two are set; false (and nothing
        /// set) for anything else, a number past a long's range included ("max" only for the quota).
        /// The ranges are the caller's to check (Cgroups/ControlFiles.cs).
        /// </summary>
        public static bool TryParseCpuMax(ReadOnlySpan<byte> text, ref long quota, ref long period)
        {
            text = Trim(text);
            int space = 0;
            while (space < text.Length && text[space] != ' ') space++;
            if (space == text.Length) space = -1;
            ReadOnlySpan<byte> quotaText = space < 0 ? text : text.Slice(0, space);
            long newPeriod = period;
            if (space >= 0 && !TryParseNumber(text.Slice(space + 1), out newPeriod)) return false;
            long newQuota = ControlGroup.Unlimited;
            if (!IsMax(Trim(quotaText)) && !TryParseNumber(quotaText, out newQuota)) return false;
            quota = newQuota;
            period = newPeriod;
            return true;
        }

        // A plain decimal number that fits a long (not "max", no suffix).
        private static bool TryParseNumber(ReadOnlySpan<byte> text, out long value)
        {
            value = 0;
            if (IsMax(Trim(text))) return false;
            return TryParse(text, sizes: false, out value) && value != ControlGroup.Unlimited;
        }

        private static bool IsMax(ReadOnlySpan<byte> text) => text.Length == 3 && text[0] == 'm' && text[1] == 'a' && text[2] == 'x';

        /// <summary>Parses one decimal number (a pid) with nothing else but spaces around it; -1 if there is anything else.</summary>
        public static long ParsePid(ReadOnlySpan<byte> text)
        {
            text = Trim(text);
            if (text.Length == 0 || text.Length > 9) return -1;
            long number = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9') return -1;
                number = number * 10 + (text[i] - '0');
            }
            return number;
        }

        // K, M, G, T: 2^10, 2^20, 2^30, 2^40 (either case, as memparse); 0 for anything else.
        private static int SuffixShift(byte last)
        {
            switch (last | 0x20)          // to lower case
            {
                case 'k': return 10;
                case 'm': return 20;
                case 'g': return 30;
                case 't': return 40;
                default: return 0;
            }
        }

        private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
        {
            int start = 0, end = text.Length;
            while (start < end && IsSpace(text[start])) start++;
            while (end > start && IsSpace(text[end - 1])) end--;
            return text.Slice(start, end - start);
        }

        private static bool IsSpace(byte c) => c == ' ' || c == '\n' || c == '\t' || c == '\r';

        // ---- Writing ----

        /// <summary>Appends "max" for <see cref="ControlGroup.Unlimited"/>, else the number; returns the new length.</summary>
        public static int AppendLimit(Span<byte> buffer, int length, long value) =>
            value == ControlGroup.Unlimited ? AppendText(buffer, length, "max") : AppendNumber(buffer, length, (ulong)value);

        /// <summary>Appends a number in decimal; returns the new length (stops at the buffer's end).</summary>
        public static int AppendNumber(Span<byte> buffer, int length, ulong value)
        {
            Span<byte> digits = stackalloc byte[20];
            int count = 0;
            do
            {
                digits[count++] = (byte)('0' + value % 10);
                value /= 10;
            } while (value != 0);
            while (count > 0 && length < buffer.Length) buffer[length++] = digits[--count];
            return length;
        }

        /// <summary>Appends ASCII text; returns the new length (stops at the buffer's end).</summary>
        public static int AppendText(Span<byte> buffer, int length, string text)
        {
            for (int i = 0; i < text.Length && length < buffer.Length; i++) buffer[length++] = (byte)text[i];
            return length;
        }

        /// <summary>Appends "KEY VALUE\n", the format of cpu.stat and the *.events files.</summary>
        public static int AppendKeyed(Span<byte> buffer, int length, string key, ulong value)
        {
            length = AppendText(buffer, length, key);
            length = AppendText(buffer, length, " ");
            length = AppendNumber(buffer, length, value);
            return AppendText(buffer, length, "\n");
        }
    }
}
