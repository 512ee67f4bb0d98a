using TeachOS;

/// <summary>
/// xargs COMMAND [ARG...]: runs COMMAND once for each line of stdin, with the line appended as one more
/// argument (6.1810's util lab), one run after the other; `find . b | xargs grep hello` runs grep on
/// every file named b. Exits 1 if any run failed.
/// </summary>
public static class ExtendArguments
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) { Console.Error("usage: xargs COMMAND [ARG...]\n"); return 2; }
        string program = args[0].Contains('/') ? args[0] : "/bin/" + args[0];
        int status = 0;
        string line;
        while ((line = Console.ReadLine()) != null)
        {
            if (line.Length == 0) continue;
            string[] arguments = new string[args.Length + 1];
            for (int i = 0; i < args.Length; i++) arguments[i] = args[i];
            arguments[args.Length] = line;
            long pid = Sys.Spawn(program, arguments, Console.StandardInput, Console.StandardOutput, Console.StandardError);
            if (pid < 0) { Files.ReportError("xargs", args[0], pid); return 1; }
            Sys.Wait((int)pid, out int exitStatus);
            if (exitStatus != 0) status = 1;
        }
        return status;
    }
}
