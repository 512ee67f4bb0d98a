"""C# names for the symbols NativeAOT emits, and the symbol table of an ELF file.

Pure Python (no gdb module): tools/gdb/tests/test_names.py tests it on the host.

ilc names a method <Assembly>_<Namespace>_<Type>__<Method>, every '.' turned into '_':
    Kernel_Sched_Scheduler__SwitchLocked        Sched.Scheduler.SwitchLocked
    Kernel_Traps_TrapDispatcher__Dispatch       Traps.TrapDispatcher.Dispatch
    Kernel_Sched_Thread___ctor                  Sched.Thread..ctor       (a constructor)
    fault_Fault__DivideByZero                   Fault.DivideByZero       (user program "fault")
The assembly is left out of the C# name, as C# code never writes it. An overload gets a suffix
(Shootdown_0); a generic type keeps its arguments (RunQueue_1<System___Canon>).
"""

import struct

# Assemblies whose names prefix the kernel's and the libraries' symbols (Kernel.csproj,
# runtime/TeachOS.Runtime.csproj, userland/Lib). A user program's assembly is its own name.
KNOWN_ASSEMBLIES = ("Kernel", "TeachOS_Runtime", "UserLib")


def _split_type_and_method(rest):
    """Splits 'Sched_Scheduler__SwitchLocked' at the first '__' outside generic brackets."""
    depth = 0
    i = 0
    while i < len(rest) - 1:
        c = rest[i]
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and rest.startswith("__", i) and i > 0:
            return rest[:i], rest[i + 2:]
        i += 1
    return None, None


def _type_to_csharp(type_part):
    """'Sched_RunQueue_1<System___Canon>' -> 'Sched.RunQueue<System.__Canon>'."""
    out = []
    depth = 0
    i = 0
    while i < len(type_part):
        c = type_part[i]
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        if c == "_" and depth == 0:
            # RunQueue_1<...>: the generic arity is noise next to the arguments themselves.
            j = i + 1
            while j < len(type_part) and type_part[j].isdigit():
                j += 1
            if j > i + 1 and (j == len(type_part) or type_part[j] == "<"):
                i = j
                continue
            out.append(".")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def csharp_name(symbol, assemblies=KNOWN_ASSEMBLIES):
    """The C# name of a managed method's symbol, or None if the symbol is not one (an asm routine)."""
    for assembly in sorted(assemblies, key=len, reverse=True):
        prefix = assembly + "_"
        if symbol.startswith(prefix):
            rest = symbol[len(prefix):]
            if rest.startswith("_Module___"):
                return "<Module>." + rest[len("_Module___"):]     # the module's own start-up code
            type_part, method = _split_type_and_method(rest)
            if type_part is None or not method:
                return None
            if method.startswith("_"):
                method = "." + method[1:]     # __ctor, ___cctor: C#'s .ctor and .cctor
            return _type_to_csharp(type_part) + "." + method
    # The base library's String and Object live in no namespace and carry no assembly prefix.
    type_part, method = _split_type_and_method(symbol)
    if type_part in ("String", "Object", "Array"):
        return type_part + "." + method
    return None


def matches(csharp, query):
    """True if QUERY names CSHARP: all of it, or its last dotted parts ('Scheduler.Yield'). An
    overload's suffix need not be written: String.Ctor names String.Ctor and String.Ctor_2."""
    for name in (csharp, _without_overload_suffix(csharp)):
        if name == query or name.endswith("." + query):
            return True
    return False


def _without_overload_suffix(csharp):
    stem, _, suffix = csharp.rpartition("_")
    return stem if suffix.isdigit() and stem and not stem.endswith(".") else csharp


def suffixes(csharp):
    """Every way of writing the name that `matches` accepts, longest first, for tab completion."""
    parts = csharp.split(".")
    # ".ctor" splits into an empty part: keep it glued to the method.
    joined = []
    for p in parts:
        if joined and joined[-1] == "":
            joined[-1] = "." + p
        else:
            joined.append(p)
    return [".".join(joined[i:]) for i in range(len(joined) - 1)]


def complete(candidates, text, word):
    """Tab completion: TEXT is the argument typed so far, WORD its part after GDB's last word break
    (GDB breaks words at '.'); returns what may replace WORD."""
    token = text.split()[-1] if text.split() and not text.endswith(" ") else ""
    cut = len(token) - len(word)
    return sorted({c[cut:] for c in candidates if c.startswith(token)})


# ---- ELF symbol tables (ELF-64 object file format; System V ABI, "Symbol Table") --------------

