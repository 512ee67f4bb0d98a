"""Host tests of tools/gdb/teachos_gdb/names.py: python3 -m unittest discover -s tools/gdb/tests
(run by tests/Tools/Gdb/GdbPythonTests.cs). No GDB needed."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from teachos_gdb import names  # noqa: E402


class CSharpNames(unittest.TestCase):
    def test_a_kernel_method(self):
        self.assertEqual("Sched.Scheduler.Yield", names.csharp_name("Kernel_Sched_Scheduler__Yield"))
        self.assertEqual("Traps.TrapDispatcher.Dispatch", names.csharp_name("Kernel_Traps_TrapDispatcher__Dispatch"))

    def test_constructors_keep_their_csharp_names(self):
        self.assertEqual("Sched.Thread..ctor", names.csharp_name("Kernel_Sched_Thread___ctor"))
        self.assertEqual("Sched.Scheduler..cctor", names.csharp_name("Kernel_Sched_Scheduler___cctor"))

    def test_generics_keep_their_arguments_and_lose_the_arity(self):
        self.assertEqual("Sched.RunQueue<System___Canon>.Dequeue",
                         names.csharp_name("Kernel_Sched_RunQueue_1<System___Canon>__Dequeue"))
        self.assertEqual("Mem.UserMemory.Read<UInt64>", names.csharp_name("Kernel_Mem_UserMemory__Read<UInt64>"))

    def test_a_user_program_is_its_own_assembly(self):
        self.assertIsNone(names.csharp_name("fault_Fault__DivideByZero"))
        self.assertEqual("Fault.DivideByZero",
                         names.csharp_name("fault_Fault__DivideByZero", names.KNOWN_ASSEMBLIES + ("fault",)))
        self.assertEqual("<Module>.StartupCodeMain",
                         names.csharp_name("fault__Module___StartupCodeMain", names.KNOWN_ASSEMBLIES + ("fault",)))

    def test_runtime_types_without_a_namespace(self):
        self.assertEqual("String.Concat", names.csharp_name("String__Concat"))
        self.assertEqual("System.Number.Format", names.csharp_name("TeachOS_Runtime_System_Number__Format"))

    def test_assembly_routines_are_not_csharp(self):
        for symbol in ("trap_common", "RhpNewFast", "boot_failure.halt", "__security_cookie"):
            self.assertIsNone(names.csharp_name(symbol), symbol)


class Lookup(unittest.TestCase):
    def test_a_name_matches_itself_or_its_last_parts(self):
        self.assertTrue(names.matches("Sched.Scheduler.Yield", "Scheduler.Yield"))
        self.assertTrue(names.matches("Sched.Scheduler.Yield", "Yield"))
        self.assertTrue(names.matches("Sched.Scheduler.Yield", "Sched.Scheduler.Yield"))
        self.assertFalse(names.matches("Sched.Scheduler.Yield", "eduler.Yield"))
        self.assertFalse(names.matches("Sched.Scheduler.Yield", "Scheduler"))

    def test_overloads_match_without_their_suffix(self):
        self.assertTrue(names.matches("String.Ctor_2", "String.Ctor"))
        self.assertTrue(names.matches("String.Ctor_2", "String.Ctor_2"))
        self.assertFalse(names.matches("String.Ctor_2", "String.Ctor_3"))
        self.assertFalse(names.matches("Sched.RunQueue<T>.Peek", "Peek_1"))

    def test_suffixes_are_what_completion_offers(self):
        self.assertEqual(["Sched.Scheduler.Yield", "Scheduler.Yield"], names.suffixes("Sched.Scheduler.Yield"))
        self.assertEqual(["Sched.Thread..ctor", "Thread..ctor"], names.suffixes("Sched.Thread..ctor"))

    def test_completion_replaces_the_word_after_the_last_dot(self):
        candidates = {"Scheduler.Yield", "Scheduler.Sleep", "Sched.Scheduler.Yield", "TrapDispatcher.Dispatch"}
        # GDB breaks words at '.', so WORD is "Yi" and the answer must complete it alone.
        self.assertEqual(["Yield"], names.complete(candidates, "Scheduler.Yi", "Yi"))
        self.assertEqual(["Sleep", "Yield"], names.complete(candidates, "Scheduler.", ""))
        self.assertEqual(["TrapDispatcher.Dispatch"], names.complete(candidates, "Trap", "Trap"))


class Traps(unittest.TestCase):
    def test_the_marker_names_the_vector_and_the_ring(self):
        self.assertEqual("<trap: #DE divide-error from ring 3>", names.trap_marker(0, 0x23))
        self.assertEqual("<trap: #PF page-fault from ring 0>", names.trap_marker(14, 0x08))
        self.assertEqual("<trap: syscall from ring 3>", names.trap_marker(256, 0x23))
        self.assertEqual("<trap: IRQ 3 from ring 0>", names.trap_marker(35, 0x08))


class PageTableEntries(unittest.TestCase):
    def test_flags(self):
        self.assertEqual("0x0000000000123000 P W U A D NX", names.describe_entry(0x8000000000123067))
        self.assertEqual("not present (0x0)", names.describe_entry(0))
        self.assertEqual("0x0000000000200000 P W PS(2M)", names.describe_entry(0x200083, level=2))

    def test_indexes(self):
        self.assertEqual([511, 510, 0, 264], names.page_indexes(0xFFFFFFFF80108010))
        self.assertEqual([0, 0, 2, 0], names.page_indexes(0x400000))


if __name__ == "__main__":
    unittest.main()
