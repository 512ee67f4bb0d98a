using System;
using Abi;
using Arch.X64;
using Mem;
using Proc;
using Sched;

namespace Virt
{
    /// <summary>
    /// One virtual machine: its guest-physical memory (Virt/GuestMemory.cs), one virtual CPU (a VMCB page
    /// and the general registers VMRUN does not switch), an ASID, the console's output, its timer and
    /// disk (Virt/VirtualTimer.cs, VirtualDisk.cs), and the counts of its exits. <see cref="Run"/> is the
    /// hypervisor's loop: VMRUN, #VMEXIT, handle the exit (Virt/ExitDispatch.cs), again, until a handler
    /// stops the guest; before each VMRUN a timer tick that fell due is injected
    /// (Virt/InterruptInjection.cs). A process holds the machine through a descriptor
    /// (Virt/VirtualMachineDescriptor.cs); its last close calls <see cref="Destroy"/>.
    /// A machine made by <see cref="TryCreateTrapEmulated"/> has no VMCB: it runs on the
    /// trap-and-emulate backend (Virt/TrapEmulate/TrapEmulation.cs), with the same memory, devices and counts.
    /// </summary>
    public sealed unsafe class VirtualMachine
    {
        private const ulong MiB = 1024 * 1024;
        private const int ConsoleCapacity = 4096;
        private static ulong s_lastId;         // numbers the machines in the host's reports (changed atomically)

        public readonly int Id;
        public readonly GuestMemory Memory;
        public readonly Vmcb* Vmcb;            // null on the trap-and-emulate backend
        public readonly DeprivilegedGuest Deprivileged;   // that backend's state; null on SVM
        private readonly ulong _vmcbPhysical;
        private readonly uint _asid;
        public GuestRegisters Registers;

        private readonly byte[] _console = new byte[ConsoleCapacity];
        private int _consoleLength, _consoleLimit;
        public bool ConsoleIsFull => _consoleLength >= _consoleLimit;

        public long Exits, IoExits, InterruptExits, CpuidExits;
        public long InjectedInterrupts, WindowExits, HaltExits;
        public VirtualTimer Timer;             // the guest's timer device (Virt/VirtualTimer.cs)
        public VirtualDisk Disk;               // its disk, if it was given one (Virt/VirtualDisk.cs)
        public long LastAddress, Status;
        private bool _entrySet, _stopped;
        private uint _running;                 // 1 while a thread is in Run (changed atomically)
        private int _lastCpu = -1;             // where it last ran: the TLB is flushed when that changes

        private VirtualMachine(GuestMemory memory, ulong vmcbPhysical, uint asid)
        {
            fixed (ulong* last = &s_lastId) Id = (int)Atomic.Add(last, 1);
            Memory = memory;
            _vmcbPhysical = vmcbPhysical;
            Vmcb = (Vmcb*)DirectMap.ToVirtual(vmcbPhysical);
            _asid = asid;
        }

        private VirtualMachine(GuestMemory memory, DeprivilegedGuest guest)
        {
            fixed (ulong* last = &s_lastId) Id = (int)Atomic.Add(last, 1);
            Memory = memory;
            Deprivileged = guest;
        }

        /// <summary>
        /// A machine for the trap-and-emulate backend, with <paramref name="memoryMiB"/> MiB, or a negated
        /// errno. It needs no SVM: any x86-64 CPU runs it.
        /// </summary>
        public static long TryCreateTrapEmulated(int memoryMiB, out VirtualMachine machine)
        {
            machine = null;
            if (memoryMiB < 1 || memoryMiB > VirtualMachineLimits.MaximumMemoryMiB) return -Errno.EINVAL;
            ulong size = ((ulong)memoryMiB * MiB + 2 * MiB - 1) / (2 * MiB) * (2 * MiB);
            GuestMemory memory = GuestMemory.TryCreate(size);
            DeprivilegedGuest guest = memory == null ? null : DeprivilegedGuest.TryCreate(memory);
            if (guest == null)
            {
                if (memory != null) { memory.Free(); KernelHeap.Free(memory); }
                return -Errno.ENOMEM;
            }
            machine = new VirtualMachine(memory, guest);
            machine.Deprivileged.Registers.Rip = VirtualMachineLimits.DefaultLoadAddress;
            return 0;
        }

