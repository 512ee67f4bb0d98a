using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// vmtests [NAME...]: the hypervisor's tests (kernel/Virt; guide chapter 14), run as a user program
/// (tests/Integration/VirtualMachineTests.cs boots it with init=/bin/vmtests). Each guest of guests/
/// runs in a machine of its own and stops the way it should, with the right exit reason, address and
/// console; the calls refuse what they must; a guest that never stops is preempted by the host's timer
/// and killed with its process; and every frame a machine took comes back. The virtual timer and disk
/// have their cases in vmtests/Devices.cs, the trap-and-emulate backend its in vmtests/TrapEmulate.cs.
/// </summary>
public static unsafe partial class VmTests
{
    public static int Main(string[] args)
    {
        if (Sys.VmCreate(1) == -Errno.ENODEV)
        {
            Console.WriteLine("vmtests: no SVM: vm_create gives ENODEV");
            return 0;
        }
        return TestSuite.Run("vmtests", new[]
        {
            new UserTest { Name = "vm-hello", Body = &Hello },
            new UserTest { Name = "vm-console-full", Body = &ConsoleInPieces },
            new UserTest { Name = "vm-outside", Body = &OutsideItsMemory },
            new UserTest { Name = "vm-forbidden", Body = &ForbiddenInstructions },
            new UserTest { Name = "vm-triple-fault", Body = &TripleFault },
            new UserTest { Name = "vm-refusals", Body = &Refusals },
            new UserTest { Name = "vm-endless-killed", Body = &EndlessGuestIsPreemptedAndKilled },
            new UserTest { Name = "vm-shared-busy", Body = &SharedMachineIsBusy },
            new UserTest { Name = "vm-exit-closes", Body = &ExitDestroysTheMachine },
            new UserTest { Name = "vm-ticks", Body = &TimerTicksReachTheGuest },
            new UserTest { Name = "vm-timer-limits", Body = &TimerLimits },
            new UserTest { Name = "vm-halt-interrupts-off", Body = &HaltWithInterruptsOffEnds },
            new UserTest { Name = "vm-idle-killed", Body = &IdleGuestIsKilledInItsHalt },
            new UserTest { Name = "vm-disk", Body = &DiskReadsAndWritesTheFile },
            new UserTest { Name = "vm-disk-read-only", Body = &ReadOnlyDiskRefusesWrites },
            new UserTest { Name = "vm-disk-refusals", Body = &DiskRefusals },
            new UserTest { Name = "vm-trap-twice", Body = &SameGuestOnBothBackends },
            new UserTest { Name = "vm-trap-sensitive", Body = &SensitiveInstructionsLeakInRing3 },
            new UserTest { Name = "vm-trap-hostile", Body = &HostileGuestsEndWithAReport },
            new UserTest { Name = "vm-trap-endless-killed", Body = &EndlessDeprivilegedGuestIsKilled },
        }, args);
    }

    private static long FreeFrames()
    {
        Sys.IpcUsage(out IpcUsage usage);
        return usage.FreeFrames;
    }

    // Frames a machine did not give back: free frames just before its create, less just after its destroy
    // (measured there, as the test's own heap may grow at any other time). The kernel heap may keep a
    // page or two it grew by for the machine's records (it gives cached pages back only before the boot's
    // memory check, which tests/Integration/VirtualMachineTests.cs holds to exactly 0); a machine's own
    // frames, 512 a 2 MiB, would show far above that.
    private static long s_framesKept;
    private const long HeapSlack = 4;

    // Runs an image to its end (through ConsoleFull returns), collecting the console; the reason.
    private static long RunWhole(string path, int memoryMiB, int consoleRoom, out VmExit exit, out string console, int disk = -1, bool trap = false)
    {
        exit = default;
        console = "";
        byte[] image = VirtualMachines.ReadImage(path, out long error);
        if (image == null) return error;
        return RunImage(image, memoryMiB, consoleRoom, out exit, out console, disk, trap);
    }

    // The same for an image in memory, on either backend (trap: kernel/Virt/TrapEmulate).
    private static long RunImage(byte[] image, int memoryMiB, int consoleRoom, out VmExit exit, out string console, int disk = -1, bool trap = false)
    {
        exit = default;
        console = "";
        byte[] buffer = new byte[consoleRoom];
        char[] text = new char[8192];
        int length = 0;
        long before = FreeFrames();
        long vm = VirtualMachines.CreateWith(image, memoryMiB, trap);
        if (vm < 0) return vm;
        if (disk >= 0) Expect(Sys.VmAttachDisk((int)vm, disk), 0, "attach the disk");
        long reason;
        do
        {
            reason = Sys.VmRun((int)vm, buffer, out exit);
            if (reason >= 0) for (int i = 0; i < exit.ConsoleLength && length < text.Length; i++) text[length++] = (char)buffer[i];
        }
        while (reason == VmExitReason.ConsoleFull);
        Sys.VmDestroy((int)vm);
        s_framesKept = before - FreeFrames();
        console = new string(text, 0, length);
        return reason;
    }

