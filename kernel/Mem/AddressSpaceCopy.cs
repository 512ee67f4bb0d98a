using Arch.X64;

namespace Mem
{
    /// <summary>
    /// fork's copy of a process's memory: every present page of the parent's user half gets a new frame
    /// in the child, at the same address, with the same permissions and a copy of the same bytes. The
    /// copy is eager: a fork of a 16 MiB process copies 16 MiB, even though the child of a shell execs
    /// a new program at once and throws the copy away. Copy-on-write is the cure (CopyPage says where it
    /// would go): share the frames read-only and copy a page only when one side writes to it.
    ///
    /// The walk goes through the parent's four levels of tables the way the MMU does (PML4, PDPT, PD,
    /// PT; Arch/X64/PageTables.cs) and touches only the bottom half: the top half is the kernel's, shared
    /// by every address space already (AddressSpace.Create).
    /// </summary>
    public static unsafe class AddressSpaceCopy
    {
        private const int UserSlots = 256;         // PML4 entries 0-255: the user half
        private const int EntriesPerTable = 512;
        private const int WordsPerPage = (int)(PageTables.PageSize / sizeof(ulong));

        /// <summary>
        /// Copies every user page of <paramref name="parent"/> into <paramref name="child"/>, a new,
        /// empty address space nobody runs yet. 0, or -ENOMEM when frames ran short (down to the
        /// reserve: Mem/MemoryBudget.cs); the caller then destroys the child with what was copied so
        /// far, and the parent is as it was. The caller keeps the parent's mappings still (it holds the
        /// process's MemoryLock), so the tables walked here do not change; the bytes in them may, if
        /// another thread of the parent writes meanwhile, and the child sees whichever bytes were there.
        /// </summary>
        public static long CopyUserPages(AddressSpace parent, AddressSpace child)
        {
            ulong* pml4 = (ulong*)DirectMap.ToVirtual(parent.Pml4);
            for (int slot = 0; slot < UserSlots; slot++)
            {
                if ((pml4[slot] & PageTables.Present) == 0) continue;
                long copied = CopyTable(pml4[slot] & PageTables.AddressMask, level: 2, (ulong)slot << 39, child);
                if (copied < 0) return copied;
            }
            return 0;
        }

        // level 2 = a PDPT, 1 = a PD, 0 = a PT (whose entries are pages). `start` is the first address
        // the table maps; each entry of a level-n table covers 4 KiB << (9 * n).
        private static long CopyTable(ulong table, int level, ulong start, AddressSpace child)
        {
            ulong* entries = (ulong*)DirectMap.ToVirtual(table);
            int shift = 12 + 9 * level;
            for (int i = 0; i < EntriesPerTable; i++)
            {
                if ((entries[i] & PageTables.Present) == 0) continue;
                ulong address = start + ((ulong)i << shift);
                // User space is mapped a 4 KiB page at a time (AddressSpace.TryMapNewPage): no huge pages here.
                long copied = level == 0 ? CopyPage(entries[i], address, child)
                                         : CopyTable(entries[i] & PageTables.AddressMask, level - 1, address, child);
                if (copied < 0) return copied;
            }
            return 0;
        }

        /// <summary>
        /// The eager copy of one page: a fresh frame for the child, filled now through the direct map.
        /// Copy-on-write would replace this method: map the parent's frame into the child too, clear the
        /// Writable bit in both entries and mark them COW (a software bit), count the frame's mappings,
        /// and let the page-fault handler copy the page on the first write from either side. (The parent's
        /// entries change then, so the CPUs running its other threads must forget the old, writable
        /// translations: a TLB shootdown after the walk, Mem/TlbShootdown.cs. The eager copy changes
        /// nothing of the parent's and needs none.)
        /// </summary>
        private static long CopyPage(ulong parentEntry, ulong address, AddressSpace child)
        {
            bool writable = (parentEntry & PageTables.Writable) != 0;
            bool executable = (parentEntry & PageTables.NoExecute) == 0;
            bool flags = child.Lock.Acquire();
            ulong frame = child.TryMapNewPage(address, writable, executable);
            child.Lock.Release(flags);
            if (frame == 0) return -Abi.Errno.ENOMEM;
            // Eight bytes at a time (the base library's byte copy would take eight times the instructions).
            ulong* from = (ulong*)DirectMap.ToVirtual(parentEntry & PageTables.AddressMask);
            ulong* to = (ulong*)DirectMap.ToVirtual(frame);
            for (int i = 0; i < WordsPerPage; i++) to[i] = from[i];
            return 0;
        }
    }
}
