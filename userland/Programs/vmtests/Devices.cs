using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// vmtests' cases for the virtual devices: the timer (kernel/Virt/VirtualTimer.cs) and its interrupts
/// (kernel/Virt/InterruptInjection.cs), and the disk (kernel/Virt/VirtualDisk.cs). Each runs a guest of
/// guests/ and checks its console, its exit and the counts the hypervisor keeps.
/// </summary>
public static unsafe partial class VmTests
{
    private const string DiskFile = "/tmp/vmtests-disk.img";
    private const string Sector0Line = "TeachOS disk, sector 0";
    private const string Sector1Line = "sector 1, as the test wrote it";

    // ticks.bin halts for five ticks, then takes one through the interrupt window, and counts them in its handler.
    private static void TimerTicksReachTheGuest()
    {
        long reason = RunWhole("/guests/ticks.bin", 2, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.Halted, "it halts with interrupts off in the end");
        Check(console.StartsWith("ticks: vector 48 every 10000 us\ntick "), "console: " + console);
        Check(console.Contains("a tick is pending while interrupts are off\n"), "the pending register showed the waiting tick");
        long taken = NumberAfter(console, "taken when they came back on: ");
        Check(taken >= 1, "the waiting tick came when interrupts came on: " + taken);
        long counted = NumberAfter(console, "counted ");
        long delivered = NumberAfter(console, " ticks; the timer delivered ");
        Check(counted >= 6, "the handler counted the five halts' ticks and the window's: " + counted);
        Expect(delivered, counted, "the timer's count is the handler's");
        Expect(exit.InjectedInterrupts, counted, "every tick was injected by EVENTINJ");
        Check(exit.WindowExits >= 1, "a VINTR exit opened the window: " + exit.WindowExits);
        Check(exit.HaltExits >= 5, "five halts waited for a tick: " + exit.HaltExits);
        Check(s_framesKept <= HeapSlack, "frames kept after the machine is destroyed: " + s_framesKept);
        Console.WriteLine("  ticks: " + VirtualMachines.Describe(exit));
    }

    private static void TimerLimits()
    {
        long reason = RunWhole("/guests/timerlimits.bin", 2, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.Halted, "with its timer stopped, its halt ends it (no wait for ever)");
        Check(console == "vector 5 refused, vector is 0\nperiod 1 us: 1000\nperiod 4294967295 us: 1000000\nperiod 0 us: 0\n",
              "an exception's vector refused, periods held to a host tick and to a second, 0 stops: " + console);
        Expect(exit.InjectedInterrupts, 0, "no tick was injected");
        Expect(exit.HaltExits, 0, "no halt waited");
    }

    private static void HaltWithInterruptsOffEnds()
    {
        long reason = RunWhole("/guests/deafhalt.bin", 2, 4096, out VmExit exit, out string console);
        Expect(reason, VmExitReason.Halted, "a halt with interrupts off ends the guest though its timer runs");
        Expect(exit.ExitCode, 0x78, "at the HLT exit");
        Check(console == "timer on, interrupts off, halting\n", "console: " + console);
        Expect(exit.InjectedInterrupts, 0, "no tick was injected into a guest with interrupts off");
    }

    // A guest waiting in HLT for its next tick (a second away) is a host thread asleep: the test's own
    // sleep runs on time beside it, and a kill ends the wait, the process and the machine.
    private static void IdleGuestIsKilledInItsHalt()
    {
        long before = FreeFrames();
        Sys.Pipe(out PipeDescriptors started);
        long child = Sys.Fork();
        if (child == 0)
        {
            Sys.Close(started.Read);
            byte[] image = VirtualMachines.ReadImage("/guests/idle.bin", out _);
            long vm = VirtualMachines.CreateWith(image, 2);
            byte one = 1;
            Sys.Write(started.Write, new ReadOnlySpan<byte>(&one, 1));
            Sys.VmRun((int)vm, new byte[64], out _);      // returns only at a ConsoleFull, which 64 bytes never fill
            Sys.VmRun((int)vm, new byte[64], out _);
            Sys.Exit(4);
        }
        KillTheChildInItsGuest(child, started, before);
    }