        /// <summary>A machine with <paramref name="memoryMiB"/> MiB, or a negated errno.</summary>
        public static long TryCreate(int memoryMiB, out VirtualMachine machine)
        {
            machine = null;
            if (!SvmHost.IsAvailable) return -Errno.ENODEV;
            if (memoryMiB < 1 || memoryMiB > VirtualMachineLimits.MaximumMemoryMiB) return -Errno.EINVAL;
            uint asid = AsidAllocator.Allocate();
            if (asid == 0) return -Errno.EAGAIN;
            // Guest memory comes in whole page tables: 2 MiB steps (a guest asked for 1 MiB gets 2).
            ulong size = ((ulong)memoryMiB * MiB + 2 * MiB - 1) / (2 * MiB) * (2 * MiB);
            GuestMemory memory = GuestMemory.TryCreate(size);
            ulong vmcb = memory == null ? 0 : MemoryBudget.TryAllocateUserFrame();
            if (vmcb == 0)
            {
                if (memory != null) { memory.Free(); KernelHeap.Free(memory); }
                AsidAllocator.Free(asid);
                return -Errno.ENOMEM;
            }
            machine = new VirtualMachine(memory, vmcb, asid);
            VmcbSetup.Initialize(machine.Vmcb, asid, memory.NestedRoot, size, VirtualMachineLimits.DefaultLoadAddress);
            return 0;
        }

        /// <summary>Claims the machine for one thread's call (load or run); false if another thread has it.</summary>
        public bool TryClaim()
        {
            fixed (uint* running = &_running) return Atomic.Exchange(running, 1) == 0;
        }

        public void Unclaim() => _running = 0;

        /// <summary>Where an image of <paramref name="length"/> bytes may go: 0, or the errno that refuses it.</summary>
        public long CheckLoad(ulong length, ulong guestAddress)
        {
            if (length > Memory.Size) return -Errno.E2BIG;
            if (length == 0 || guestAddress >= Memory.Size || length > Memory.Size - guestAddress) return -Errno.EINVAL;
            if (_stopped) return -Errno.EPERM;
            return 0;
        }

        /// <summary>The host's view of the guest's page at <paramref name="guestAddress"/>, up to the page's end.</summary>
        public Span<byte> GuestPage(ulong guestAddress, ulong most)
        {
            ulong inPage = FrameAllocator.FrameSize - guestAddress % FrameAllocator.FrameSize;
            return new Span<byte>(Memory.HostPointer(guestAddress), (int)(most < inPage ? most : inPage));
        }

        /// <summary>The first image loaded says where the guest starts.</summary>
        public void Loaded(ulong guestAddress)
        {
            if (_entrySet) return;
            if (Deprivileged != null) Deprivileged.Registers.Rip = guestAddress;
            else Vmcb->Rip = guestAddress;
            _entrySet = true;
        }

        /// <summary>Gives the machine a disk on <paramref name="file"/> (whose reference it takes on success): 0 or a negated errno.</summary>
        public long AttachDisk(Fs.OpenFile file)
        {
            if (_stopped) return -Errno.EPERM;
            if (Disk != null) return -Errno.EEXIST;
            long result = VirtualDisk.TryCreate(file, out VirtualDisk disk);
            if (result == 0) Disk = disk;
            return result;
        }

        public void AppendConsole(byte value)
        {
            if (_consoleLength < _consoleLimit) _console[_consoleLength++] = value;
        }

        public ReadOnlySpan<byte> ConsoleOutput => new ReadOnlySpan<byte>(_console, 0, _consoleLength);

