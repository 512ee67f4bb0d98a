using TeachOS;

/// <summary>
/// echo WORD...: prints its arguments, separated by spaces, and a newline, in one write, and says so
/// when the write fails (exit status 1). One write because a file in /sys/fs/cgroup takes each write as
/// one command: `echo 8 > pids.max` must arrive as "8\n", not as "8" and then a lone "\n". And the
/// failure is reported because there it means something: `echo lots > pids.max` prints
/// "echo: write error: EINVAL", as Linux's echo does.
/// </summary>
public static class Echo
{
    public static int Main(string[] args)
    {
        string line = string.Join(" ", args) + "\n";
        byte[] bytes = new byte[line.Length];
        for (int i = 0; i < line.Length; i++) bytes[i] = (byte)line[i];
        for (int done = 0; done < bytes.Length;)
        {
            // A pipe may take a long line in pieces; a file takes it whole.
            long written = Sys.Write(Console.StandardOutput, new System.ReadOnlySpan<byte>(bytes, done, bytes.Length - done));
            if (written <= 0)
            {
                Files.ReportError("echo", "write error", written == 0 ? -Abi.Errno.EIO : written);
                return 1;
            }
            done += (int)written;
        }
        return 0;
    }
}
