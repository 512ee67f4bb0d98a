using System;
using Abi;
using TeachOS;

/// <summary>
/// The hypervisor's figure (kernel/Virt; docs/guide/14-virtual-machines.md): the world switch's round
/// trip, VMRUN, a #VMEXIT for a guest's CPUID, the exit's handler, and VMRUN again. A guest of a few
/// bytes runs CPUID in a loop: the run with 1,001 of them less the run with 1, over 1,000, is one round
/// trip (with the guest's own four instructions of the loop). Under -icount (tools/bench.sh insns)
/// rdtsc counts guest instructions, the nested guest's too: QEMU executes both. Then the exits a second
/// of a busy guest with its virtual timer on. Then the trap-and-emulate backend's exit (kernel/Virt/TrapEmulate:
/// a ring-3 guest's CLI, its #GP, the decoder, the emulator, iretq), measured the same way, and one
/// guest, guests/twice.bin, on both backends: its exits and its cycles.
/// </summary>
public static unsafe partial class Bench
{
    private const int VmSamples = 11;
    private const int CpuidRounds = 1000;

    private static int VirtualMachineFigures()
    {
        ulong[] many = new ulong[VmSamples], one = new ulong[VmSamples];
        for (int i = 0; i < VmSamples; i++)
        {
            long timed = TimeCpuidGuest(CpuidRounds + 1);
            long single = TimeCpuidGuest(1);
            if (timed < 0 || single < 0)
            {
                Console.WriteLine("bench vm-exit-roundtrip: not measured (" + Errno.Name((int)-(timed < 0 ? timed : single)) + ")");
                return 0;
            }
            many[i] = (ulong)timed;
            one[i] = (ulong)single;
        }
        ulong difference = Timestamp.Median(many, VmSamples) - Timestamp.Median(one, VmSamples);
        Report("vm-exit-roundtrip", difference / CpuidRounds, "cycles (a guest's CPUID: VMRUN, #VMEXIT, the handler, VMRUN)");
        BusyGuestWithTimer();
        TrapEmulatedFigures();
        return 0;
    }

    private static void TrapEmulatedFigures()
    {
        ulong[] many = new ulong[VmSamples], one = new ulong[VmSamples];
        for (int i = 0; i < VmSamples; i++)
        {
            long timed = TimeCliGuest(CpuidRounds + 1);
            long single = TimeCliGuest(1);
            if (timed < 0 || single < 0) { Console.WriteLine("bench vm-trap-exit-roundtrip: not measured"); return; }
            many[i] = (ulong)timed;
            one[i] = (ulong)single;
        }
        ulong difference = Timestamp.Median(many, VmSamples) - Timestamp.Median(one, VmSamples);
        Report("vm-trap-exit-roundtrip", difference / CpuidRounds, "cycles (a ring-3 guest's CLI: #GP, decode, emulate, iretq)");
        byte[] image = VirtualMachines.ReadImage("/guests/twice.bin", out _);
        if (image == null) { Console.WriteLine("bench vm-twice: not measured"); return; }
        foreach (bool trap in new[] { false, true })
        {
            long vm = VirtualMachines.CreateWith(image, 2, trap);
            if (vm < 0) { Console.WriteLine("bench vm-twice: not measured (" + Errno.Name((int)-vm) + ")"); return; }
            byte[] console = new byte[4096];
            ulong start = Timestamp.Read();
            long reason = Sys.VmRun((int)vm, console, out VmExit exit);
            ulong cycles = Timestamp.Read() - start;
            Sys.VmDestroy((int)vm);
            if (reason != VmExitReason.Halted) { Console.WriteLine("bench vm-twice: not measured"); return; }
            Report(trap ? "vm-twice-trap" : "vm-twice-svm", cycles, "cycles (guests/twice.bin: " + exit.Exits + " exits, "
                   + exit.IoExits + " I/O, " + exit.PrivilegedExits + " privileged emulated)");
        }
    }

    // Cycles of one VmRun on the trap-and-emulate backend of a guest that executes CLI `rounds` times, then HLT.
    private static long TimeCliGuest(int rounds)
    {
        byte[] guest =
        {
            0xBE, (byte)rounds, (byte)(rounds >> 8), (byte)(rounds >> 16), (byte)(rounds >> 24),   // mov esi, rounds
            0xFA,                               // again: cli (a #GP in ring 3)
            0x83, 0xEE, 0x01,                   //        sub esi, 1 (64-bit mode: no one-byte dec)
            0x75, 0xFA,                         //        jnz again (back 6 bytes)
            0xF4,                               // hlt
        };
        long vm = VirtualMachines.CreateWith(guest, 1, trapEmulated: true);
        if (vm < 0) return vm;
        byte[] console = new byte[16];
        ulong start = Timestamp.Read();
        long reason = Sys.VmRun((int)vm, console, out VmExit exit);
        ulong cycles = Timestamp.Read() - start;
        Sys.VmDestroy((int)vm);
        if (reason != VmExitReason.Halted || exit.PrivilegedExits != rounds) return -Errno.EIO;
        return (long)cycles;
    }

    // A guest that loops with a 1 ms virtual timer on (guests/busy.asm), until 200 ticks: how many exits
    // a second that costs, and of them how many were ticks injected.
    private static void BusyGuestWithTimer()
    {
        byte[] image = VirtualMachines.ReadImage("/guests/busy.bin", out long error);
        long vm = image == null ? error : VirtualMachines.CreateWith(image, 2);
        if (vm < 0) { Console.WriteLine("bench vm-timer-busy: not measured (" + Errno.Name((int)-vm) + ")"); return; }
        long start = Sys.Uptime();
        long reason = Sys.VmRun((int)vm, new byte[16], out VmExit exit);
        long milliseconds = Sys.Uptime() - start;
        Sys.VmDestroy((int)vm);
        if (reason != VmExitReason.Halted || milliseconds <= 0) { Console.WriteLine("bench vm-timer-busy: not measured"); return; }
        Report("vm-timer-busy-exits", (ulong)(exit.Exits * 1000 / milliseconds),
               "exits/s (a guest looping with a 1 ms virtual timer: " + exit.InjectedInterrupts + " ticks injected, "
               + exit.InterruptExits + " host interrupts, " + exit.WindowExits + " window exits in " + milliseconds + " ms)");
    }

    // Cycles of one VmRun of a guest that executes CPUID `rounds` times, then HLT.
    private static long TimeCpuidGuest(int rounds)
    {
        byte[] guest =
        {
            0xBE, (byte)rounds, (byte)(rounds >> 8), (byte)(rounds >> 16), (byte)(rounds >> 24),   // mov esi, rounds (CPUID writes EAX to EDX)
            0xB8, 0x00, 0x00, 0x00, 0x40,       // again: mov eax, 0x40000000
            0x0F, 0xA2,                         //        cpuid
            0x4E,                               //        dec esi
            0x75, 0xF6,                         //        jnz again (back 10 bytes)
            0xF4,                               // hlt
        };
        long vm = VirtualMachines.CreateWith(guest, 1);
        if (vm < 0) return vm;
        byte[] console = new byte[16];
        ulong start = Timestamp.Read();
        long reason = Sys.VmRun((int)vm, console, out VmExit exit);
        ulong cycles = Timestamp.Read() - start;
        Sys.VmDestroy((int)vm);
        if (reason != VmExitReason.Halted || exit.CpuidExits != rounds) return -Errno.EIO;
        return (long)cycles;
    }
}
