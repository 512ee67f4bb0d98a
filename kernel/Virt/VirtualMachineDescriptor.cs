using Fs;

namespace Virt
{
    /// <summary>
    /// A virtual machine as a file descriptor, as Linux's KVM hands out one per VM: the descriptor table
    /// then does the owning. Fork shares it, close releases it, and a process's exit (or kill) closes
    /// its descriptors, so its machines are destroyed and their frames go back with no list of VMs per
    /// process. A thread inside VmRun holds a reference of its own: a close from another thread
    /// meanwhile frees nothing until the run returns. read and write are refused; the VM calls (160-169) act on it.
    /// </summary>
    public sealed class VirtualMachineDescriptor : OpenFile
    {
        public readonly VirtualMachine Machine;

        public VirtualMachineDescriptor(VirtualMachine machine) => Machine = machine;

        public override FileKind Kind => FileKind.VirtualMachine;

        /// <summary>fstat's size: the guest's memory in bytes.</summary>
        public override long Size => (long)Machine.Memory.Size;

        protected override void Closed()
        {
            Machine.Destroy();
            Mem.KernelHeap.Free(Machine);
        }
    }
}
