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
        new UserTest { Name = "heap-returns-frames", Body = &HeapReturnsFrames },
        // ---- Blocking that kill must interrupt ----
        new UserTest { Name = "placeholder", Body = &Placeholder },
    };

    public static int Main(string[] args) => TestSuite.Run("hostile", All(), args);

    private static void Placeholder() => Check(Sys.GetPid() > 0, "getpid works");

    // ---- Exhaustion: the kernel heap gives its frames back ----

    private const int ZombieBurst = 1000;

    /// <summary>
    /// Bug 11b: the kernel heap never returned frames. A burst of children left as zombies grows the
    /// kernel heap by tens of MiB; once they are reaped the heap's bytes in use fall back, and its
    /// frames must go back to the frame allocator too: the memory check when init exits (checked by
    /// tests/Integration/HostileProgramTests.cs) sees every frame free again. A process limit may end
    /// the burst early (EAGAIN); that is fine, as long as the burst was large.
    /// </summary>
    private static void HeapReturnsFrames()
    {
        int spawned = 0;
        while (spawned < ZombieBurst && Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2) > 0) spawned++;
        int reaped = 0;
        while (Sys.Wait(-1, out int unused) > 0) reaped++;
        Expect(reaped, spawned, "every child of the burst reaped");
        Check(spawned >= 100, "a burst of at least 100 children");
    }
}
