using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// The trap-and-emulate backend (kernel/Virt/TrapEmulate; guide ch. 14, "Trap-and-emulate by hand"):
/// the same guest on both backends, the sensitive instructions that give ring 3 away, and hostile guests,
/// each of which must end with a report while the host and this process run on and every frame comes back.
/// </summary>
public static unsafe partial class VmTests
{
    private const string TwiceConsole = "hello from a guest that runs on either backend\n1 + 2 + ... + 100 = 5050\ncr3 reads back 20480\n";
    private const long TwicePrivileged = 22;           // ten CLI, ten STI, MOV to CR3, MOV from CR3

    private static void SameGuestOnBothBackends()
    {
        long svm = RunWhole("/guests/twice.bin", 2, 4096, out VmExit onSvm, out string svmConsole);
        long svmKept = s_framesKept;
        long trap = RunWhole("/guests/twice.bin", 2, 4096, out VmExit onTrap, out string trapConsole, trap: true);
        Expect(svm, VmExitReason.Halted, "SVM: halts");
        Expect(trap, VmExitReason.Halted, "trap: halts");
        Check(svmConsole == TwiceConsole, "SVM console: " + svmConsole);
        Check(trapConsole == svmConsole, "trap console is the same: " + trapConsole);
        Expect(onTrap.ExitCode, 13, "trap: the last exit was HLT's #GP");
        Expect(onTrap.Rip, onSvm.Rip, "both stop after the same HLT");
        Expect(onTrap.IoExits, onSvm.IoExits, "the same I/O exits");
        Expect(onSvm.PrivilegedExits, 0, "SVM: CLI, STI and MOV CR3 run without an exit");
        Expect(onTrap.PrivilegedExits, TwicePrivileged, "trap: each privileged instruction was emulated");
        Check(onTrap.Exits >= onTrap.IoExits + TwicePrivileged + 1, "trap: exits at least I/O + privileged + HLT: " + onTrap.Exits);
        Expect(onTrap.CpuidExits + onTrap.InterruptExits, 0, "trap: no CPUID or interrupt exits counted");
        Check(svmKept <= HeapSlack && s_framesKept <= HeapSlack, "frames kept: SVM " + svmKept + ", trap " + s_framesKept);
        Console.WriteLine("  svm:  " + VirtualMachines.Describe(onSvm));
        Console.WriteLine("  trap: " + VirtualMachines.Describe(onTrap));
    }

    private static void SensitiveInstructionsLeakInRing3()
    {
        Expect(RunWhole("/guests/sensitive.bin", 2, 4096, out _, out string svm), VmExitReason.Halted, "SVM: halts");
        Expect(RunWhole("/guests/sensitive.bin", 2, 4096, out VmExit exit, out string trap, trap: true), VmExitReason.Halted, "trap: halts");
        Console.Write(svm);
        Console.Write(trap);
        Check(svm.Contains("after cli, pushf shows IF=0\n"), "SVM: pushf shows the guest's own IF after cli");
        Check(svm.Contains("after popf with IF clear, pushf shows IF=0\n"), "SVM: popf clears the guest's IF");
        Check(svm.Contains("smsw (cr0's low 16 bits): 0x0015\n"), "SVM: smsw shows the guest's CR0");
        Check(svm.Contains("sgdt after lgdt of base 0x3000: base 0x0000000000003000, limit 0x0017\n"), "SVM: sgdt shows the guest's own GDT");
        Check(trap.Contains("after cli, pushf shows IF=1\n"), "trap: pushf leaks the real IF after an emulated cli");
        Check(trap.Contains("after popf with IF clear, pushf shows IF=1\n"), "trap: popf silently left IF alone");
        Check(!trap.Contains("smsw (cr0's low 16 bits): 0x0015\n"), "trap: smsw shows the host's CR0, not the guest's");
        Check(trap.Contains("sgdt after lgdt of base 0x3000: base 0xffff"), "trap: sgdt shows the host's GDT, a kernel address");
        Expect(exit.PrivilegedExits, 4, "trap: only cli, sti, lgdt and the last sti trapped");
    }

