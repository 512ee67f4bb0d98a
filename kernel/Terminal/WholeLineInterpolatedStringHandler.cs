using System;
using System.Runtime.CompilerServices;

namespace Terminal
{
    /// <summary>
    /// An interpolated print that reaches the console as one whole line:
    /// <code>Console.WriteWholeLine($"{pid}: syscall {name} -> {result}");</code>
    /// ConsoleInterpolatedStringHandler writes each piece as it comes, taking the console lock once per
    /// piece; between two pieces another CPU may print, and its text lands in the middle of the line.
    /// This handler gathers the pieces in a buffer that is part of itself, so on the caller's stack,
    /// and Console.WriteWholeLine writes the buffer and the line's end under one hold of the lock.
    /// The lock is not held while the holes are evaluated, so a hole may itself print or take a lock.
    /// Nothing is allocated: a trap or an interrupt handler may print this way (TOS0004).
    ///
    /// Holes and formats are those of ConsoleInterpolatedStringHandler (integers with d/x formats,
    /// strings, spans, chars, bools, alignments). A line longer than <see cref="Capacity"/> characters
    /// is written in parts, each whole; no character is lost.
    /// </summary>
    [InterpolatedStringHandler]
    public unsafe ref struct WholeLineInterpolatedStringHandler
    {
        /// <summary>Characters gathered before a part must be written: a long line, and then some.</summary>
        public const int Capacity = 192;

        private fixed char _text[Capacity];
        private int _length;

        public WholeLineInterpolatedStringHandler(int literalLength, int formattedCount) { _length = 0; }

        public void AppendLiteral(string text)
        {
            if (text != null) Append(text.AsSpan());
        }

        public void AppendFormatted(string value, int alignment = 0)
        {
            if (value == null) value = "";
            AppendAligned(value.AsSpan(), alignment);
        }

        public void AppendFormatted(ReadOnlySpan<char> value, int alignment = 0) => AppendAligned(value, alignment);

        public void AppendFormatted(char value) => Append(value);

        public void AppendFormatted(bool value) => Append((value ? "True" : "False").AsSpan());

        public void AppendFormatted(int value, int alignment = 0, string format = null) =>
            AppendSigned(value, 32, alignment, format);

        public void AppendFormatted(uint value, int alignment = 0, string format = null) =>
            AppendUnsigned(value, alignment, format);

        public void AppendFormatted(long value, int alignment = 0, string format = null) =>
            AppendSigned(value, 64, alignment, format);

        public void AppendFormatted(ulong value, int alignment = 0, string format = null) =>
            AppendUnsigned(value, alignment, format);

        /// <summary>Writes what is gathered and the line's end with one hold of the console lock.</summary>
        internal void WriteLine()
        {
            fixed (char* start = _text) Console.WriteAtOnce(new ReadOnlySpan<char>(start, _length), endLine: true);
            _length = 0;
        }

        private void AppendSigned(long value, int bits, int alignment, string format)
        {
            char* digits = stackalloc char[IntegerFormat.MaximumLength];
            Span<char> text = new Span<char>(digits, IntegerFormat.MaximumLength);
            AppendNumber(text, IntegerFormat.Write(text, value, bits, format), alignment, format);
        }

        private void AppendUnsigned(ulong value, int alignment, string format)
        {
            char* digits = stackalloc char[IntegerFormat.MaximumLength];
            Span<char> text = new Span<char>(digits, IntegerFormat.MaximumLength);
            AppendNumber(text, IntegerFormat.Write(text, value, format), alignment, format);
        }

        // A format IntegerFormat does not know is kept as written, in braces, as the other handler does.
        private void AppendNumber(scoped Span<char> text, int length, int alignment, string format)
        {
            if (length < 0)
            {
                Append('{');
                if (format != null) Append(format.AsSpan());
                Append('}');
                return;
            }
            AppendAligned(text.Slice(0, length), alignment);
        }

        private void AppendAligned(scoped ReadOnlySpan<char> text, int alignment)
        {
            for (int i = text.Length; i < alignment; i++) Append(' ');
            Append(text);
            for (int i = text.Length; i < -alignment; i++) Append(' ');
        }

        private void Append(scoped ReadOnlySpan<char> text)
        {
            for (int i = 0; i < text.Length; i++) Append(text[i]);
        }

        private void Append(char c)
        {
            if (_length == Capacity)
            {
                // Full: this part goes out whole now, and the line goes on in the next.
                fixed (char* start = _text) Console.WriteAtOnce(new ReadOnlySpan<char>(start, _length), endLine: false);
                _length = 0;
            }
            _text[_length++] = c;
        }
    }
}
