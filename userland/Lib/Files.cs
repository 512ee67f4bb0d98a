using System;
using Abi;

namespace TeachOS
{
    /// <summary>Small conveniences over the file syscalls, shared by the tools in userland/Programs.</summary>
    public static unsafe class Files
    {
        /// <summary>Copies everything readable from one descriptor to another; returns bytes copied or a negated errno.</summary>
        public static long Copy(int from, int to)
        {
            byte* buffer = stackalloc byte[512];
            long total = 0;
            while (true)
            {
                long read = Sys.Read(from, new Span<byte>(buffer, 512));
                if (read <= 0) return read < 0 ? read : total;
                long written = Sys.Write(to, new ReadOnlySpan<byte>(buffer, (int)read));
                if (written < 0) return written;
                total += read;
            }
        }

        /// <summary>The whole contents of a file as a string, or null (with the errno) if it cannot be read.</summary>
        public static string ReadAllText(string path, out long error)
        {
            error = Sys.Open(path, OpenFlags.ReadOnly);
            if (error < 0) return null;
            int descriptor = (int)error;
            error = 0;
            char[] text = new char[256];
            int length = 0;
            byte* buffer = stackalloc byte[512];
            while (true)
            {
                long read = Sys.Read(descriptor, new Span<byte>(buffer, 512));
                if (read < 0) { error = read; break; }
                if (read == 0) break;
                if (length + read > text.Length) Array.Resize(ref text, (int)(text.Length * 2 + read));
                for (int i = 0; i < read; i++) text[length++] = (char)buffer[i];
            }
            Sys.Close(descriptor);
            return error < 0 ? null : new string(text, 0, length);
        }

        /// <summary>Writes a string to a new (or truncated) file.</summary>
        public static long WriteAllText(string path, string text)
        {
            long descriptor = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
            if (descriptor < 0) return descriptor;
            bool ok = Console.WriteTo((int)descriptor, text);
            Sys.Close((int)descriptor);
            return ok ? 0 : -Errno.EIO;
        }

        /// <summary>Prints "program: what: ERRNO" on stderr, as the tools report failures.</summary>
        public static void ReportError(string program, string what, long error)
        {
            Console.Error(program);
            Console.Error(": ");
            Console.Error(what);
            Console.Error(": ");
            Console.Error(Sys.ErrorName(error));
            Console.Error("\n");
        }
    }
}