SHT_SYMTAB = 2
STT_FUNC = 2


def read_symbols(path, functions_only=False):
    """{name: (address, size)} of the symbols (or only the FUNC symbols) in the ELF-64 file at PATH."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError(path + " is not an ELF-64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    symbols = {}
    for name, kind, flags, addr, offset, size, link, info, align, entsize in sections:
        if kind != SHT_SYMTAB:
            continue
        strings_offset = sections[link][4]
        for at in range(offset, offset + size, entsize or 24):
            st_name, st_info, st_other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, at)
            if st_value == 0 or (functions_only and st_info & 0xF != STT_FUNC):
                continue
            end = data.index(b"\0", strings_offset + st_name)
            symbols[data[strings_offset + st_name:end].decode("utf-8", "replace")] = (st_value, st_size)
    return symbols


def read_function_symbols(path):
    return read_symbols(path, functions_only=True)


class CSharpIndex:
    """C# names of one ELF file's managed methods, for lookups and completion."""

    def __init__(self, path, assemblies=KNOWN_ASSEMBLIES):
        self.by_symbol = {}
        for symbol, (address, size) in read_function_symbols(path).items():
            name = csharp_name(symbol, assemblies)
            if name:
                self.by_symbol[symbol] = (name, address)
        self.completions = set()
        for name, _ in self.by_symbol.values():
            self.completions.add(name)
            self.completions.update(suffixes(name))

    def lookup(self, query):
        """The symbols whose C# name QUERY names, sorted; [] if none."""
        return sorted(s for s, (name, _) in self.by_symbol.items() if matches(name, query))


# ---- Traps (kernel/Arch/X64/TrapVectors.cs) -------------------------------------------------------

_EXCEPTIONS = {
    0: "#DE divide-error", 1: "#DB debug", 2: "NMI", 3: "#BP breakpoint", 4: "#OF overflow",
    5: "#BR bound-range", 6: "#UD invalid-opcode", 7: "#NM device-not-available", 8: "#DF double-fault",
    10: "#TS invalid-tss", 11: "#NP segment-not-present", 12: "#SS stack-segment",
    13: "#GP general-protection", 14: "#PF page-fault", 16: "#MF x87-error", 17: "#AC alignment-check",
    18: "#MC machine-check", 19: "#XM simd-error", 21: "#CP control-protection",
    32: "IRQ 0 timer", 33: "IRQ 1 keyboard", 36: "IRQ 4 serial", 48: "local-apic-timer",
    0x80: "int 0x80 syscall", 0xF0: "reschedule-ipi", 0xF1: "tlb-shootdown-ipi", 0xF2: "ping-ipi",
    0xF3: "halt-ipi", 0xFF: "spurious", 256: "syscall",
}


def vector_name(vector):
    if vector in _EXCEPTIONS:
        return _EXCEPTIONS[vector]
    if 32 <= vector < 48:
        return "IRQ %d" % (vector - 32)
    return "vector %d" % vector


def trap_marker(vector, cs):
    """The line a backtrace shows where a trap interrupted code: <trap: #DE divide-error from ring 3>."""
    return "<trap: %s from ring %d>" % (vector_name(vector), cs & 3)


# ---- Page-table entries (Intel SDM vol. 3A, 4.5 "4-Level Paging", Tables 4-14 to 4-19) --------

PAGE_LEVELS = ("PML4", "PDPT", "PD", "PT")
ADDRESS_MASK = 0x000FFFFFFFFFF000


def describe_entry(value, level=3):
    """'0x0000000000123000 P W U NX' for a page-table entry; level 0 is the PML4, 3 the page table."""
    if not value & 1:
        return "not present (0x%x)" % value
    flags = ["P"]
    for bit, name in ((1, "W"), (2, "U"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"), (8, "G")):
        if value >> bit & 1 and not (name == "G" and level < 3 and not value >> 7 & 1):
            flags.append(name)
    if level in (1, 2) and value >> 7 & 1:
        flags.append("PS(1G)" if level == 1 else "PS(2M)")
    if value >> 9 & 7:
        flags.append("SW=%d" % (value >> 9 & 7))     # bits the MMU ignores; the kernel's own (copy-on-write)
    if value >> 63:
        flags.append("NX")
    return "0x%016x %s" % (value & ADDRESS_MASK, " ".join(flags))


def page_indexes(address):
    """The four 9-bit table indexes of a virtual address, PML4 first."""
    return [(address >> shift) & 0x1FF for shift in (39, 30, 21, 12)]
