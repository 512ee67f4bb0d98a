"""Host tests of tools/gdb/teachos_gdb/pagewalk.py against page tables made in a dictionary.
No GDB needed (run by tests/Tools/Gdb/GdbPythonHelperTests.cs)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from teachos_gdb import names, pagewalk  # noqa: E402

# A user page at 0x400123: PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 (index 2) -> PT 0x4000 -> frame 0x9000.
MEMORY = {
    0x1000 + 8 * 0: 0x2000 | 0x7,
    0x2000 + 8 * 0: 0x3000 | 0x7,
    0x3000 + 8 * 2: 0x4000 | 0x7,
    0x4000 + 8 * 0: 0x8000000000009000 | 0x25 | (1 << 9),       # P U A, software bit 9, NX
    0x3000 + 8 * 4: 0x200000 | 0x83,                            # a 2 MiB page at 0x800000
}


def read(physical):
    return MEMORY.get(physical, 0)


class PageWalk(unittest.TestCase):
    def test_a_four_level_walk_names_each_level_and_the_frame(self):
        lines = pagewalk.walk(0x400123, 0x1000, read)
        text = "\n".join(lines)
        self.assertIn("indexes PML4 0, PDPT 0, PD 2, PT 0; offset 0x123", lines[0])
        self.assertIn("PML4[  0] at 0x0000001000: 0x0000000000002000 P W U", text)
        self.assertIn("next, the PDPT at 0x2000", text)
        self.assertIn("PD  [  2] at 0x0000003010: 0x0000000000004000 P W U", text)
        self.assertIn("PT  [  0] at 0x0000004000: 0x0000000000009000 P U A SW=1 NX", text)
        self.assertIn("entry 0x8000000000009225: the page's frame at 0x9000", text)
        self.assertEqual("  -> physical 0x9123 (frame 0x9000 + offset 0x123)", lines[-1])

    def test_a_missing_entry_stops_the_walk(self):
        lines = pagewalk.walk(0x600000, 0x1000, read)
        self.assertIn("PD  [  3] at 0x0000003018: not present (0x0)", lines[-2])
        self.assertEqual("  not mapped: an access faults (#PF)", lines[-1])

    def test_a_large_page_ends_at_the_page_directory(self):
        lines = pagewalk.walk(0x812345, 0x1000, read)
        self.assertIn("PS(2M)", lines[-3])
        self.assertEqual("  -> physical 0x212345 (frame 0x200000 + offset 0x12345; a 2 MiB page)", lines[-1])

    def test_software_bits_are_shown(self):
        self.assertEqual("0x0000000000005000 P U SW=5", names.describe_entry(0x5000 | 0x5 | (5 << 9)))


if __name__ == "__main__":
    unittest.main()
