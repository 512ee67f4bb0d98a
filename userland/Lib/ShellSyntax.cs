using System;

namespace TeachOS
{
    /// <summary>
    /// How the shell reads a command line: words separated by spaces ("double quotes" keep spaces in a
    /// word), `|` between commands of a pipeline, `&lt; file` and `&gt; file` (or `&gt;&gt; file`, to append)
    /// for redirection. Pure logic: the host tests check it.
    /// </summary>
    public sealed class ShellCommand
    {
        public string[] Arguments;      // argv: Arguments[0] is the program
        public string Input;            // < file, or null
        public string Output;           // > file, or null
        public bool Append;             // >> instead of >
    }

    public static class ShellSyntax
    {
        /// <summary>Parses one line into a pipeline; null and an error message if it is malformed.</summary>
        public static ShellCommand[] Parse(string line, out string error)
        {
            error = null;
            string[] tokens = Tokenize(line, out error);
            if (tokens == null) return null;
            if (tokens.Length == 0) return new ShellCommand[0];

            int commandCount = 1;
            foreach (string token in tokens) if (token == "|") commandCount++;
            var commands = new ShellCommand[commandCount];
            string[] words = new string[tokens.Length];
            int command = 0, wordCount = 0;
            var current = new ShellCommand();

            for (int i = 0; i <= tokens.Length; i++)
            {
                string token = i < tokens.Length ? tokens[i] : "|";
                if (token == "|")
                {
                    if (wordCount == 0) { error = "missing command around |"; return null; }
                    current.Arguments = new string[wordCount];
                    Array.Copy(words, 0, current.Arguments, 0, wordCount);
                    commands[command++] = current;
                    current = new ShellCommand();
                    wordCount = 0;
                }
                else if (token == "<" || token == ">" || token == ">>")
                {
                    if (i + 1 >= tokens.Length || IsOperator(tokens[i + 1])) { error = "missing file after " + token; return null; }
                    string file = tokens[++i];
                    if (token == "<") current.Input = file;
                    else { current.Output = file; current.Append = token == ">>"; }
                }
                else
                {
                    words[wordCount++] = token;
                }
            }
            return commands;
        }

        private static bool IsOperator(string token) => token == "|" || token == "<" || token == ">" || token == ">>";

        /// <summary>Splits a line into words and operators.</summary>
        public static string[] Tokenize(string line, out string error)
        {
            error = null;
            string[] tokens = new string[8];
            int count = 0;
            char[] word = new char[line.Length];
            int length = 0;
            bool inWord = false, quoted = false;

            for (int i = 0; i <= line.Length; i++)
            {
                char c = i < line.Length ? line[i] : ' ';
                if (quoted)
                {
                    if (i == line.Length) { error = "unterminated quote"; return null; }
                    if (c == '"') quoted = false; else word[length++] = c;
                    continue;
                }
                if (c == '"') { quoted = true; inWord = true; continue; }
                bool isOperator = c == '|' || c == '<' || c == '>';
                if (c == ' ' || c == '\t' || isOperator)
                {
                    if (inWord) Add(ref tokens, ref count, new string(word, 0, length));
                    inWord = false;
                    length = 0;
                    if (c == '>' && i + 1 < line.Length && line[i + 1] == '>') { Add(ref tokens, ref count, ">>"); i++; }
                    else if (isOperator) Add(ref tokens, ref count, c.ToString());
                    continue;
                }
                word[length++] = c;
                inWord = true;
            }
            string[] result = new string[count];
            Array.Copy(tokens, 0, result, 0, count);
            return result;
        }

        private static void Add(ref string[] tokens, ref int count, string token)
        {
            if (count == tokens.Length) Array.Resize(ref tokens, tokens.Length * 2);
            tokens[count++] = token;
        }
    }
}
