using TeachOS;

/// <summary>pwd: prints the current directory's absolute path (getcwd).</summary>
public static unsafe class PrintDirectory
{
    public static int Main(string[] args)
    {
        byte* buffer = stackalloc byte[256];
        long length = Sys.GetCurrentDirectory(new System.Span<byte>(buffer, 256));
        if (length < 0) { Files.ReportError("pwd", ".", length); return 1; }
        Console.WriteLine(string.FromAscii(buffer, (int)length));
        return 0;
    }
}
