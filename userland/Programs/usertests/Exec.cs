using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for exec (kernel/Proc/ProcessExec.cs), for orphans, and the leak test of fork and
/// exec together; fork's own cases and the helpers (ForkRunning, WaitFor) are in Fork.cs.
/// </summary>
public static unsafe partial class UserTests
{
    private static int s_canary;

    private static void ExecRefusals()
    {
        s_canary = 1234;
        Expect(Sys.Exec("/no/such/program", new[] { "x" }), -Errno.ENOENT, "exec of a missing file");
        Expect(Sys.Exec("/etc/motd", new[] { "motd" }), -Errno.EACCES, "exec of a file without an x bit (0644)");
        Expect(Sys.Exec(NotAProgram(), new[] { "motd" }), -Errno.ENOEXEC, "exec of a file that is not a program (0755)");
        Sys.Unlink("/usertests-text");
        Expect(Sys.Exec("/bin", new[] { "bin" }), -Errno.EISDIR, "exec of a directory");
        Expect(Sys.Exec(TruncatedTrue(), new[] { "true" }), -Errno.ENOEXEC, "exec of a truncated program");
        string[] many = new string[40];
        for (int i = 0; i < many.Length; i++) many[i] = "a";
        Expect(Sys.Exec("/bin/true", many), -Errno.E2BIG, "exec with 40 arguments");
        Expect(Sys.Exec("/bin/true", new[] { "true", new string('a', 300) }), -Errno.E2BIG, "exec with an argument of 300 bytes");
        Expect(Sys.Call(SyscallNumbers.Exec, UnmappedAddress, 0), -Errno.EFAULT, "exec with an unmapped path");
        byte* path = stackalloc byte[16];
        Sys.ToAscii("/bin/true", path, 16);
        Expect(Sys.Call(SyscallNumbers.Exec, (ulong)path, KernelAddress), -Errno.EFAULT, "exec with argv in kernel memory");
        long pid = ForkRunning(&ExecWithAnotherThread);
        Expect(WaitFor(pid), 0, "exec while another thread lives is refused with EBUSY (sleep's usage error, 2, if it ran)");
        Check(s_canary == 1234 && ReadOnlyCodeIsIntact, "after every refusal the caller runs on, its memory as it was");
    }

    // In a forked child: were exec to work here, it would replace only the child.
    private static int ExecWithAnotherThread()
    {
        s_go = 0;
        int thread = UserThread.Start(&WaitForGo, 0, "execblocker");
        long result = Sys.Exec("/bin/sleep", new[] { "sleep", "not-a-number" });
        s_go = 1;
        UserThread.Join(thread);
        return result == -Errno.EBUSY ? 0 : 1;
    }

    // /bin/true cut after its program headers: the segments they describe are not in the file.
    private static string TruncatedTrue()
    {
        const string truncated = "/usertests-truncated";
        long source = Sys.Open("/bin/true", OpenFlags.ReadOnly);
        byte* head = stackalloc byte[512];
        long read = Sys.Read((int)source, new Span<byte>(head, 512));
        Sys.Close((int)source);
        long target = Sys.Open(truncated, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        Sys.Write((int)target, new ReadOnlySpan<byte>(head, (int)read));
        Sys.Close((int)target);
        Sys.ChangeMode(truncated, FileMode.Program);        // executable: the loader, not the x bit, must refuse it
        return truncated;
    }

    // Text with an x bit: exec reads it and finds no ELF header.
    private static string NotAProgram()
    {
        const string path = "/usertests-text";
        Files.WriteAllText(path, "not a program\n");
        Sys.ChangeMode(path, FileMode.Program);
        return path;
    }

    private static void ExecWithArguments()
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Duplicate(pipe.Write, 1);
            Sys.Close(pipe.Read);
            Sys.Close(pipe.Write);
            long failed = Sys.Exec("/bin/echo", new[] { "echo", "exec'd", "with three", "arguments" });
            Sys.Exit((int)(100 - failed));                          // only if exec failed
        }
        Sys.Close(pipe.Write);
        string output = Console.ReadAllFrom(pipe.Read);
        Sys.Close(pipe.Read);
        Expect(WaitFor(pid), 0, "the forked child became echo, same pid, and exited 0");
        Check(output == "exec'd with three arguments\n", "argv reached the new program: got \"" + output + "\"");

