using System;

namespace Cgroups
{
    /// <summary>
    /// The controllers by name, as cgroup.controllers and cgroup.subtree_control read and write them:
    /// a set of bits, shown as names in a fixed order ("cpuset cpu memory pids"), changed by a write of
    /// "+NAME" and "-NAME" words. Parsing only; the rules are Cgroups/ControlGroupTree.cs ChangeSubtreeControl's.
    /// </summary>
    public static class Controllers
    {
        public const int CpuSet = 1, Cpu = 2, Memory = 4, Pids = 8;
        public const int All = CpuSet | Cpu | Memory | Pids;

        private static readonly string[] s_names = { "cpuset", "cpu", "memory", "pids" };      // Linux's order

        /// <summary>Appends the names in <paramref name="set"/>, space separated, and a newline.</summary>
        public static int Append(Span<byte> buffer, int length, int set)
        {
            bool first = true;
            for (int i = 0; i < s_names.Length; i++)
            {
                if ((set & (1 << i)) == 0) continue;
                if (!first) length = LimitValues.AppendText(buffer, length, " ");
                length = LimitValues.AppendText(buffer, length, s_names[i]);
                first = false;
            }
            return LimitValues.AppendText(buffer, length, "\n");
        }

        /// <summary>
        /// Parses "+cpu -memory ..." (words separated by spaces, each a sign and a controller's name)
        /// into the controllers to enable and to disable. False for anything else: a word without a
        /// sign, an unknown name, a controller both enabled and disabled, or no word at all.
        /// </summary>
        public static bool TryParseChanges(ReadOnlySpan<byte> text, out int enable, out int disable)
        {
            enable = 0;
            disable = 0;
            int at = 0, words = 0;
            while (true)
            {
                while (at < text.Length && IsSpace(text[at])) at++;
                if (at == text.Length) break;
                int start = at;
                while (at < text.Length && !IsSpace(text[at])) at++;
                ReadOnlySpan<byte> word = text.Slice(start, at - start);
                int bit = word.Length > 1 ? BitOf(word.Slice(1)) : 0;
                if (bit == 0) return false;
                if (word[0] == '+') enable |= bit;
                else if (word[0] == '-') disable |= bit;
                else return false;
                words++;
            }
            return words > 0 && (enable & disable) == 0;
        }

        private static int BitOf(ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < s_names.Length; i++)
            {
                string candidate = s_names[i];
                if (candidate.Length != name.Length) continue;
                int j = 0;
                while (j < name.Length && name[j] == candidate[j]) j++;
                if (j == name.Length) return 1 << i;
            }
            return 0;
        }

        private static bool IsSpace(byte c) => c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }
}
