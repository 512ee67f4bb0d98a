using System.Runtime;
using System.Runtime.CompilerServices;
using Arch.X64;
using Drivers;
using Terminal;
using Time;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// Traps on purpose. The ones that end in a panic (each its own boot) check that the report names
    /// the exception, decodes its error code and finds the method below; the host tests
    /// (tests/Integration/TrapTests.cs) read the report field by field.
    /// </summary>
    public static unsafe class TrapTests
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "test_invalid_opcode")]
        private static extern void ExecuteInvalidOpcode();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "test_single_step")]
        private static extern void SingleStepOnce();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Zero() => 0;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void DivideByZero()
        {
            int result = 10 / Zero();                       // idiv by 0: the CPU raises #DE
            Check(result == 0, "unreachable");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void InvalidOpcode() => ExecuteInvalidOpcode();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void GeneralProtection()
        {
            // Bits 63-48 must copy bit 47 ("canonical" addresses); this one does not: #GP, not #PF.
            ulong value = *(ulong*)0x8000000000000000;
            Check(value == 0, "unreachable");
        }

        public const ulong UnmappedKernelAddress = 0xFFFFFF0000001000;   // PML4 slot 510: nothing there

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void PageFaultRead()
        {
            ulong value = *(ulong*)UnmappedKernelAddress;
            Check(value == 0, "unreachable");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void PageFaultWrite()
        {
            // The kernel's code is mapped read-only (Mem/KernelAddressSpace.cs); CR0.WP makes that
            // hold for the kernel itself.
            byte* code = (byte*)Boot.LinkerSymbols.TextStart() + 0x10;
            *code = 0xCC;
        }

        private sealed class Node
        {
            public int Value;
            public Node Next;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Node MakeList() => new Node { Value = 1 };

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void NullDereference()
        {
            Node last = MakeList().Next;                   // null
            Check(last.Value == 0, "unreachable");          // reads offset 8 of null: #PF at 0x8
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recurse(int depth)
        {
            byte* frame = stackalloc byte[512];             // make each level take real stack space
            frame[depth & 511] = (byte)depth;
            return Recurse(depth + 1) + frame[0];           // not a tail call: the frames pile up
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void StackOverflow()
        {
            // Runs off the bottom of the boot stack into its guard page: the #PF cannot be delivered
            // on that stack, which makes it a double fault, handled on its own stack (IST1).
            Check(Recurse(0) == 0, "unreachable");
        }

        public static void Breakpoint()
        {
            ulong before = Traps.ExceptionHandler.Breakpoints;
            SystemRegisters.Breakpoint();                   // int3: reported, then execution resumes here
            CheckEqual((long)before + 1, (long)Traps.ExceptionHandler.Breakpoints, "int3 was handled once");
        }

        public static void DebugTrap()
        {
            SingleStepOnce();                               // #DB after one instruction; the handler turns TF off
            Check((Cpu.ReadFlags() & (1 << 8)) == 0, "single-stepping is off again");
        }

        public static void Timer()
        {
            ulong start = Clock.Ticks;
            Clock.SleepTicks(Clock.Hertz / 10);             // 100 ms
            Check(Clock.Ticks >= start + Clock.Hertz / 10, "the timer advances while we halt");
            Clock.CalibrateTimestampCounter();
            Check(Clock.TimestampHertz > 1000000, "the time-stamp counter runs at more than 1 MHz");
            Console.WriteLine($"  ticks: {Clock.Ticks}, uptime: {Clock.UptimeMilliseconds} ms, tsc: {Clock.TimestampHertz / 1000000} MHz");
        }

        /// <summary>Takes the scheduler's place on the timer's vector, to panic in interrupt context.</summary>
        private sealed class PanicOnTick : Traps.LocalInterrupt
        {
            public override void Handle(TrapFrame* frame) => Diagnostics.Panic.Halt("deliberate panic from a timer interrupt handler");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void PanicInInterrupt()
        {
            // The next timer interrupt panics: the backtrace must show the handler, the trap boundary,
            // and then this method, which the interrupt interrupted.
            Traps.InterruptHandlers.RegisterLocal(TrapVectors.LocalTimer, new PanicOnTick());
            while (true) Interrupts.Halt();
        }

        /// <summary>Waits for one character from the keyboard or the serial port (the host test sends it).</summary>
        public static void ConsoleInputArrives()
        {
            Console.WriteLine("waiting for input");
            bool arrived = ConsoleInput.WaitTake(out byte typed, Clock.Hertz * 20);
            Check(arrived, "a character arrived within 20 s");
            if (!arrived) return;
            Console.WriteLine($"input: '{(char)typed}'");
        }
    }
}
