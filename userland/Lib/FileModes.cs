using Abi;

namespace TeachOS
{
    /// <summary>
    /// Permission bits as people write them: "drwxr-xr-x" (ls -l) and octal "755" (chmod). The bits
    /// are abi/Structures.cs FileMode's; the kernel's checks are in kernel/Fs/Permissions/.
    /// </summary>
    public static class FileModes
    {
        /// <summary>ls -l's ten characters: the kind (d, l, p, c, -), then rwx three times; s/S for setuid and setgid, t/T for sticky.</summary>
        public static string Describe(int kind, int mode)
        {
            char[] text = new char[10];
            text[0] = kind == 2 ? 'd' : kind == 5 ? 'l' : kind == 4 ? 'p' : kind == 3 || kind == 7 ? 'c' : '-';
            for (int group = 0; group < 3; group++)
            {
                int bits = (mode >> (6 - 3 * group)) & 7;
                text[1 + 3 * group] = (bits & 4) != 0 ? 'r' : '-';
                text[2 + 3 * group] = (bits & 2) != 0 ? 'w' : '-';
                text[3 + 3 * group] = (bits & 1) != 0 ? 'x' : '-';
            }
            if ((mode & FileMode.SetUserId) != 0) text[3] = text[3] == 'x' ? 's' : 'S';
            if ((mode & FileMode.SetGroupId) != 0) text[6] = text[6] == 'x' ? 's' : 'S';
            if ((mode & FileMode.Sticky) != 0) text[9] = text[9] == 'x' ? 't' : 'T';
            return new string(text);
        }

        /// <summary>An octal mode ("644", "4755", "1777"): the number, or -1 if it is not 1 to 4 octal digits.</summary>
        public static int ParseOctal(string text)
        {
            if (text.Length == 0 || text.Length > 4) return -1;
            int value = 0;
            foreach (char c in text)
            {
                if (c < '0' || c > '7') return -1;
                value = value * 8 + (c - '0');
            }
            return value;
        }

        /// <summary>"1000": a non-negative decimal id, or -1.</summary>
        public static int ParseId(string text)
        {
            if (text.Length == 0 || text.Length > 9) return -1;
            int value = 0;
            foreach (char c in text)
            {
                if (c < '0' || c > '9') return -1;
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
