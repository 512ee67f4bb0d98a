"""Call-frame information from an ELF file's .eh_frame: where a function keeps its caller's registers.

Pure Python (no gdb module), tested on the host by tools/gdb/tests/test_cfi.py.

GDB reads .eh_frame itself, but refuses to follow a backtrace from the kernel stack down to a user
stack: user stacks sit at lower addresses, and GDB takes a frame "inner" to its callee for a
corrupt stack (frame.c, UNWIND_INNER_ID). So unwinder.py unwinds user frames below a trap with
this, the DWARF rules ilc emits: a CIE per file, an FDE per function, and the few call-frame
instructions RyuJIT's prologues need (DWARF 4 standard, 6.4 "Call Frame Information"; .eh_frame's
differences in the System V AMD64 ABI, 4.2.4 and the LSB's "Exception Frames").
"""

import struct

# DWARF register numbers (System V AMD64 ABI, Figure 3.36).
REGISTER_NAMES = ("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
                  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip")

DW_EH_PE_absptr, DW_EH_PE_udata4, DW_EH_PE_sdata4, DW_EH_PE_udata8 = 0x00, 0x03, 0x0B, 0x04
DW_EH_PE_pcrel = 0x10


def _leb128(data, at, signed):
    """A LEB128 number at data[at]: seven bits a byte, low first, the top bit set on all but the last.
    Signed, the last byte's bit 6 is the sign. Returns the number and where the next field starts."""
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                result -= 1 << shift
            return result, at


def _uleb(data, at):
    return _leb128(data, at, signed=False)


def _sleb(data, at):
    return _leb128(data, at, signed=True)


def _encoded(data, at, encoding, section_address):
    """Reads a pointer in ENCODING at offset AT; returns (value, next offset)."""
    kind = encoding & 0x0F
    if kind == DW_EH_PE_sdata4:
        value, size = struct.unpack_from("<i", data, at)[0], 4
    elif kind == DW_EH_PE_udata4:
        value, size = struct.unpack_from("<I", data, at)[0], 4
    elif kind in (DW_EH_PE_absptr, DW_EH_PE_udata8):
        value, size = struct.unpack_from("<Q", data, at)[0], 8
    else:
        raise ValueError("pointer encoding 0x%x not supported" % encoding)
    if encoding & 0x70 == DW_EH_PE_pcrel:
        value += section_address + at
    return value & 0xFFFFFFFFFFFFFFFF, at + size


def section(path, wanted):
    """(address, bytes) of the section named WANTED in the ELF-64 file at PATH, or None."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_offset = headers[shstrndx][4]
    for name, kind, flags, address, offset, size, *_ in headers:
        end = data.index(b"\0", names_offset + name)
        if data[names_offset + name:end].decode() == wanted:
            return address, data[offset:offset + size]
    return None


class Cie:
    def __init__(self, data, at, end, address):
        version = data[at]
        at += 1
        augmentation_end = data.index(b"\0", at)
        self.augmentation = data[at:augmentation_end].decode()
        at = augmentation_end + 1
        self.code_alignment, at = _uleb(data, at)
        self.data_alignment, at = _sleb(data, at)
        if version == 1:
            self.return_register = data[at]
            at += 1
        else:
            self.return_register, at = _uleb(data, at)
        self.fde_encoding = DW_EH_PE_absptr
        if self.augmentation.startswith("z"):
            length, at = _uleb(data, at)
            augmentation_data_end = at + length
            for letter in self.augmentation[1:]:
                if letter == "R":
                    self.fde_encoding = data[at]
                    at += 1
                elif letter == "L":
                    at += 1                       # the LSDA's encoding: .NET's EH data, not needed here
                elif letter == "P":
                    at += 1
                    _, at = _encoded(data, at, data[at - 1], address)
            at = augmentation_data_end
        self.instructions = data[at:end]


class Rules:
    """What holds at one pc: CFA = register + offset; register -> offset from the CFA where it was saved."""

    def __init__(self, cfa_register=7, cfa_offset=8, saved=None):
        self.cfa_register = cfa_register
        self.cfa_offset = cfa_offset
        self.saved = dict(saved or {})

    def copy(self):
        return Rules(self.cfa_register, self.cfa_offset, self.saved)


def execute(instructions, cie, start, target_pc, rules, initial=None):
    """Runs call-frame INSTRUCTIONS from pc START until the row that covers TARGET_PC."""
    stack = []
    location = start
    at = 0
    while at < len(instructions):
        op = instructions[at]
        at += 1
        high, low = op & 0xC0, op & 0x3F
        if high == 0x40:                                   # DW_CFA_advance_loc
            location += low * cie.code_alignment
            if location > target_pc:
                break
        elif high == 0x80:                                 # DW_CFA_offset
            offset, at = _uleb(instructions, at)
            rules.saved[low] = offset * cie.data_alignment
        elif high == 0xC0:                                 # DW_CFA_restore
            if initial is not None and low in initial.saved:
                rules.saved[low] = initial.saved[low]
            else:
                rules.saved.pop(low, None)
        elif op == 0x00:                                   # DW_CFA_nop
            pass
        elif op in (0x02, 0x03, 0x04):                     # DW_CFA_advance_loc1/2/4
            size = {0x02: 1, 0x03: 2, 0x04: 4}[op]
            delta = int.from_bytes(instructions[at:at + size], "little")
            at += size
            location += delta * cie.code_alignment
            if location > target_pc:
                break
        elif op == 0x05:                                   # DW_CFA_offset_extended
            register, at = _uleb(instructions, at)
            offset, at = _uleb(instructions, at)
            rules.saved[register] = offset * cie.data_alignment
        elif op == 0x0A:                                   # DW_CFA_remember_state
            stack.append(rules.copy())
        elif op == 0x0B:                                   # DW_CFA_restore_state
            restored = stack.pop()
            rules.cfa_register, rules.cfa_offset, rules.saved = restored.cfa_register, restored.cfa_offset, restored.saved
        elif op == 0x0C:                                   # DW_CFA_def_cfa
            rules.cfa_register, at = _uleb(instructions, at)
            rules.cfa_offset, at = _uleb(instructions, at)
        elif op == 0x0D:                                   # DW_CFA_def_cfa_register
            rules.cfa_register, at = _uleb(instructions, at)
        elif op == 0x0E:                                   # DW_CFA_def_cfa_offset
            rules.cfa_offset, at = _uleb(instructions, at)
        else:
            raise ValueError("call-frame instruction 0x%x not supported" % op)
    return rules


class EhFrame:
    """The .eh_frame of one ELF file: rules_at(pc) gives the Rules that hold at pc."""

    def __init__(self, path):
        found = section(path, ".eh_frame")
        if found is None:
            raise ValueError(path + " has no .eh_frame")
        self.address, self.data = found
        self.fdes = []            # (start, end, cie, instructions)
        cies = {}
        data = self.data
        at = 0
        while at + 4 <= len(data):
            length, = struct.unpack_from("<I", data, at)
            if length == 0:
                break
            body = at + 4
            end = body + length
            cie_pointer, = struct.unpack_from("<I", data, body)
            if cie_pointer == 0:
                cies[at] = Cie(data, body + 4, end, self.address)
            else:
                cie = cies.get(body - cie_pointer)
                if cie is None:
                    cie = cies[body - cie_pointer] = self._cie_at(body - cie_pointer)
                start, next_at = _encoded(data, body + 4, cie.fde_encoding, self.address)
                size, next_at = _encoded(data, next_at, cie.fde_encoding & 0x0F, self.address)
                if cie.augmentation.startswith("z"):
                    skip, next_at = _uleb(data, next_at)
                    next_at += skip
                self.fdes.append((start, start + size, cie, data[next_at:end]))
            at = end

    def _cie_at(self, at):
        length, = struct.unpack_from("<I", self.data, at)
        return Cie(self.data, at + 8, at + 4 + length, self.address)

    def rules_at(self, pc):
        """The Rules at PC, or None if no FDE covers it (assembly without CFI)."""
        for start, end, cie, instructions in self.fdes:
            if start <= pc < end:
                initial = execute(cie.instructions, cie, start, end, Rules())
                rules = execute(instructions, cie, start, pc, initial.copy(), initial)
                return rules
        return None
