using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>hostile: who owns a string the kernel keeps.</summary>
public static unsafe partial class HostileTests
{
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
        Remove("/true");
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
        if (copied >= 0) Sys.ChangeMode(to, FileMode.Program);     // a copy of a program is runnable, as cp -p keeps it
        return copied < 0 ? copied : 0;
    }
}
