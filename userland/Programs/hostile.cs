using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// hostile [NAME...]: what a buggy or malicious program does to a kernel, each as a test that the kernel
/// survives it. Every test here once brought TeachOS down (a panic, a hang, or memory lost for good);
/// each now checks the error code, limit or killed process that replaced the crash. tests/Integration
/// runs the suite on one, two and four CPUs and checks, after it, that every physical frame came back
/// and that the kernel printed no panic. The tests are grouped by the kind of bug they stand for:
/// who owns a kernel string, sizes and offsets read from files, the shape of a process's address space,
/// exhaustion of memory, processes and threads, and blocking that a kill must interrupt.
/// TestSuite (userland/Lib/TestSuite.cs) prints "hostile: N passed, M failed"; the exit status is M.
/// </summary>
public static unsafe class HostileTests
{
    private static UserTest[] All() => new[]
    {
        // ---- Who owns a string the kernel keeps ----
        new UserTest { Name = "spawn-empty-argument", Body = &SpawnWithAnEmptyArgument },
        new UserTest { Name = "spawn-empty-path", Body = &SpawnOfTheEmptyPath },
        new UserTest { Name = "thread-empty-name", Body = &ThreadWithAnEmptyName },
        new UserTest { Name = "spawn-relative-path", Body = &SpawnOfAPathWithoutSlash },
        // ---- File-system paths ----
        new UserTest { Name = "path-under-file", Body = &PathUnderARegularFile },
        new UserTest { Name = "ramfs-full", Body = &FileSystemFullIsAnError },
        // ---- Sizes and offsets from a file (ELF) ----
        // ---- The address space: heap, stack and the gaps between them ----
        // ---- Exhaustion: memory, processes, threads, kernel stacks ----
        // ---- Blocking that kill must interrupt ----
        new UserTest { Name = "placeholder", Body = &Placeholder },
        // Helpers that the tests above run in a child process (`hostile NAME`).
        new UserTest { Name = "thread-empty-name-unjoined", Body = &UnjoinedThreadWithAnEmptyName, OnlyWhenNamed = true },
    };

    public static int Main(string[] args) => TestSuite.Run("hostile", All(), args);

    private static void Placeholder() => Check(Sys.GetPid() > 0, "getpid works");

    // ---- Who owns a string the kernel keeps ----
    // The kernel copies every string it keeps (a process's name, a thread's name, an argument) and frees
    // its copy when done. These once freed the empty string of the kernel image (string.Empty, which an
    // empty copy used to return) or the caller's own string (a name that was the whole path).

    private static int RunToEnd(string path, string[] arguments)
    {
        long pid = Sys.Spawn(path, arguments, Console.StandardInput, Console.StandardOutput, Console.StandardError);
        if (pid < 0) return (int)pid;
        Sys.Wait((int)pid, out int status);
        return status;
    }

    private static void SpawnWithAnEmptyArgument()
    {
        Expect(RunToEnd("/bin/true", new[] { "true", "" }), 0, "spawn /bin/true with an empty argument");
        Expect(RunToEnd("/bin/echo", new[] { "", "" }), 0, "spawn /bin/echo with an empty argv[0]");
        Check(Sys.GetPid() > 0, "the kernel still answers");
    }

    private static void SpawnOfTheEmptyPath()
    {
        Expect(Sys.Spawn("", new[] { "x" }, 0, 1, 2), -Errno.ENOENT, "spawn of the empty path");
        Expect(Sys.Spawn("", new[] { "" }, 0, 1, 2), -Errno.ENOENT, "spawn of the empty path with an empty argument");
        Expect(RunToEnd("/bin/true", new[] { "true" }), 0, "spawn still works");
    }

    private static int ReturnSeven(ulong argument) => 7;

    private static void ThreadWithAnEmptyName()
    {
        int joined = UserThread.Start(&ReturnSeven, 0, "");
        Check(joined > 0, "thread_create with the name \"\"");
        if (joined > 0) Expect(UserThread.Join(joined), 7, "join the thread named \"\"");
        // One left for the kernel to free when the process is reaped: run it as a child that exits.
        Expect(RunToEnd("/bin/hostile", new[] { "hostile", "thread-empty-name-unjoined" }), 0, "a child whose thread \"\" is never joined");
    }

    private static void UnjoinedThreadWithAnEmptyName()
    {
        Check(UserThread.Start(&ReturnSeven, 0, "") > 0, "thread_create with the name \"\"");
        Sys.Sleep(20);
    }