    private static void DiskReadsAndWritesTheFile()
    {
        long file = MakeDiskFile(OpenFlags.ReadWrite);
        long reason = RunWhole("/guests/disk.bin", 2, 4096, out VmExit exit, out string console, (int)file);
        Sys.Close((int)file);
        Expect(reason, VmExitReason.Halted, "it halts");
        Check(console == "disk: 2 sectors\n"
                       + "read sector 0: status 0\n  | " + Sector0Line + "\n"
                       + "write sector 1: status 0\n"
                       + "read sector 1: status 0\n  | written by the guest\n"
                       + "read the sector past the end: status 1\n"
                       + "write sector 4294967295: status 1\n",
              "two whole sectors (the tail is not one); sector 0 read; sector 1 written and read back; past the end refused: " + console);
        Expect(exit.DiskSectorsRead, 2, "two sectors read from the file");
        Expect(exit.DiskSectorsWritten, 1, "one written");
        string after = Files.ReadAllText(DiskFile, out _);
        bool whole = after != null && after.Length == 1124;
        Check(whole, "the file kept its size: " + (after == null ? -1 : after.Length));
        Check(whole && after.Substring(512, 21) == "written by the guest\n", "sector 1 of the file holds the guest's line");
        Check(whole && after.StartsWith(Sector0Line), "sector 0 is as it was");
        Check(s_framesKept <= HeapSlack, "frames kept after the machine is destroyed: " + s_framesKept);
        Sys.Unlink(DiskFile);
    }

    private static void ReadOnlyDiskRefusesWrites()
    {
        long file = MakeDiskFile(OpenFlags.ReadOnly);
        long reason = RunWhole("/guests/disk.bin", 2, 4096, out VmExit exit, out string console, (int)file);
        Sys.Close((int)file);
        Expect(reason, VmExitReason.Halted, "it halts");
        Check(console.Contains("write sector 1: status 3\n"), "the write is refused with a status: " + console);
        Check(console.Contains("read sector 1: status 0\n  | " + Sector1Line + "\n"), "sector 1 is the file's");
        Expect(exit.DiskSectorsWritten, 0, "nothing written");
        string after = Files.ReadAllText(DiskFile, out _);
        Check(after != null && after.Length == 1124 && after.Substring(512, Sector1Line.Length) == Sector1Line, "the file is unchanged");

        // And with no disk at all, the device says so.
        reason = RunWhole("/guests/disk.bin", 2, 4096, out exit, out console);
        Expect(reason, VmExitReason.Halted, "it halts without a disk too");
        Check(console == "disk: 0 sectors\nno disk: status 2\n", "no disk: " + console);
        Sys.Unlink(DiskFile);
    }

    private static void DiskRefusals()
    {
        long before = FreeFrames();
        long file = MakeDiskFile(OpenFlags.ReadWrite);
        Files.WriteAllText("/tmp/vmtests-small.img", "less than a sector");
        long small = Sys.Open("/tmp/vmtests-small.img", OpenFlags.ReadOnly);
        long directory = Sys.Open("/tmp", OpenFlags.ReadOnly);
        long vm = Sys.VmCreate(2);
        Check(vm >= 0, "create");
        Expect(Sys.VmAttachDisk((int)vm, 1), -Errno.EINVAL, "the console is no disk");
        Expect(Sys.VmAttachDisk((int)vm, (int)small), -Errno.EINVAL, "a file smaller than a sector");
        Expect(Sys.VmAttachDisk((int)vm, (int)directory), -Errno.EINVAL, "a directory");
        Expect(Sys.VmAttachDisk((int)vm, (int)vm), -Errno.EINVAL, "the machine itself");
        Expect(Sys.VmAttachDisk((int)vm, 99), -Errno.EBADF, "no descriptor");
        Expect(Sys.VmAttachDisk((int)file, (int)file), -Errno.EBADF, "a file is no machine");
        Expect(Sys.VmAttachDisk((int)vm, (int)file), 0, "the disk file");
        Expect(Sys.VmAttachDisk((int)vm, (int)file), -Errno.EEXIST, "a second disk");
        Sys.Close((int)file);
        Sys.Close((int)small);
        Sys.Close((int)directory);
        Expect(Sys.VmDestroy((int)vm), 0, "destroy: the machine gives the file back");
        Expect(Sys.Unlink(DiskFile), 0, "the file can go");
        Sys.Unlink("/tmp/vmtests-small.img");
        Check(FramesKept(before) <= HeapSlack, "frames kept: " + FramesKept(before));
    }

    // Two sectors and a 100-byte tail (not a whole sector, so not part of the disk); opened with flags.
    private static long MakeDiskFile(int flags)
    {
        string text = Padded(Sector0Line + "\n", 512) + Padded(Sector1Line + "\n", 512) + Padded("", 100);
        Expect(Files.WriteAllText(DiskFile, text), 0, "write the disk file");
        long file = Sys.Open(DiskFile, flags);
        Check(file >= 0, "open the disk file");
        return file;
    }

    private static string Padded(string text, int length)
    {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = i < text.Length ? text[i] : '.';
        return new string(chars);
    }

    // The decimal number that follows the first <paramref name="marker"/> in text, or -1.
    private static long NumberAfter(string text, string marker)
    {
        int at = text.IndexOf(marker);
        if (at < 0) return -1;
        long value = 0;
        int i = at + marker.Length, start = i;
        for (; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++) value = value * 10 + (text[i] - '0');
        return i == start ? -1 : value;
    }
}
