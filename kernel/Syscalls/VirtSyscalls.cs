using System;
using Abi;
using Fs;
using Mem;
using Proc;
using TeachOS.Boundary;
using Virt;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the virtual machines (160-165; kernel/Virt, guide chapter 14): create one as a
    /// descriptor, load an image into its memory, run it until it stops, destroy it, give it a disk. The hypervisor
    /// itself is Virt/VirtualMachine.cs; these only check what crosses the boundary.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class VirtSyscalls
    {
        private const int LoadChunk = 512;

        private static Process Current => Process.Current;

        /// <summary>vm_create(MiB): a descriptor for a new machine.</summary>
        public static long VmCreate(int memoryMiB)
        {
            long result = VirtualMachine.TryCreate(memoryMiB, out VirtualMachine machine);
            return result < 0 ? result : Install(machine);
        }

        /// <summary>vm_create_trap_emulated(MiB): a descriptor for a new machine on the trap-and-emulate backend.</summary>
        public static long VmCreateTrapEmulated(int memoryMiB)
        {
            long result = VirtualMachine.TryCreateTrapEmulated(memoryMiB, out VirtualMachine machine);
            return result < 0 ? result : Install(machine);
        }

        private static long Install(VirtualMachine machine)
        {
            long result;
            var descriptor = new VirtualMachineDescriptor(machine);
            result = Current.Files.Add(descriptor);
            if (result < 0)
            {
                descriptor.Release();              // destroys the machine: a failed create leaves nothing
                return -Errno.EMFILE;
            }
            return result;
        }

        /// <summary>vm_load(vm, image, address): copies the image into the guest's memory.</summary>
        public static long VmLoad(int vm, UserBuffer image, long guestAddress)
        {
            VirtualMachineDescriptor descriptor = Acquire(vm);
            if (descriptor == null) return -Errno.EBADF;
            VirtualMachine machine = descriptor.Machine;
            long result = -Errno.EBUSY;
            if (machine.TryClaim())
            {
                result = guestAddress < 0 ? -Errno.EINVAL : machine.CheckLoad(image.Length, (ulong)guestAddress);
                if (result == 0 && !UserMemory.InUserSpace(image)) result = -Errno.EFAULT;
                // Page by page: each guest page is a frame of its own, wherever the host put it.
                for (ulong done = 0; result == 0 && done < image.Length;)
                {
                    Span<byte> page = machine.GuestPage((ulong)guestAddress + done, image.Length - done);
                    if (!UserMemory.CopyIn(Current.AddressSpace, image.Slice(done, (ulong)page.Length), page)) result = -Errno.EFAULT;
                    done += (ulong)page.Length;
                }
                if (result == 0) machine.Loaded((ulong)guestAddress);
                machine.Unclaim();
            }
            descriptor.Release();
            return result;
        }

        /// <summary>vm_run(vm, console, &amp;exit): runs the guest until it stops; the reason.</summary>
        public static long VmRun(int vm, UserBuffer console, UserPointer<VmExit> exit)
        {
            if (console.Length == 0) return -Errno.EINVAL;           // nowhere to put the guest's console
            if (!UserMemory.InUserSpace(console)) return -Errno.EFAULT;
            VirtualMachineDescriptor descriptor = Acquire(vm);
            if (descriptor == null) return -Errno.EBADF;
            VirtualMachine machine = descriptor.Machine;
            long result = -Errno.EBUSY;
            if (machine.TryClaim())
            {
                int room = console.Length > int.MaxValue ? int.MaxValue : (int)console.Length;
                result = machine.Run(room);
                if (result >= 0)
                {
                    ReadOnlySpan<byte> output = machine.ConsoleOutput;
                    bool copied = UserMemory.CopyOut(Current.AddressSpace, console.Slice(0, (ulong)output.Length), output)
                                  && UserMemory.Write(Current.AddressSpace, exit, machine.Describe((int)result));
                    if (!copied) result = -Errno.EFAULT;
                }
                machine.Unclaim();
            }
            descriptor.Release();
            return result;
        }

        /// <summary>vm_destroy(vm): closes the machine's descriptor (its last close frees it).</summary>
        public static long VmDestroy(int vm)
        {
            VirtualMachineDescriptor descriptor = Acquire(vm);
            if (descriptor == null) return -Errno.EBADF;
            descriptor.Release();
            return Current.Files.Close(vm) ? 0 : -Errno.EBADF;
        }

        /// <summary>vm_attach_disk(vm, file): the file's sectors become the guest's disk.</summary>
        public static long VmAttachDisk(int vm, int file)
        {
            VirtualMachineDescriptor descriptor = Acquire(vm);
            if (descriptor == null) return -Errno.EBADF;
            OpenFile backing = Current.Files.Acquire(file);
            long result = -Errno.EBADF;
            if (backing != null)
            {
                result = -Errno.EBUSY;
                if (descriptor.Machine.TryClaim())
                {
                    result = descriptor.Machine.AttachDisk(backing);   // on success the machine keeps this reference
                    descriptor.Machine.Unclaim();
                }
                if (result != 0) backing.Release();
            }
            descriptor.Release();
            return result;
        }

        private static VirtualMachineDescriptor Acquire(int vm)
        {
            OpenFile file = Current.Files.Acquire(vm);
            if (file == null) return null;
            if (file is VirtualMachineDescriptor descriptor) return descriptor;
            file.Release();
            return null;
        }
    }
}
