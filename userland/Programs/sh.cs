using Abi;
using TeachOS;

/// <summary>
/// The shell: prints `$ `, reads a command line, runs it, and reports how it ended. A command is a
/// program in /bin (or a path), its arguments, and optional redirections; commands joined by `|`
/// run at the same time, connected by pipes. Built in: `exit [STATUS]`, `help`.
/// `sh -c "LINE"` runs one line and exits with its status.
///
/// How a child gets its files: spawn takes the three descriptors that become the child's stdin,
/// stdout and stderr: the terminal, a file (redirection), or an end of a pipe.
/// </summary>
public static class Shell
{
    public static int Main(string[] args)
    {
        int status = 0;
        if (args.Length == 2 && args[0] == "-c")
        {
            Run(args[1], ref status);
            return status;
        }

        string motd = Files.ReadAllText("/etc/motd", out long unused);
        if (motd != null) Console.Write(motd);
        while (true)
        {
            Console.Write("$ ");
            string line = Console.ReadLine();
            if (line == null) return status;                          // end of input (Ctrl-D)
            if (!Run(line, ref status)) return status;
        }
    }

    /// <summary>Runs one line; false if it was `exit` (and <paramref name="status"/> is the status to exit with).</summary>
    private static bool Run(string line, ref int status)
    {
        string[] words = line.Trim().Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && words[0] == "exit")
        {
            if (words.Length > 1 && int.TryParse(words[1], out int code)) status = code;
            return false;
        }
        status = Run(line);
        return true;
    }

    /// <summary>Runs one command line; returns the exit status of its last command.</summary>
    private static int Run(string line)
    {
        ShellCommand[] pipeline = ShellSyntax.Parse(line, out string error);
        if (pipeline == null)
        {
            Console.Error("sh: " + error + "\n");
            return 2;
        }
        if (pipeline.Length == 0) return 0;
        if (pipeline[0].Arguments[0] == "help")
        {
            Console.WriteLine("Programs are in /bin (ls /bin). Pipes: a | b. Redirection: < file, > file, >> file. exit [STATUS] leaves.");
            return 0;
        }

        long[] pids = new long[pipeline.Length];
        int previousRead = -1;
        for (int i = 0; i < pipeline.Length; i++)
        {
            ShellCommand command = pipeline[i];
            int input = previousRead >= 0 ? previousRead : Console.StandardInput;
            int output = Console.StandardOutput, nextRead = -1;
            if (i + 1 < pipeline.Length)
            {
                Sys.Pipe(out PipeDescriptors pipe);
                output = pipe.Write;
                nextRead = pipe.Read;
            }

            pids[i] = Start(command, input, output);

            if (output != Console.StandardOutput) Sys.Close(output);
            if (previousRead >= 0) Sys.Close(previousRead);
            previousRead = nextRead;
        }

        int status = 0;
        for (int i = 0; i < pids.Length; i++)
        {
            if (pids[i] < 0) { status = 127; continue; }
            Sys.Wait((int)pids[i], out status);
        }
        Report(pipeline[pipeline.Length - 1].Arguments[0], status);
        return status;
    }

    /// <summary>Spawns one command with the given stdin and stdout (after its own redirections).</summary>
    private static long Start(ShellCommand command, int input, int output)
    {
        int inputFile = -1, outputFile = -1;
        if (command.Input != null)
        {
            long opened = Sys.Open(command.Input, OpenFlags.ReadOnly);
            if (opened < 0) { Files.ReportError("sh", command.Input, opened); return opened; }
            input = inputFile = (int)opened;
        }
        if (command.Output != null)
        {
            int mode = OpenFlags.WriteOnly | OpenFlags.Create | (command.Append ? OpenFlags.Append : OpenFlags.Truncate);
            long opened = Sys.Open(command.Output, mode);
            if (opened < 0)
            {
                Files.ReportError("sh", command.Output, opened);
                if (inputFile >= 0) Sys.Close(inputFile);
                return opened;
            }
            output = outputFile = (int)opened;
        }

        string program = command.Arguments[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long pid = Sys.Spawn(path, command.Arguments, input, output, Console.StandardError);

        if (inputFile >= 0) Sys.Close(inputFile);
        if (outputFile >= 0) Sys.Close(outputFile);
        if (pid < 0) Console.Error("sh: " + program + ": " + (pid == -Errno.ENOENT ? "command not found" : Sys.ErrorName(pid)) + "\n");
        return pid;
    }

    /// <summary>Says how a command ended, unless it simply succeeded.</summary>
    private static void Report(string program, int status)
    {
        if (status == 0 || status == 127) return;
        if (status > 128)
            Console.Error("sh: " + program + ": killed (exit status " + status + ", signal " + (status - 128) + ")\n");
        else
            Console.Error("sh: " + program + ": exit status " + status + "\n");
    }
}