    private static void Hello()
    {
        long reason = RunWhole("/guests/hello.bin", 4, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.Halted, "hello halts");
        Expect(exit.ExitCode, 0x78, "with the HLT exit code");
        Check(console.StartsWith("hello from the guest\n"), "console says hello: " + console);
        Check(console.Contains("1 + 2 + ... + 100 = 5050\n"), "the guest's sum");
        Check(console.Contains("12! mod 1000003 = 163\n"), "the guest's factorial");
        Check(console.Contains("cpuid 0x40000000: TeachOSVM\n"), "CPUID's hypervisor leaf");
        Expect(exit.CpuidExits, 1, "one CPUID exit");
        Check(exit.IoExits >= console.Length, "an I/O exit per byte at least: " + exit.IoExits);
        Check(s_framesKept <= HeapSlack, "frames kept after the machine is destroyed: " + s_framesKept);
        Console.WriteLine("  hello: " + VirtualMachines.Describe(exit));
    }

    // A console buffer of 16 bytes: VmRun comes back with ConsoleFull at each 16, and the guest goes on.
    private static void ConsoleInPieces()
    {
        RunWhole("/guests/hello.bin", 2, 4096, out _, out string whole);
        long reason = RunWhole("/guests/hello.bin", 2, 16, out VmExit exit, out string pieces);
        Expect(reason, VmExitReason.Halted, "halts in the end");
        Check(pieces == whole, "the same console in pieces of 16: " + pieces);
    }

    private static void OutsideItsMemory()
    {
        long reason = RunWhole("/guests/outside.bin", 4, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.NestedPageFault, "a nested page fault");
        Expect(exit.ExitCode, 0x400, "exit code NPF");
        Expect(exit.Address, 0x10000000, "at the guest-physical address it read");
        Check(console == "reading guest-physical 0x10000000\n", "it got no further: " + console);
        Check(s_framesKept <= HeapSlack, "frames kept after the machine is destroyed: " + s_framesKept);
    }

    private static void ForbiddenInstructions()
    {
        long reason = RunWhole("/guests/vmrun.bin", 2, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.ForbiddenInstruction, "VMRUN in a guest is stopped");
        Expect(exit.ExitCode, 0x80, "exit code VMRUN");
        Check(console == "executing vmrun\n", "console: " + console);
    }

    private static void TripleFault()
    {
        long reason = RunWhole("/guests/triple.bin", 2, 4096, out VmExit exit, out _);
        Expect(reason, VmExitReason.Shutdown, "a fault with no IDT shuts the guest down, not the host");
        Expect(exit.ExitCode, 0x7F, "exit code SHUTDOWN");
    }

    private static void Refusals()
    {
        byte[] small = new byte[16], page = new byte[4096], none = new byte[0], hlt = { 0xF4 };
        byte[] tooBig = new byte[2 * 1024 * 1024 + 1];
        long before = FreeFrames();
        Expect(Sys.VmCreate(0), -Errno.EINVAL, "no memory");
        Expect(Sys.VmCreate(VirtualMachineLimits.MaximumMemoryMiB + 1), -Errno.EINVAL, "too much memory");
        Expect(Sys.VmCreate(-1), -Errno.EINVAL, "negative memory");
        Expect(Sys.VmRun(0, small, out _), -Errno.EBADF, "run of a descriptor that is not a VM (the console)");
        Expect(Sys.VmLoad(99, small, 0x1000), -Errno.EBADF, "load into no descriptor");
        Expect(Sys.VmDestroy(1), -Errno.EBADF, "destroy of the console");

        long vm = Sys.VmCreate(2);
        Check(vm >= 0, "create 2 MiB");
        Expect(Sys.VmLoad((int)vm, tooBig, 0), -Errno.E2BIG, "an image larger than the guest's memory");
        Expect(Sys.VmLoad((int)vm, none, 0x1000), -Errno.EINVAL, "an empty image");
        Expect(Sys.VmLoad((int)vm, page, 2 * 1024 * 1024 - 100), -Errno.EINVAL, "an image past the end of memory");
        Expect(Sys.VmLoad((int)vm, small, -4096), -Errno.EINVAL, "a negative address");
        Expect(Sys.VmLoad((int)vm, new ReadOnlySpan<byte>((void*)0xFFFF800000000000, 16), 0x1000), -Errno.EFAULT, "an image in kernel memory");
        Expect(Sys.VmRun((int)vm, new Span<byte>((void*)0xFFFF800000000000, 16), out _), -Errno.EFAULT, "a console buffer in kernel memory");
        Expect(Sys.VmRun((int)vm, new Span<byte>((void*)0, 0), out _), -Errno.EINVAL, "no console buffer");

        Expect(Sys.VmLoad((int)vm, hlt, 0x1000), 0, "a one-byte guest: hlt");
        Expect(Sys.VmRun((int)vm, small, out VmExit exit), VmExitReason.Halted, "it halts");
        Expect(exit.Rip, 0x1001, "after the HLT");
        Expect(Sys.VmRun((int)vm, small, out _), -Errno.EPERM, "a stopped guest does not run again");
        Expect(Sys.VmLoad((int)vm, hlt, 0x1000), -Errno.EPERM, "nor takes a new image");
        Expect(Sys.VmAttachDisk((int)vm, 1), -Errno.EPERM, "nor a disk");
        Expect(Sys.VmDestroy((int)vm), 0, "destroy");
        Expect(Sys.VmDestroy((int)vm), -Errno.EBADF, "destroy twice");
        Check(before - FreeFrames() <= HeapSlack, "frames kept after the refusals: " + (before - FreeFrames()));
    }

