using System.Text;

namespace TeachOS.Analyzers
{
    /// <summary>Writes C# source line by line with indentation, so generated files read like hand-written ones.</summary>
    public sealed class CodeWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public CodeWriter Line(string line = "")
        {
            if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
            return this;
        }

        /// <summary>Writes "{" and indents what follows, until <see cref="Close"/>.</summary>
        public CodeWriter Open(string line = null)
        {
            if (line != null) Line(line);
            Line("{");
            _indent++;
            return this;
        }

        public CodeWriter Close(string after = "")
        {
            _indent--;
            return Line("}" + after);
        }

        public CodeWriter Indent() { _indent++; return this; }
        public CodeWriter Outdent() { _indent--; return this; }

        public override string ToString() => _text.ToString();
    }
}