    private static void SpawnOfAPathWithoutSlash()
    {
        // The process's name is the path's last part: here the whole path, the caller's own string.
        Expect(CopyFile("/bin/true", "/true"), 0, "copy /bin/true to /true");
        for (int i = 0; i < 3; i++) Expect(RunToEnd("true", new[] { "true" }), 0, "spawn \"true\" (no slash)");
        Expect(RunToEnd("/true", new[] { "true" }), 0, "spawn \"/true\"");
        Truncate("/true");
    }

    private static long CopyFile(string from, string to)
    {
        long input = Sys.Open(from, OpenFlags.ReadOnly);
        if (input < 0) return input;
        long output = Sys.Open(to, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (output < 0) { Sys.Close((int)input); return output; }
        long copied = Files.Copy((int)input, (int)output);
        Sys.Close((int)input);
        Sys.Close((int)output);
        return copied < 0 ? copied : 0;
    }

    // ---- File-system paths ----

    private static void PathUnderARegularFile()
    {
        // /etc/motd is a file: nothing can be under it, whether the last part exists or not.
        Expect(Sys.Open("/etc/motd/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/x");
        Expect(Sys.Open("/etc/motd/x/y", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOTDIR, "create /etc/motd/x/y");
        Expect(Sys.Open("/etc/motd/", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/ (a trailing slash asks for a directory)");
        Expect(Sys.Open("/etc/motd/.", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/.");
        Expect(Sys.Open("/etc/motd/..", OpenFlags.ReadOnly), -Errno.ENOTDIR, "open /etc/motd/..");
        Expect(Sys.Open("/no/such/x", OpenFlags.WriteOnly | OpenFlags.Create), -Errno.ENOENT, "create under a missing directory");
        long file = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
        Check(file >= 0, "/etc/motd still opens");
        if (file >= 0)
        {
            Expect(Sys.ReadDirectory((int)file, 0, out DirectoryEntry entry), -Errno.ENOTDIR, "readdir of a file");
            Sys.Close((int)file);
        }
        Expect(Sys.Spawn("/etc/motd/x", new[] { "x" }, 0, 1, 2), -Errno.ENOTDIR, "spawn /etc/motd/x");
    }

    // Writes to `descriptor` until the file system says no; returns the bytes written and the refusal.
    private static long FillFile(int descriptor, byte[] chunk, out long refusal)
    {
        long total = 0;
        refusal = 0;
        while (total < 1L << 30)
        {
            long written = Sys.Write(descriptor, chunk);
            if (written < 0) { refusal = written; break; }
            total += written;
            if (written < chunk.Length)
            {
                refusal = Sys.Write(descriptor, chunk);       // the next write is refused outright
                break;
            }
        }
        return total;
    }

    private static void FileSystemFullIsAnError()
    {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)i;
        long file = Sys.Open("/tmp-big", OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        Check(file >= 0, "create /tmp-big");
        if (file < 0) return;
        long first = FillFile((int)file, chunk, out long refusal);
        Expect(refusal, -Errno.ENOSPC, "a write past the RAM file system's limit");
        Check(first > 1024 * 1024, "more than 1 MiB fits before the limit");
        Console.WriteLine("  " + first / 1024 + " KiB fit before ENOSPC");
        Sys.FileStatus((int)file, out FileStatus status);
        Expect(status.Size, first, "the file's size is what was written");
        Sys.Close((int)file);

        // The file system still works: the file reads back, and truncating it gives the space back.
        Expect(Files.ReadAllText("/etc/motd", out long error) != null ? 0 : error, 0, "read /etc/motd while full");
        file = Sys.Open("/tmp-big", OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(file >= 0, "truncate /tmp-big");
        if (file < 0) return;
        Expect(Files.WriteAllText("/tmp-small", "still works\n"), 0, "write a small file after truncating");
        Expect(Files.ReadAllText("/tmp-small", out error) == "still works\n" ? 0 : -1, 0, "read the small file back");
        Truncate("/tmp-small");
        long second = FillFile((int)file, chunk, out refusal);
        Expect(refusal, -Errno.ENOSPC, "full again");
        Expect(second, first, "bytes that fit after truncating (all the space came back)");
        Sys.Close((int)file);
        Truncate("/tmp-big");
    }

    // Empties a file (there is no unlink): its space goes back to the file system.
    private static void Truncate(string path)
    {
        long file = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Truncate);
        Check(file >= 0, "truncate " + path);
        if (file >= 0) Sys.Close((int)file);
    }
}