    // 64-bit code, run deprivileged: each must stop with the right reason, and the next still runs.
    // Each machine's frames are counted around its own run (Hostile); across all of them the kernel heap
    // may grow by a few pages for the reports, which the boot's memory check sees given back at the end.
    private static void HostileGuestsEndWithAReport()
    {
        Hostile("a jump into the kernel", new byte[] { 0x48, 0xB8, 0, 0, 0x10, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0xE0 },
            VmExitReason.GuestException, 14, unchecked((long)0xFFFF800000100000));
        Hostile("a write to the kernel", new byte[] { 0x48, 0xB8, 0, 0, 0x10, 0, 0, 0x80, 0xFF, 0xFF, 0x88, 0x00 },
            VmExitReason.GuestException, 14, unchecked((long)0xFFFF800000100000));
        Hostile("a jump to where vm's own code is", new byte[] { 0x48, 0xB8, 0, 0, 0x40, 0, 0, 0, 0, 0, 0xFF, 0xE0 },
            VmExitReason.GuestException, 14, 0x400000);
        Hostile("ud2", new byte[] { 0x0F, 0x0B }, VmExitReason.GuestException, 6, -1);
        Hostile("wbinvd, privileged and unknown", new byte[] { 0x0F, 0x09 }, VmExitReason.ForbiddenInstruction, 13, -1);
        Hostile("int 0x21 through a kernel gate", new byte[] { 0xCD, 0x21 }, VmExitReason.ForbiddenInstruction, 13, -1);
        Hostile("syscall getpid", new byte[] { 0xB8, 39, 0, 0, 0, 0x0F, 0x05 }, VmExitReason.ForbiddenInstruction, -1, -1);
        Hostile("int 0x80", new byte[] { 0xB8, 39, 0, 0, 0, 0xCD, 0x80 }, VmExitReason.ForbiddenInstruction, -1, -1);
        Hostile("out to a port nobody has", new byte[] { 0xB0, 1, 0xE6, 0x80 }, VmExitReason.UnhandledPort, 13, 0x80);
        Hostile("lgdt of memory it does not have", new byte[] { 0xB8, 0, 0, 0, 0x10, 0x0F, 0x01, 0x10 }, VmExitReason.GuestException, 13, 0x10000000);
        Hostile("a stack that runs off its memory", new byte[] { 0x50, 0xEB, 0xFD }, VmExitReason.GuestException, 14, -1);
        long exited = RunImage(new byte[] { 0xB0, 7, 0xE6, 0xF4 }, 2, 256, out VmExit exit, out _, trap: true);
        Expect(exited, VmExitReason.DebugExit, "the debug-exit port");
        Expect(exit.Status, 7, "with its status");
        Expect(Sys.VmCreateTrapEmulated(0), -Errno.EINVAL, "no memory");
        Expect(Sys.VmCreateTrapEmulated(VirtualMachineLimits.MaximumMemoryMiB + 1), -Errno.EINVAL, "too much memory");
    }

    private static void Hostile(string what, byte[] image, long reason, long vector, long address)
    {
        long got = RunImage(image, 2, 256, out VmExit exit, out _, trap: true);
        Expect(got, reason, what + ": the reason");
        if (vector >= 0) Expect(exit.ExitCode, vector, what + ": the vector");
        if (address >= 0) Expect(exit.Address, address, what + ": the address");
        Check(s_framesKept <= HeapSlack, what + ": frames kept " + s_framesKept);
    }

    // An endless loop in ring 3 takes no exit at all: the host's timer still preempts it, and a kill ends it.
    private static void EndlessDeprivilegedGuestIsKilled()
    {
        long before = FreeFrames();
        Sys.Pipe(out PipeDescriptors started);
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.Close(started.Read);
            long vm = VirtualMachines.CreateWith(new byte[] { 0xEB, 0xFE }, 2, trapEmulated: true);
            byte one = 1;
            Sys.Write(started.Write, new ReadOnlySpan<byte>(&one, 1));
            Sys.VmRun((int)vm, new byte[64], out _);
            Sys.Exit(4);                                   // never reached: the kill ends the thread on its way out
        }
        KillTheChildInItsGuest(child, started, before);
    }
}