        pid = Sys.Fork();
        if (pid == 0) Sys.Exit((int)(100 - Sys.Exec("/bin/sh", new[] { "sh", "-c", "exit 42" })));
        Expect(WaitFor(pid), 42, "exec'd sh's exit status reaches the parent that forked");
    }

    /// <summary>
    /// execve (abi/Syscalls.Environment.cs): the strings reach the new program's envp (env prints them); exec and
    /// spawn give none; more than 32 are refused with E2BIG, and the caller runs on.
    /// </summary>
    private static void ExecWithAnEnvironment()
    {
        string output = ExecCaptured(new[] { "GREETING=hello", "EMPTY=", "PATH=/bin" }, out int status);
        Expect(status, 0, "execve of env exits 0");
        Check(output == "GREETING=hello\nEMPTY=\nPATH=/bin\n", "envp reached the new program, in order: got \"" + output + "\"");
        output = ExecCaptured(new string[0], out status);
        Check(status == 0 && output == "", "an empty environment: got \"" + output + "\"");
        output = Capture("/bin/env", new[] { "env" }, out status);
        Check(status == 0 && output == "", "spawn gives none: got \"" + output + "\"");
        string[] tooMany = new string[33];
        for (int i = 0; i < tooMany.Length; i++) tooMany[i] = "V" + i + "=x";
        Expect(Sys.ExecWithEnvironment("/bin/env", new[] { "env" }, tooMany), -Errno.E2BIG, "33 variables: E2BIG, and the caller runs on");
        string[] tooLong = new string[20];
        for (int i = 0; i < tooLong.Length; i++) tooLong[i] = "V" + i + "=" + new string('x', 240);
        Expect(Sys.ExecWithEnvironment("/bin/env", new[] { "env" }, tooLong), -Errno.E2BIG, "20 variables of 240 bytes outgrow the stack's top page: E2BIG");
    }

    private static string ExecCaptured(string[] environment, out int status)
    {
        Sys.Pipe(out PipeDescriptors pipe);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            Sys.Duplicate(pipe.Write, 1);
            Sys.Close(pipe.Read);
            Sys.Close(pipe.Write);
            Sys.Exit((int)(100 - Sys.ExecWithEnvironment("/bin/env", new[] { "env" }, environment)));
        }
        Sys.Close(pipe.Write);
        string output = Console.ReadAllFrom(pipe.Read);
        Sys.Close(pipe.Read);
        status = WaitFor(pid);
        return output;
    }

    // An orphan's parent becomes init (pid 1), which collects it: the grandchild says what getppid
    // told it after its parent had exited, through a pipe (its exit status goes to init, not to us).
    private static void OrphansGoToInit()
    {
        Sys.Pipe(out PipeDescriptors hold);
        Sys.Pipe(out PipeDescriptors report);
        long child = Sys.Fork();
        if (child == 0)
        {
            long grandchild = Sys.Fork();
            if (grandchild == 0)
            {
                Sys.Close(hold.Write);
                byte* wait = stackalloc byte[1];
                Sys.Read(hold.Read, new Span<byte>(wait, 1));    // until its parent has exited and we let go
                byte* parent = stackalloc byte[1];
                parent[0] = (byte)Sys.GetParentPid();
                Sys.Write(report.Write, new ReadOnlySpan<byte>(parent, 1));
                Sys.Exit(0);
            }
            Sys.Exit(grandchild > 0 ? 0 : 1);
        }
        Expect(WaitFor(child), 0, "the child forked a grandchild and exited");
        Sys.Close(hold.Write);
        Sys.Close(hold.Read);
        Sys.Close(report.Write);
        byte* answer = stackalloc byte[1];
        Expect(Sys.Read(report.Read, new Span<byte>(answer, 1)), 1, "the orphan reports");
        Expect(answer[0], 1, "the orphan's parent is init now");
        Sys.Close(report.Read);
        // When usertests is init (tests/Integration boots it so), it adopted the orphan: collect it.
        if (Sys.GetPid() == 1) Check(Sys.Wait(-1, out int status) > 0 && status == 0, "init collects the orphan");
    }

    /// <summary>The leak test: fork+exit+wait and fork+exec+exit+wait cycles; tests/Integration checks every frame came back.</summary>
    private static void ForkAThousand()
    {
        int failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit(3);
            if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != 3) failures++;
        }
        Expect(failures, 0, "1,000 fork+exit+wait cycles");
        failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            long pid = Sys.Fork();
            if (pid == 0) Sys.Exit((int)(100 - Sys.Exec("/bin/true", new[] { "true" })));
            if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != 0) failures++;
        }
        Expect(failures, 0, "1,000 fork+exec+exit+wait cycles");
        Expect(ForkAndWriteEveryPage(1000), 0, "1,000 fork-then-write-every-page cycles");
    }

    // The child writes every page of a 16-page heap block its parent filled, and exits with what it
    // read back: a fork that shares pages (copy-on-write, assignments/cow) copies each of them here,
    // and every copy must come back when the child exits. The parent's bytes must stay its own.
    private static int ForkAndWriteEveryPage(int cycles)
    {
        const int Pages = 16;
        long block = Sys.Sbrk(Pages * 4096L);
        if (block < 0) return cycles;
        byte* bytes = (byte*)block;
        for (int page = 0; page < Pages; page++) bytes[page * 4096] = 7;
        int failures = 0;
        for (int i = 0; i < cycles; i++)
        {
            long pid = Sys.Fork();
            if (pid == 0)
            {
                int sum = 0;
                for (int page = 0; page < Pages; page++) bytes[page * 4096] = 1;
                for (int page = 0; page < Pages; page++) sum += bytes[page * 4096];
                Sys.Exit(sum);
            }
            if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != Pages) failures++;
        }
        for (int page = 0; page < Pages; page++) if (bytes[page * 4096] != 7) failures++;
        Sys.Sbrk(-Pages * 4096L);
        return failures;
    }

    private static void SpawnAThousand()
    {
        int failures = 0;
        for (int i = 0; i < 1000; i++)
        {
            long pid = Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2);
            if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != 0) failures++;
        }
        Expect(failures, 0, "1,000 processes spawned and collected");
    }
}