        /// <summary>
        /// The hypervisor's loop: runs the guest until an exit stops it or its console output reaches
        /// <paramref name="consoleRoom"/> bytes; returns the VmExitReason, or -EINTR when the process is
        /// killed, -EPERM when the guest had stopped before. The caller holds the claim.
        /// </summary>
        public long Run(int consoleRoom)
        {
            if (_stopped) return -Errno.EPERM;
            _consoleLength = 0;
            _consoleLimit = consoleRoom < ConsoleCapacity ? consoleRoom : ConsoleCapacity;
            if (Deprivileged != null)
            {
                long result = TrapEmulation.Run(this);
                if (result >= 0 && result != VmExitReason.ConsoleFull) _stopped = true;
                return result;
            }
            int reason = ExitDispatch.Continue;
            while (reason == ExitDispatch.Continue)
            {
                // Each turn checks for a kill: a guest in an endless loop still exits at every timer
                // tick (the INTR intercept), so a kill takes effect within a tick.
                if (Process.Current.Killed) return -Errno.EINTR;
                InterruptInjection.BeforeEntry(this);
                RunOnce();
                reason = ExitDispatch.Handle(this);
            }
            if (reason != VmExitReason.ConsoleFull) _stopped = true;
            return reason;
        }

        // One VMRUN to #VMEXIT. Interrupts are off from choosing this CPU's host areas until the guest
        // has left it; turning them back on takes the interrupt that ended the guest, if one did, and
        // the scheduler may switch this thread out right there (kernel preemption), as for any kernel code.
        private void RunOnce()
        {
            bool wereOn = Interrupts.Save();
            ulong hostVmcb = SvmHost.PrepareThisCpu();
            int cpu = Processor.Current.Id;
            // The ASID keeps this guest's TLB entries apart from everyone else's, but the entries this
            // ASID left on another CPU, or an earlier VM's with the same ASID, may be stale: flush when
            // the CPU changes (APM vol. 2, 15.16.1). QEMU flushes everything either way.
            Vmcb->TlbControl = (byte)(cpu != _lastCpu ? 1 : 0);
            _lastCpu = cpu;
            fixed (GuestRegisters* registers = &Registers)
                Svm.SwitchToGuest(_vmcbPhysical, hostVmcb, registers);
            Interrupts.Restore(wereOn);
        }

        /// <summary>Fills in what VmRun reports.</summary>
        public VmExit Describe(int reason) => new VmExit
        {
            Reason = reason,
            ConsoleLength = _consoleLength,
            ExitCode = Deprivileged != null ? (long)Deprivileged.Registers.Vector : (long)Vmcb->ExitCode,
            Rip = Deprivileged != null ? (long)Deprivileged.Registers.Rip : (long)Vmcb->Rip,
            Address = LastAddress,
            Status = Status,
            Exits = Exits,
            IoExits = IoExits,
            InterruptExits = InterruptExits,
            CpuidExits = CpuidExits,
            InjectedInterrupts = InjectedInterrupts,
            WindowExits = WindowExits,
            HaltExits = HaltExits,
            DiskSectorsRead = Disk == null ? 0 : Disk.SectorsRead,
            DiskSectorsWritten = Disk == null ? 0 : Disk.SectorsWritten,
            PrivilegedExits = Deprivileged == null ? 0 : Deprivileged.PrivilegedExits,
        };

        /// <summary>Frees everything the machine holds; it must not be running (its descriptor's last close).</summary>
        public void Destroy()
        {
            Memory.Free();
            KernelHeap.Free(Memory);
            if (Deprivileged != null) { Deprivileged.Free(); KernelHeap.Free(Deprivileged); }
            else
            {
                FrameAllocator.Free(_vmcbPhysical);
                AsidAllocator.Free(_asid);
            }
            KernelHeap.Free(_console);
            if (Disk != null) { Disk.Detach(); KernelHeap.Free(Disk); Disk = null; }
        }
    }
}
