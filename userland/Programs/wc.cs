using System;
using Abi;
using TeachOS;

/// <summary>wc [FILE...]: counts lines, words and bytes of each file (or stdin).</summary>
public static unsafe class WordCount
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) return Count(Console.StandardInput, "") ? 0 : 1;
        int failures = 0;
        foreach (string path in args)
        {
            long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
            if (descriptor < 0)
            {
                Files.ReportError("wc", path, descriptor);
                failures++;
                continue;
            }
            if (!Count((int)descriptor, path)) failures++;
            Sys.Close((int)descriptor);
        }
        return failures == 0 ? 0 : 1;
    }

    private static bool Count(int descriptor, string name)
    {
        long lines = 0, words = 0, bytes = 0;
        bool inWord = false;
        byte* buffer = stackalloc byte[512];
        while (true)
        {
            long read = Sys.Read(descriptor, new Span<byte>(buffer, 512));
            if (read < 0) { Files.ReportError("wc", name, read); return false; }
            if (read == 0) break;
            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                bytes++;
                if (b == (byte)'\n') lines++;
                bool space = b == (byte)' ' || b == (byte)'\n' || b == (byte)'\t' || b == (byte)'\r';
                if (!space && !inWord) words++;
                inWord = !space;
            }
        }
        Console.WriteLine(lines.ToString().PadLeft(7) + words.ToString().PadLeft(8) + bytes.ToString().PadLeft(8) + (name.Length > 0 ? " " + name : ""));
        return true;
    }
}
