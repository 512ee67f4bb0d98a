using System;
using TeachOS.Boundary;

namespace Abi
{
    /// <summary>The hypervisor's system calls (160-169). Part of the one table in abi/Syscalls.cs.</summary>
    public partial interface ISyscalls
    {
        // ---- Virtual machines (160-169; kernel/Virt, guide chapter 14). A VM is a descriptor: close (or
        // the process's exit) destroys it and gives its frames back. -ENODEV on a CPU without AMD SVM. ----

        /// <summary>
        /// Creates a virtual machine with <paramref name="memoryMiB"/> MiB of guest-physical memory (1 to
        /// VirtualMachineLimits.MaximumMemoryMiB, zeroed) and one virtual CPU; returns its descriptor. -EINVAL
        /// for a size out of range, -ENOMEM when the frames are not there, -ENODEV without SVM and nested paging.
        /// </summary>
        [Syscall(160)] long VmCreate(int memoryMiB);

        /// <summary>
        /// Copies <paramref name="image"/> into the guest's memory at guest-physical
        /// <paramref name="guestAddress"/>; the first load also sets where the guest starts (its RIP).
        /// -E2BIG for an image larger than the guest's memory, -EINVAL for an empty one or one that does not
        /// fit at that address, -EBUSY while the VM runs, -EBADF for what is not a VM.
        /// </summary>
        [Syscall(161)] long VmLoad(int vm, ReadOnlySpan<byte> image, long guestAddress);

        /// <summary>
        /// Runs the guest until it stops (halts, faults outside its memory, shuts down, executes what a
        /// guest may not) or its console output fills <paramref name="console"/>; returns the reason
        /// (VmExitReason) and fills <paramref name="exit"/>. The guest's console bytes are at the start of
        /// <paramref name="console"/> (exit.ConsoleLength of them). Call again after ConsoleFull to go on.
        /// -EINTR when the process is killed meanwhile, -EBUSY when another thread runs it, -EPERM after it stopped.
        /// </summary>
        [Syscall(162)] long VmRun(int vm, Span<byte> console, out VmExit exit);

        /// <summary>Destroys a virtual machine: its descriptor closes and its memory goes back (as close; -EBADF for what is not a VM).</summary>
        [Syscall(163)] long VmDestroy(int vm);

        /// <summary>
        /// Gives the machine a virtual disk whose sectors are the bytes of the file open at
        /// <paramref name="file"/> (kernel/Virt/VirtualDisk.cs): its whole 512-byte sectors, read and written
        /// at the descriptor's position, so the caller should leave the descriptor alone (or close it: the
        /// machine keeps the file open until it is destroyed). A file open read-only makes a disk whose writes
        /// fail. -EINVAL for what is not a regular file or is smaller than a sector, -EEXIST when the machine
        /// has a disk, -EBUSY while it runs, -EPERM after it stopped, -EBADF for a bad descriptor of either kind.
        /// </summary>
        [Syscall(164)] long VmAttachDisk(int vm, int file);

        /// <summary>
        /// As VmCreate, for the trap-and-emulate backend (kernel/Virt/TrapEmulate): the guest runs
        /// deprivileged in ring 3, in 64-bit mode, and each privileged instruction it executes faults and is
        /// emulated. Needs no SVM. vm_load, vm_run, vm_destroy and vm_attach_disk work on it as on the other.
        /// </summary>
        [Syscall(165)] long VmCreateTrapEmulated(int memoryMiB);
    }
}
