using Abi;
using TeachOS;

/// <summary>
/// The shell: prints `$ `, reads a command line, runs it, and reports how it ended. A command is a
/// program in /bin (or a path), its arguments, and optional redirections; commands joined by `|`
/// run at the same time, connected by pipes. Built in: `exit [STATUS]`, `cd [DIR]` (the shell's own
/// current directory, which every command it starts inherits; no DIR: "/"), `help`. The prompt shows
/// who the shell runs as, the host name of its UTS namespace and the current directory
/// (`student@teachos:/home/student $ `, `root@web1:/tmp $ `): the effective user's name from
/// /etc/passwd, read once when the shell starts (su starts a new shell), and the host name asked
/// each time, since `hostname NAME` may change it between two commands.
/// `sh -c "LINE"` runs one line and exits with its status.
///
/// How a command starts: the classic Unix way, fork then exec. The child of the fork is a copy of the
/// shell; it opens its redirections, moves its stdin and stdout into place with dup2 (the terminal, a
/// file, or an end of a pipe), closes every other descriptor it inherited, and execs the program.
/// (init, usertests and the fuzzer start programs with spawn, which names the three descriptors at once.)
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
        string user = AccountFiles.UserName(AccountFiles.ReadPasswd("sh"), (int)Sys.GetEffectiveUserId());
        while (true)
        {
            Console.Write(string.Concat(user, "@", HostName.Get(), ":", CurrentDirectory(), " $ "));
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
        if (words.Length > 0 && words[0] == "cd")
        {
            status = ChangeDirectory(words.Length > 1 ? words[1] : "/");
            return true;
        }
        status = Run(line);
        return true;
    }

    // cd must be built in: a child's chdir would change only the child's directory.
    private static int ChangeDirectory(string path)
    {
        long result = Sys.ChangeDirectory(path);
        if (result == 0) return 0;
        Files.ReportError("cd", path, result);
        return 1;
    }

    private static unsafe string CurrentDirectory()
    {
        byte* buffer = stackalloc byte[256];
        long length = Sys.GetCurrentDirectory(new System.Span<byte>(buffer, 256));
        return length < 0 ? "?" : string.FromAscii(buffer, (int)length);
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
            Console.WriteLine("Programs are in /bin (ls /bin). Pipes: a | b. Redirection: < file, > file, >> file. cd DIR moves. exit [STATUS] leaves.");
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
            if (pids[i] < 0) { status = CommandNotRun; continue; }
            Sys.Wait((int)pids[i], out status);
        }
        Report(pipeline[pipeline.Length - 1].Arguments[0], status);
        return status;
    }

    /// <summary>Starts one command with the given stdin and stdout: fork, and exec in the child. Its pid, or fork's error.</summary>
    private static long Start(ShellCommand command, int input, int output)
    {
        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(RunInChild(command, input, output));
        if (pid < 0) Console.Error("sh: " + command.Arguments[0] + ": fork: " + Sys.ErrorName(pid) + "\n");
        return pid;
    }

    private const int CommandNotRun = 127;       // the status of a command that never ran (as in POSIX shells)
    private const int DescriptorSlots = 32;      // a process's descriptors (kernel/Fs/FileTable.cs Size)

    /// <summary>
    /// In the forked child: opens the command's redirections, puts stdin and stdout in place, closes the
    /// rest and becomes the program. Returns only if something failed, with the status to exit with.
    /// </summary>
    private static int RunInChild(ShellCommand command, int input, int output)
    {
        if (command.Input != null)
        {
            long opened = Sys.Open(command.Input, OpenFlags.ReadOnly);
            if (opened < 0) { Files.ReportError("sh", command.Input, opened); return CommandNotRun; }
            input = (int)opened;
        }
        if (command.Output != null)
        {
            int mode = OpenFlags.WriteOnly | OpenFlags.Create | (command.Append ? OpenFlags.Append : OpenFlags.Truncate);
            long opened = Sys.Open(command.Output, mode);
            if (opened < 0) { Files.ReportError("sh", command.Output, opened); return CommandNotRun; }
            output = (int)opened;
        }
        if (input != Console.StandardInput) Sys.Duplicate(input, Console.StandardInput);
        if (output != Console.StandardOutput) Sys.Duplicate(output, Console.StandardOutput);
        // The child inherited every descriptor of the shell: the ends of the pipeline's other pipes too.
        // One left open here would keep a reader of that pipe waiting for an end of file that never comes.
        for (int descriptor = 3; descriptor < DescriptorSlots; descriptor++) Sys.Close(descriptor);

        string program = command.Arguments[0];
        string path = program.Contains('/') ? program : "/bin/" + program;
        long failed = Sys.Exec(path, command.Arguments);
        Console.Error("sh: " + program + ": " + (failed == -Errno.ENOENT ? "command not found" : Sys.ErrorName(failed)) + "\n");
        return CommandNotRun;
    }

    /// <summary>Says how a command ended, unless it simply succeeded.</summary>
    private static void Report(string program, int status)
    {
        if (status == 0 || status == CommandNotRun) return;
        if (status > 128)
            Console.Error("sh: " + program + ": killed (exit status " + status + ", signal " + (status - 128) + ")\n");
        else
            Console.Error("sh: " + program + ": exit status " + status + "\n");
    }
}
