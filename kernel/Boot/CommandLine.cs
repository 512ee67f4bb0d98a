using System;

namespace Boot
{
    /// <summary>
    /// The kernel command line: words separated by spaces, most of them key=value. Given by GRUB
    /// (iso/grub.cfg), by QEMU's -append, or by `make boot CMDLINE="..."`.
    /// Keys the kernel knows: init=, test=, and the ones listed in docs/guide/command-line.md.
    /// </summary>
    public static class CommandLine
    {
        public static string Text { get; private set; } = "";

        public static void Set(string text) => Text = text ?? "";

        /// <summary>The value of <paramref name="key"/>=value, or null when the key is absent.</summary>
        public static string Get(string key)
        {
            string[] words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
            {
                string word = words[i];
                if (word.Length > key.Length && word[key.Length] == '=' && word.StartsWith(key))
                    return word.Substring(key.Length + 1);
            }
            return null;
        }

        /// <summary>True when the word <paramref name="flag"/> appears on its own.</summary>
        public static bool Has(string flag)
        {
            string[] words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
                if (words[i] == flag) return true;
            return false;
        }

        /// <summary>Everything after the key=, including later words (for init=/bin/sh -c ...).</summary>
        public static string GetRest(string key)
        {
            string[] words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
            {
                if (words[i].Length <= key.Length || words[i][key.Length] != '=' || !words[i].StartsWith(key)) continue;
                string rest = words[i].Substring(key.Length + 1);
                for (int j = i + 1; j < words.Length; j++) rest = string.Concat(rest, " ", words[j]);
                return rest;
            }
            return null;
        }
    }
}
