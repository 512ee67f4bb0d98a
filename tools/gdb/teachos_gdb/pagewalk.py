"""The four-level page walk of an x86-64 address, as the MMU makes it (Intel SDM vol. 3A, 4.5), in
words: for each level the index the address selects, the entry's value, its flags, and where it
leads (the next table, or the frame); then the frame and the offset in it. The walk reads physical
memory through a function it is given, so it runs against a stopped machine (commands.py, GDB) and
against a dictionary in the host tests (tools/gdb/tests/test_pagewalk.py) alike. The kernel's own walk
is kernel/Arch/X64/PageTables.cs (Walk); vmmap's view of a whole user half is kernel/Mem/MappingWalk.cs.
"""

from . import names

PAGE_OFFSET_BITS = 12
NEXT_LEVEL = ("PDPT", "PD", "PT", "page")
LARGE_PAGE_SIZES = {1: 1 << 30, 2: 1 << 21}          # a PS bit in a PDPT entry maps 1 GiB; in a PD, 2 MiB


def walk(address, cr3, read_physical_u64):
    """The lines that describe the walk of `address` from the PML4 at `cr3` (its physical address)."""
    address &= 0xFFFFFFFFFFFFFFFF
    table = cr3 & names.ADDRESS_MASK
    indexes = names.page_indexes(address)
    lines = ["virtual 0x%016x, CR3 0x%x: indexes PML4 %d, PDPT %d, PD %d, PT %d; offset 0x%03x" % (
        address, table, indexes[0], indexes[1], indexes[2], indexes[3], address & 0xFFF)]
    for level, index in enumerate(indexes):
        entry_address = table + 8 * index
        entry = read_physical_u64(entry_address)
        lines.append("  %-4s[%3d] at 0x%010x: %s" % (names.PAGE_LEVELS[level], index, entry_address,
                                                     names.describe_entry(entry, level)))
        if not entry & 1:
            lines.append("  not mapped: an access faults (#PF)")
            return lines
        frame = entry & names.ADDRESS_MASK
        if level in LARGE_PAGE_SIZES and entry >> 7 & 1:
            size = LARGE_PAGE_SIZES[level]
            offset = address & (size - 1)
            base = frame & ~(size - 1)
            lines.append("        entry 0x%016x: maps a %s page at 0x%x" % (
                entry, "1 GiB" if level == 1 else "2 MiB", base))
            lines.append("  -> physical 0x%x (frame 0x%x + offset 0x%x; a %s page)" % (
                base + offset, base, offset, "1 GiB" if level == 1 else "2 MiB"))
            return lines
        if level < 3:
            lines.append("        entry 0x%016x: next, the %s at 0x%x" % (entry, NEXT_LEVEL[level], frame))
        else:
            lines.append("        entry 0x%016x: the page's frame at 0x%x" % (entry, frame))
        table = frame
    offset = address & ((1 << PAGE_OFFSET_BITS) - 1)
    lines.append("  -> physical 0x%x (frame 0x%x + offset 0x%x)" % (table + offset, table, offset))
    return lines
