using System;
using Drivers;

namespace Cgroups
{
    /// <summary>
    /// io.max and io.stat, in Linux's cgroup v2 syntax: one line per disk, named by its device number
    /// MAJ:MIN, then KEY=VALUE words. io.max is "MAJ:MIN rbps=N wbps=N riops=N wiops=N" (bytes and
    /// requests per second, reads and writes apart; "max" for no limit); a write names the disk and any
    /// of the keys, and the keys left out keep their value. io.stat is "MAJ:MIN rbytes=N wbytes=N rios=N
    /// wios=N", what the group's processes have moved, its subtree's included. The budget itself is
    /// Drivers/IoBandwidth.cs.
    ///
    /// TeachOS has one disk (Drivers/BlockDevices.cs) and no block device in /dev, so it gives the disk
    /// the number Linux's virtio-blk driver usually gets on a QEMU guest (vda, 254:0): what a student
    /// types there works here. Without a disk the files are empty and every write is refused.
    /// </summary>
    public static class IoControlFiles
    {
        public const int DiskMajor = 254, DiskMinor = 0;

        private static readonly string[] s_limitKeys = { "rbps", "wbps", "riops", "wiops" };     // IoBandwidth's kinds
        private static readonly string[] s_countKeys = { "rbytes", "wbytes", "rios", "wios" };

        /// <summary>io.max: the disk's line if any limit is set (Linux leaves a disk without limits out).</summary>
        public static int RenderMax(IoBandwidth budget, Span<byte> buffer)
        {
            bool any = false;
            for (int kind = 0; kind < IoBandwidth.Kinds; kind++) any |= budget.Limits[kind] != IoBandwidth.Unlimited;
            if (!any || BlockDevices.Disk == null) return 0;
            int length = AppendDevice(buffer);
            for (int kind = 0; kind < IoBandwidth.Kinds; kind++)
            {
                length = LimitValues.AppendText(buffer, length, " ");
                length = LimitValues.AppendText(buffer, length, s_limitKeys[kind]);
                length = LimitValues.AppendText(buffer, length, "=");
                length = LimitValues.AppendLimit(buffer, length, budget.Limits[kind]);
            }
            return LimitValues.AppendText(buffer, length, "\n");
        }

        /// <summary>io.stat: the disk's counts (a snapshot: each count is one aligned load).</summary>
        public static int RenderStat(IoBandwidth budget, Span<byte> buffer)
        {
            if (BlockDevices.Disk == null) return 0;
            int length = AppendDevice(buffer);
            for (int kind = 0; kind < IoBandwidth.Kinds; kind++)
            {
                length = LimitValues.AppendText(buffer, length, " ");
                length = LimitValues.AppendText(buffer, length, s_countKeys[kind]);
                length = LimitValues.AppendText(buffer, length, "=");
                length = LimitValues.AppendNumber(buffer, length, budget.Counts[kind]);
            }
            return LimitValues.AppendText(buffer, length, "\n");
        }

        /// <summary>
        /// A write to io.max: "MAJ:MIN" and one or more KEY=VALUE, VALUE "max" or 1 to 2^40. Anything else
        /// (another device, an unknown key, 0, a sign, a number past the range, no key at all) is
        /// -EINVAL and changes nothing.
        /// </summary>
        public static int WriteMax(IoBandwidth budget, ReadOnlySpan<byte> text)
        {
            if (BlockDevices.Disk == null) return -Abi.Errno.EINVAL;
            long[] limits = new long[IoBandwidth.Kinds];
            for (int kind = 0; kind < IoBandwidth.Kinds; kind++) limits[kind] = budget.Limits[kind];
            bool valid = Parse(text, limits);
            if (valid) budget.SetLimits(limits);
            Mem.KernelHeap.Free(limits);
            return valid ? 0 : -Abi.Errno.EINVAL;
        }

        private static bool Parse(ReadOnlySpan<byte> text, long[] limits)
        {
            int at = 0, words = 0;
            while (true)
            {
                while (at < text.Length && IsSpace(text[at])) at++;
                if (at == text.Length) break;
                int start = at;
                while (at < text.Length && !IsSpace(text[at])) at++;
                ReadOnlySpan<byte> word = text.Slice(start, at - start);
                if (words++ == 0)
                {
                    if (!IsDisk(word)) return false;
                    continue;
                }
                int equals = IndexOf(word, (byte)'=');
                if (equals < 0) return false;
                int kind = KindOf(word.Slice(0, equals));
                if (kind < 0) return false;
                if (!LimitValues.TryParse(word.Slice(equals + 1), sizes: false, out long value)) return false;
                if (value != ControlGroup.Unlimited && (value < 1 || value > IoBandwidth.LargestLimit)) return false;
                limits[kind] = value == ControlGroup.Unlimited ? IoBandwidth.Unlimited : value;
            }
            return words >= 2;
        }

        // "254:0", digits only (a leading zero, a sign or a number too long for a device is not the disk).
        private static bool IsDisk(ReadOnlySpan<byte> word)
        {
            int colon = IndexOf(word, (byte)':');
            return colon > 0 && IsNumber(word.Slice(0, colon), DiskMajor) && IsNumber(word.Slice(colon + 1), DiskMinor);
        }

        private static bool IsNumber(ReadOnlySpan<byte> digits, int expected)
        {
            if (digits.Length == 0 || digits.Length > 7) return false;
            int value = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                if (digits[i] < '0' || digits[i] > '9') return false;
                value = value * 10 + (digits[i] - '0');
            }
            return value == expected && (digits.Length == 1 || digits[0] != '0');
        }

        private static int KindOf(ReadOnlySpan<byte> key)
        {
            for (int kind = 0; kind < s_limitKeys.Length; kind++)
            {
                string candidate = s_limitKeys[kind];
                if (candidate.Length != key.Length) continue;
                int i = 0;
                while (i < key.Length && key[i] == candidate[i]) i++;
                if (i == key.Length) return kind;
            }
            return -1;
        }

        private static int AppendDevice(Span<byte> buffer)
        {
            int length = LimitValues.AppendNumber(buffer, 0, DiskMajor);
            length = LimitValues.AppendText(buffer, length, ":");
            return LimitValues.AppendNumber(buffer, length, DiskMinor);
        }

        private static int IndexOf(ReadOnlySpan<byte> word, byte c)
        {
            for (int i = 0; i < word.Length; i++)
                if (word[i] == c) return i;
            return -1;
        }

        private static bool IsSpace(byte c) => c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }
}
