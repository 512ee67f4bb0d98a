using System;

namespace TeachOS
{
    /// <summary>Text in and out on descriptors 0 (stdin), 1 (stdout) and 2 (stderr), as ASCII.</summary>
    public static unsafe class Console
    {
        public const int StandardInput = 0, StandardOutput = 1, StandardError = 2;

        public static void Write(string text) => WriteTo(StandardOutput, text);

        public static void WriteLine(string text)
        {
            WriteTo(StandardOutput, text);
            WriteTo(StandardOutput, "\n");
        }

        public static void WriteLine() => WriteTo(StandardOutput, "\n");

        public static void Write(long value) => Write(value.ToString());

        public static void Error(string text) => WriteTo(StandardError, text);

        /// <summary>Writes ASCII text to a descriptor, in 256-byte pieces; returns false on error.</summary>
        public static bool WriteTo(int descriptor, string text)
        {
            if (text == null) return true;
            byte* buffer = stackalloc byte[256];
            for (int start = 0; start < text.Length; start += 256)
            {
                int count = text.Length - start < 256 ? text.Length - start : 256;
                for (int i = 0; i < count; i++) buffer[i] = (byte)text[start + i];
                if (Sys.Write(descriptor, new ReadOnlySpan<byte>(buffer, count)) < 0) return false;
            }
            return true;
        }

        /// <summary>Everything readable from a descriptor until end of file, as text.</summary>
        public static string ReadAllFrom(int descriptor)
        {
            char[] text = new char[256];
            int length = 0;
            byte* buffer = stackalloc byte[256];
            while (true)
            {
                long read = Sys.Read(descriptor, new Span<byte>(buffer, 256));
                if (read <= 0) break;
                if (length + read > text.Length) Array.Resize(ref text, (int)(text.Length * 2 + read));
                for (int i = 0; i < read; i++) text[length++] = (char)buffer[i];
            }
            return new string(text, 0, length);
        }

        /// <summary>One line from stdin without its newline, or null at end of input.</summary>
        public static string ReadLine() => ReadLineFrom(StandardInput);

        public static string ReadLineFrom(int descriptor)
        {
            char[] line = new char[128];
            int length = 0;
            byte* one = stackalloc byte[1];
            while (true)
            {
                long read = Sys.Read(descriptor, new Span<byte>(one, 1));
                if (read <= 0) return length > 0 ? new string(line, 0, length) : null;
                if (*one == (byte)'\n') return new string(line, 0, length);
                if (length == line.Length) Array.Resize(ref line, line.Length * 2);
                line[length++] = (char)*one;
            }
        }
    }
}
