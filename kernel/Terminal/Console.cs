using System;
using Sync;

namespace Terminal
{
    /// <summary>
    /// The kernel's text output, to the serial port and the VGA screen at once. Numbers are formatted
    /// into a stack buffer, so printing never allocates: it is safe in a trap handler or a panic. An
    /// interpolated string, <c>Console.WriteLine($"timer: {Clock.Hertz} Hz")</c>, is printed piece by
    /// piece as it is read, not built (ConsoleInterpolatedStringHandler.cs); <c>Console.WriteWholeLine($"...")</c>
    /// gathers the line on the stack first and prints it with one hold of the lock, whole even when
    /// several CPUs print at once (WholeLineInterpolatedStringHandler.cs).
    /// </summary>
    public static class Console
    {
        /// <summary>When false, output goes to the serial port only (the screen is left to user programs).</summary>
        public static bool MirrorToScreen = true;

        // Keeps one CPU's text together; a panic stops taking it (the CPU holding it may never let go).
        private static SpinLock s_lock;
        public static bool PanicMode;

        private static bool Lock() => PanicMode ? false : s_lock.Acquire();

        private static void Unlock(bool flags)
        {
            if (!PanicMode) s_lock.Release(flags);
        }

        private static void Put(char c)
        {
            Serial.Write(c);
            if (MirrorToScreen) VgaText.Write(c);
        }

        public static void Write(char c)
        {
            bool flags = Lock();
            Put(c);
            Unlock(flags);
        }

        public static void Write(string text)
        {
            if (text == null) return;
            bool flags = Lock();
            for (int i = 0; i < text.Length; i++) Put(text[i]);
            Unlock(flags);
        }

        public static void Write(ReadOnlySpan<char> text)
        {
            bool flags = Lock();
            for (int i = 0; i < text.Length; i++) Put(text[i]);
            Unlock(flags);
        }

        public static void WriteLine() => Write('\n');

        public static void WriteLine(string text)
        {
            Write(text);
            Write('\n');
        }

        /// <summary>
        /// Prints an interpolated string without building it: <c>Console.Write($"cr2: 0x{address:x16}")</c>.
        /// By the time this body runs, the compiler has already sent every piece through the handler,
        /// which wrote it (ConsoleInterpolatedStringHandler.cs); there is nothing left to do.
        /// </summary>
        public static void Write(ConsoleInterpolatedStringHandler text) { }

        /// <summary>As <see cref="Write(ConsoleInterpolatedStringHandler)"/>, then ends the line.</summary>
        public static void WriteLine(ConsoleInterpolatedStringHandler text) => Write('\n');

        /// <summary>
        /// Prints an interpolated string as one whole line: no other CPU's text can land inside it.
        /// The handler gathers the pieces on the stack (WholeLineInterpolatedStringHandler.cs) and this
        /// writes them with one hold of the lock. Use it for lines that a program or a grader reads
        /// while several CPUs print, such as a syscall trace.
        /// </summary>
        public static void WriteWholeLine(WholeLineInterpolatedStringHandler line) => line.WriteLine();

        /// <summary>Writes <paramref name="text"/>, and the line's end if asked, with one hold of the lock.</summary>
        internal static void WriteAtOnce(ReadOnlySpan<char> text, bool endLine)
        {
            bool flags = Lock();
            for (int i = 0; i < text.Length; i++) Put(text[i]);
            if (endLine) Put('\n');
            Unlock(flags);
        }

        public static void WriteDecimal(long value)
        {
            Span<char> digits = stackalloc char[24];
            Write(digits.Slice(0, Number.FormatSignedInto(digits, value)));
        }

        public static void WriteDecimal(ulong value)
        {
            Span<char> digits = stackalloc char[24];
            Write(digits.Slice(0, Number.FormatInto(digits, value, 10)));
        }

        /// <summary>Writes 0x followed by at least <paramref name="minimumDigits"/> hex digits.</summary>
        public static void WriteHex(ulong value, int minimumDigits = 1)
        {
            Span<char> digits = stackalloc char[20];
            Write("0x");
            Write(digits.Slice(0, Number.FormatInto(digits, value, 16, minimumDigits)));
        }

        /// <summary>Writes <paramref name="text"/> padded with spaces to <paramref name="width"/> columns.</summary>
        public static void WritePadded(string text, int width)
        {
            Write(text);
            for (int i = text.Length; i < width; i++) Write(' ');
        }
    }
}
