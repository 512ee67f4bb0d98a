using System;
using Abi;

namespace TeachOS
{
    /// <summary>
    /// What `vm` and the VM tests share: reading a guest image, loading it into a new machine, and
    /// describing an exit the way a person reads it. The calls themselves are Sys.VmCreate, VmLoad, VmRun,
    /// VmDestroy, VmAttachDisk and VmCreateTrapEmulated (abi/Syscalls.VirtualMachines.cs, 160-165).
    /// </summary>
    public static unsafe class VirtualMachines
    {
        /// <summary>The largest guest image `vm` reads: the largest guest's memory.</summary>
        public const int MaximumImage = VirtualMachineLimits.MaximumMemoryMiB * 1024 * 1024;

        /// <summary>A file's bytes (at most <see cref="MaximumImage"/> and one more, so that a larger one is seen as such), or null with the errno.</summary>
        public static byte[] ReadImage(string path, out long error)
        {
            error = Sys.Open(path, OpenFlags.ReadOnly);
            if (error < 0) return null;
            int descriptor = (int)error;
            error = Sys.FileStatus(descriptor, out FileStatus status);
            byte[] image = null;
            if (error >= 0)
            {
                long size = status.Size > MaximumImage ? MaximumImage + 1 : status.Size;
                image = new byte[size];
                long done = 0;
                while (done < size)
                {
                    long read = Sys.Read(descriptor, new Span<byte>(image, (int)done, (int)(size - done)));
                    if (read <= 0) { error = read < 0 ? read : -Errno.EIO; image = null; break; }
                    done += read;
                }
            }
            Sys.Close(descriptor);
            if (image != null) error = 0;
            return image;
        }

        /// <summary>
        /// A new machine of <paramref name="memoryMiB"/> MiB with <paramref name="image"/> at 0x1000: its
        /// descriptor, or a negated errno. On the SVM backend, or with <paramref name="trapEmulated"/> on the
        /// trap-and-emulate one (kernel/Virt/TrapEmulate).
        /// </summary>
        public static long CreateWith(ReadOnlySpan<byte> image, int memoryMiB, bool trapEmulated = false)
        {
            long vm = trapEmulated ? Sys.VmCreateTrapEmulated(memoryMiB) : Sys.VmCreate(memoryMiB);
            if (vm < 0) return vm;
            long loaded = Sys.VmLoad((int)vm, image, VirtualMachineLimits.DefaultLoadAddress);
            if (loaded < 0) { Sys.VmDestroy((int)vm); return loaded; }
            return vm;
        }

        /// <summary>"halted at rip 0x1034 (exit 0x78): 23 exits: 20 I/O, 1 CPUID, 2 interrupts".</summary>
        public static string Describe(in VmExit exit)
        {
            string text = VmExitReason.Name(exit.Reason);
            if (exit.Reason == VmExitReason.NestedPageFault) text += " at guest-physical 0x" + HexNumber(exit.Address);
            if (exit.Reason == VmExitReason.UnhandledPort) text += " (port 0x" + HexNumber(exit.Address) + ")";
            if (exit.Reason == VmExitReason.DebugExit) text += " with status " + exit.Status;
            text += " at rip 0x" + HexNumber(exit.Rip) + " (exit 0x" + HexNumber(exit.ExitCode) + "): "
                 + exit.Exits + " exits: " + exit.IoExits + " I/O, " + exit.CpuidExits + " CPUID, " + exit.InterruptExits + " interrupts";
            // What only a guest that used its timer or its disk has: said only then, so a first guest's line stays short.
            if (exit.InjectedInterrupts + exit.WindowExits + exit.HaltExits > 0)
                text += "; " + exit.InjectedInterrupts + " timer interrupts injected, " + exit.WindowExits + " window exits, " + exit.HaltExits + " halts waited";
            if (exit.PrivilegedExits > 0) text += "; " + exit.PrivilegedExits + " privileged instructions emulated";
            if (exit.DiskSectorsRead + exit.DiskSectorsWritten > 0)
                text += "; disk: " + exit.DiskSectorsRead + " sectors read, " + exit.DiskSectorsWritten + " written";
            return text;
        }

        public static string HexNumber(long value)
        {
            ulong v = (ulong)value;
            char[] digits = new char[16];
            int at = 16;
            do { digits[--at] = "0123456789abcdef"[(int)(v & 15)]; v >>= 4; } while (v != 0);
            return new string(digits, at, 16 - at);
        }
    }
}
