namespace TeachOS
{
    /// <summary>
    /// The checks /etc/passwd and /etc/group share. Those files decide who may log in and with which
    /// ids, and a setuid-root program (passwd) rewrites one of them; so every field is checked before
    /// it is believed, and a line that fails is refused whole, with a message naming its line and what
    /// is wrong, never half-used.
    /// </summary>
    public static class AccountFields
    {
        /// <summary>Longer lines are refused: no real entry needs more, and a parser that must bound its work should say where.</summary>
        public const int MaximumLineLength = 512;
        public const int MaximumNameLength = 32;
        /// <summary>Ids run from 0 (root) to 65535; 65535 is conventionally "nobody" and is allowed.</summary>
        public const int MaximumId = 65535;

        /// <summary>A user or group name: a lower-case letter or '_', then letters, digits, '_' or '-'; at most 32.</summary>
        public static string CheckName(string name)
        {
            if (name.Length == 0) return "the name is empty";
            if (name.Length > MaximumNameLength) return "the name is longer than 32 characters";
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool letter = c >= 'a' && c <= 'z' || c == '_';
                bool other = c >= '0' && c <= '9' || c == '-';
                if (!letter && !(other && i > 0)) return string.Concat("the name '", name, "' has a character a name may not have");
            }
            return null;
        }

        /// <summary>An id: decimal digits only (no sign, no spaces), 0 to 65535.</summary>
        public static string CheckId(string text, string what, out int id)
        {
            id = -1;
            if (text.Length == 0) return string.Concat("the ", what, " is empty");
            if (text.Length > 5) return string.Concat("the ", what, " '", text, "' is not a number from 0 to 65535");
            int value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9') return string.Concat("the ", what, " '", text, "' is not a number");
                value = value * 10 + (text[i] - '0');
            }
            if (value > MaximumId) return string.Concat("the ", what, " '", text, "' is not a number from 0 to 65535");
            id = value;
            return null;
        }

        /// <summary>Printable ASCII only: a control character (a NUL, a carriage return, an escape) is refused.</summary>
        public static string CheckCharacters(string line)
        {
            if (line.Length > MaximumLineLength) return "the line is longer than 512 characters";
            for (int i = 0; i < line.Length; i++)
                if (line[i] < ' ' || line[i] > '~') return string.Concat("character ", (i + 1).ToString(), " is not printable");
            return null;
        }

        /// <summary>True for lines that hold no entry: empty ones and comments (#).</summary>
        public static bool IsBlankOrComment(string line) => line.Length == 0 || line[0] == '#';

        /// <summary>The file's text split into lines (a final newline does not make an empty last line).</summary>
        public static string[] Lines(string text)
        {
            string[] lines = text.Split('\n');
            if (lines.Length > 0 && lines[lines.Length - 1].Length == 0) System.Array.Resize(ref lines, lines.Length - 1);
            return lines;
        }
    }
}
