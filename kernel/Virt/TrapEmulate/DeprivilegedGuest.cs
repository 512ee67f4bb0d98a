using Arch.X64;
using Mem;

namespace Virt
{
    /// <summary>
    /// A machine's state for the trap-and-emulate backend (Virt/TrapEmulate/TrapEmulation.cs): the
    /// guest's registers while it is not running (a TrapFrame: the shape its traps arrive in), its
    /// virtual CPU (Virt/TrapEmulate/VirtualCpu.cs), and the page-table root it runs on.
    ///
    /// The root is the host's kind of table, for ring 3: its top entry 0 is the nested table's (Virt/
    /// GuestMemory.cs), whose entries all have the User bit, so guest-virtual addresses 0 to the memory's
    /// size are the guest's own frames, the same ones the SVM backend gives it; the upper half is the
    /// kernel's, as in every address space (traps must find the kernel there), and supervisor-only, so
    /// the guest's touches of it fault. The guest runs in 64-bit mode at ring 3 with IOPL 0 (so IN and
    /// OUT fault as well as CLI, STI and HLT), on the host's user code and data segments.
    /// </summary>
    public sealed unsafe class DeprivilegedGuest
    {
        private const ulong InterruptFlag = 1ul << 9;
        private const ulong ReservedOne = 1ul << 1;       // RFLAGS bit 1 always reads 1

        public readonly ulong Root;                      // the PML4's physical address
        public TrapFrame Registers;
        public VirtualCpu Cpu = VirtualCpu.AtStart();
        public ulong HostStack;                          // where Arch/X64/Deprivileged.cs Leave returns to
        public long PrivilegedExits;                     // CLI, STI, LGDT, MOV CR3, WRMSR ... emulated

        private DeprivilegedGuest(ulong root) { Root = root; }

        /// <summary>A root over <paramref name="memory"/>, or null when no frame is left.</summary>
        public static DeprivilegedGuest TryCreate(GuestMemory memory)
        {
            ulong root = MemoryBudget.TryAllocateUserFrame();        // zeroed
            if (root == 0) return null;
            for (int slot = AddressSpace.FirstKernelSlot; slot < 512; slot++)
                PageTables.CopyTopLevelEntry(KernelAddressSpace.Pml4, root, slot);
            ((ulong*)DirectMap.ToVirtual(root))[0] = ((ulong*)DirectMap.ToVirtual(memory.NestedRoot))[0];
            var guest = new DeprivilegedGuest(root);
            guest.Registers.Cs = Selectors.UserCode;
            guest.Registers.Ss = Selectors.UserData;
            guest.Registers.Rsp = memory.Size;                       // the stack at the top of its memory, as on SVM
            guest.Registers.Rflags = InterruptFlag | ReservedOne;    // the real IF: on, so the host keeps its timer
            return guest;
        }

        public void Free() => FrameAllocator.Free(Root);
    }
}
