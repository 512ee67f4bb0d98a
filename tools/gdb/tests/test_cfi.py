"""Host tests of tools/gdb/teachos_gdb/cfi.py on call-frame instructions built here by hand."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from teachos_gdb import cfi  # noqa: E402


class FakeCie:
    code_alignment = 1
    data_alignment = -8


# What ilc emits for a CIE (CFA = rsp + 8, return address at CFA - 8) and for a prologue
# `push rbp; push rbx; sub rsp, 16; ...; mov rbp, ...`: DW_CFA_* opcodes from DWARF 4, 7.23.
CIE = bytes([0x0C, 7, 8, 0x80 | 16, 1])
PROLOGUE = bytes([0x41, 0x0E, 16, 0x80 | 6, 2,      # +1: push rbp   -> CFA rsp+16, rbp at CFA-16
                  0x41, 0x0E, 24, 0x80 | 3, 3,      # +1: push rbx   -> CFA rsp+24, rbx at CFA-24
                  0x44, 0x0E, 40,                   # +4: sub rsp,16 -> CFA rsp+40
                  0x45, 0x0D, 6, 0x0E, 16])         # +5: CFA is rbp+16 from here


class Rows(unittest.TestCase):
    def rules(self, pc):
        initial = cfi.execute(CIE, FakeCie, 0x1000, 0x2000, cfi.Rules())
        return cfi.execute(PROLOGUE, FakeCie, 0x1000, pc, initial.copy(), initial)

    def test_at_entry_only_the_return_address_is_saved(self):
        r = self.rules(0x1000)
        self.assertEqual((7, 8, {16: -8}), (r.cfa_register, r.cfa_offset, r.saved))

    def test_each_push_moves_the_cfa_and_saves_a_register(self):
        r = self.rules(0x1001)
        self.assertEqual((7, 16, {16: -8, 6: -16}), (r.cfa_register, r.cfa_offset, r.saved))
        r = self.rules(0x1006)
        self.assertEqual((7, 40, {16: -8, 6: -16, 3: -24}), (r.cfa_register, r.cfa_offset, r.saved))

    def test_a_frame_pointer_takes_over(self):
        r = self.rules(0x100B)
        self.assertEqual((6, 16), (r.cfa_register, r.cfa_offset))

    def test_leb128(self):
        self.assertEqual((624485, 3), cfi._uleb(bytes([0xE5, 0x8E, 0x26]), 0))
        self.assertEqual((-8, 1), cfi._sleb(bytes([0x78]), 0))


class RealFile(unittest.TestCase):
    """On a user program when one is built: every function has an FDE, and at its first instruction
    the CFA is rsp + 8 (the call just pushed the return address)."""

    PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "build", "user", "true.elf")

    @unittest.skipUnless(os.path.exists(PATH), "build/user/true.elf not built")
    def test_function_entries(self):
        frames = cfi.EhFrame(self.PATH)
        self.assertGreater(len(frames.fdes), 10)
        for start, end, cie, instructions in frames.fdes:
            r = frames.rules_at(start)
            self.assertEqual((7, 8, -8), (r.cfa_register, r.cfa_offset, r.saved[16]), hex(start))


if __name__ == "__main__":
    unittest.main()