    // The endless guest runs in a child; this process (on the same CPU, with SMP=1) still gets its turns,
    // because the host's timer ends each of the guest's (INTR exits). Then a kill ends the child mid-run,
    // its exit closes the VM's descriptor, and every frame comes back.
    private static void EndlessGuestIsPreemptedAndKilled()
    {
        long before = FreeFrames();
        Sys.Pipe(out PipeDescriptors started);
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.Close(started.Read);
            byte[] image = VirtualMachines.ReadImage("/guests/loop.bin", out _);
            long vm = VirtualMachines.CreateWith(image, 8);
            byte one = 1;
            Sys.Write(started.Write, new ReadOnlySpan<byte>(&one, 1));
            long reason = Sys.VmRun((int)vm, new byte[64], out _);
            Sys.Exit(reason == -Errno.EINTR ? 3 : 4);          // never reached: a kill ends the thread on its way out
        }
        KillTheChildInItsGuest(child, started, before);
    }

    // Fork shares the VM's descriptor; while the child runs the guest, the parent's VmRun and VmLoad are EBUSY.
    private static void SharedMachineIsBusy()
    {
        long before = FreeFrames();
        byte[] image = VirtualMachines.ReadImage("/guests/loop.bin", out _);
        long vm = VirtualMachines.CreateWith(image, 2);
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.VmRun((int)vm, new byte[64], out _);
            Sys.Exit(4);
        }
        Sys.Sleep(100);
        Expect(Sys.VmRun((int)vm, new byte[64], out _), -Errno.EBUSY, "run while the child runs it");
        Expect(Sys.VmLoad((int)vm, image, 0x1000), -Errno.EBUSY, "load while the child runs it");
        Expect(Sys.VmAttachDisk((int)vm, 1), -Errno.EBUSY, "attach a disk while the child runs it");
        Expect(Sys.VmDestroy((int)vm), 0, "the parent's close: the child still holds it");
        Sys.Kill((int)child);
        Expect(Sys.Wait((int)child, out int status), child, "collect the child");
        Expect(status, 137, "killed in its guest");
        Check(FramesKept(before) <= HeapSlack, "frames kept once both are gone: kept " + FramesKept(before));
    }

    // A process that exits with a machine it never destroyed: its exit closes the descriptor.
    private static void ExitDestroysTheMachine()
    {
        long before = FreeFrames();
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.VmCreate(16);
            Sys.VmCreate(16);
            Sys.Exit(0);
        }
        Expect(Sys.Wait((int)child, out int status), child, "collect the child");
        Expect(status, 0, "it made two 16 MiB machines");
        Check(FramesKept(before) <= HeapSlack, "frames kept after its exit: kept " + FramesKept(before));
    }

    // A dead child's kernel stack goes back a little later than its exit (Mem/KernelStack.cs frees
    // released stacks at a later system call): ask a few times before comparing.
    // The parent's half of a kill test: once the child says its machine is made (a byte on `started`) and
    // its guest runs (or halts) for ever, the host runs on beside it; a kill ends the child, whose guest
    // would never return, with 137, and its machine's frames come back.
    private static void KillTheChildInItsGuest(long child, PipeDescriptors started, long before)
    {
        Sys.Close(started.Write);
        byte got = 0;
        Expect(Sys.Read(started.Read, new Span<byte>(&got, 1)), 1, "the child made its machine");
        Sys.Close(started.Read);
        long start = Sys.Uptime();
        Sys.Sleep(300);
        Check(Sys.Uptime() - start >= 300, "the host ran on beside the guest");
        Expect(Sys.Kill((int)child), 0, "kill the child in its guest");
        Expect(Sys.Wait((int)child, out int status), child, "collect it");
        Expect(status, 137, "killed, not stuck in the guest");
        Check(FramesKept(before) <= HeapSlack, "frames kept after the killed machine: " + FramesKept(before));
    }

    private static long FramesKept(long before)
    {
        long now = FreeFrames();
        for (int i = 0; i < 20 && before - now > HeapSlack; i++)
        {
            Sys.Sleep(10);
            now = FreeFrames();
        }
        return before - now;
    }
}
