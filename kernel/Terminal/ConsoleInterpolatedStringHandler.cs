using System;
using System.Runtime.CompilerServices;

namespace Terminal
{
    /// <summary>
    /// Lets the kernel print with an interpolated string without building the string:
    /// <code>Console.WriteLine($"  rip: 0x{frame->Rip:x16} in {name}");</code>
    /// For this call the C# compiler makes no string. It creates this handler, calls AppendLiteral for
    /// each piece of text and AppendFormatted for each hole, in order (each hole's expression is
    /// evaluated just before its call), and only then calls Console.WriteLine(handler), which ends the
    /// line. Each call writes its piece straight to the console; a number is formatted into a buffer
    /// on the stack (IntegerFormat). Nothing is allocated, so a panic or a fault report, running with
    /// interrupts off, may print this way, and TOS0004 follows these calls like any others.
    ///
    /// What a hole may hold:
    /// <list type="bullet">
    /// <item>an integer (int, uint, long, ulong, and the smaller ones, which widen to int), with an
    ///   optional format: <c>{n}</c> decimal, <c>{n:d4}</c> at least 4 digits, <c>{n:x}</c> hex,
    ///   <c>{n:x16}</c> hex with at least 16 digits, zero padded (IntegerFormat). Write the "0x" in the
    ///   text: <c>0x{address:x16}</c>, and a pointer as a number: <c>0x{(ulong)frame:x16}</c>;</item>
    /// <item>a string (null writes nothing), a ReadOnlySpan&lt;char&gt;, a char, a bool (True or False,
    ///   as bool.ToString() writes it);</item>
    /// <item>an alignment after a comma, as in .NET: <c>{name,8}</c> pads with spaces on the left to 8
    ///   columns, <c>{name,-8}</c> on the right; text already that wide is written as it is.</item>
    /// </list>
    /// Anything else (an enum, an object, a double) does not compile: printing it would take ToString,
    /// which allocates. A format this handler does not know is printed as it was written, in braces
    /// (<c>{n:q}</c> prints <c>{q}</c>), so the mistake shows in the log instead of stopping a panic.
    /// </summary>
    [InterpolatedStringHandler]
    public ref struct ConsoleInterpolatedStringHandler
    {
        /// <summary>
        /// The compiler passes the length of the literal text and the number of holes, for handlers
        /// that size a buffer; this one writes as it goes and has nothing to size.
        /// </summary>
        public ConsoleInterpolatedStringHandler(int literalLength, int formattedCount) { }

        public void AppendLiteral(string text) => Console.Write(text);

        public void AppendFormatted(string value, int alignment = 0)
        {
            if (value == null) value = "";
            WriteAligned(value.AsSpan(), alignment);
        }

        public void AppendFormatted(ReadOnlySpan<char> value, int alignment = 0) => WriteAligned(value, alignment);

        public void AppendFormatted(char value) => Console.Write(value);

        public void AppendFormatted(bool value) => Console.Write(value ? "True" : "False");

        public void AppendFormatted(int value, int alignment = 0, string format = null) =>
            WriteSigned(value, 32, alignment, format);

        public void AppendFormatted(uint value, int alignment = 0, string format = null) =>
            WriteUnsigned(value, alignment, format);

        public void AppendFormatted(long value, int alignment = 0, string format = null) =>
            WriteSigned(value, 64, alignment, format);

        public void AppendFormatted(ulong value, int alignment = 0, string format = null) =>
            WriteUnsigned(value, alignment, format);

        // Static, as the helpers below: a ref struct's instance method could keep a span it is given,
        // so the compiler would not let a stack buffer be passed to one.
        private static void WriteSigned(long value, int bits, int alignment, string format)
        {
            Span<char> text = stackalloc char[IntegerFormat.MaximumLength];
            WriteNumber(text, IntegerFormat.Write(text, value, bits, format), alignment, format);
        }

        private static void WriteUnsigned(ulong value, int alignment, string format)
        {
            Span<char> text = stackalloc char[IntegerFormat.MaximumLength];
            WriteNumber(text, IntegerFormat.Write(text, value, format), alignment, format);
        }

        private static void WriteNumber(Span<char> text, int length, int alignment, string format)
        {
            if (length < 0)
            {
                Console.Write('{');
                Console.Write(format);
                Console.Write('}');
                return;
            }
            WriteAligned(text.Slice(0, length), alignment);
        }

        private static void WriteAligned(ReadOnlySpan<char> text, int alignment)
        {
            if (alignment > 0) Pad(alignment - text.Length);
            Console.Write(text);
            if (alignment < 0) Pad(-alignment - text.Length);
        }

        private static void Pad(int spaces)
        {
            for (int i = 0; i < spaces; i++) Console.Write(' ');
        }
    }
}
