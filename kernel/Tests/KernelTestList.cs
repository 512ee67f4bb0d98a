namespace Tests
{
    /// <summary>Every in-kernel test, by name. Add a test here to make it runnable with test=NAME.</summary>
    public static unsafe class KernelTestList
    {
        public static KernelTest[] All() => new KernelTest[]
        {
            new KernelTest("strings", &RuntimeTests.Strings),
            new KernelTest("formatting", &RuntimeTests.Formatting),
            new KernelTest("console-print", &ConsolePrintTests.PrintsWithoutAllocating),
            new KernelTest("console-whole-lines", &ConsoleLineTests.LinesFromSeveralCpusStayWhole),
            new KernelTest("arrays", &RuntimeTests.Arrays),
            new KernelTest("spans", &RuntimeTests.Spans),
            new KernelTest("virtual-dispatch", &RuntimeTests.VirtualDispatch),
            new KernelTest("interface-dispatch", &RuntimeTests.InterfaceDispatch),
            new KernelTest("casts", &RuntimeTests.Casts),
            new KernelTest("statics", &RuntimeTests.Statics),
            new KernelTest("heap", &RuntimeTests.Heap),
            new KernelTest("heap-returns-pages", &HeapTests.ReturnsPages),
            new KernelTest("heap-try-allocate", &HeapTests.TryAllocateFails),
            new KernelTest("symbols", &RuntimeTests.Symbols),
            new KernelTest("backtrace", &RuntimeTests.BacktraceWalk),
            new KernelTest("breakpoint", &TrapTests.Breakpoint),
            new KernelTest("debug-trap", &TrapTests.DebugTrap),
            new KernelTest("timer", &TrapTests.Timer),
            new KernelTest("kernel-threads", &SchedulerTests.PreemptiveRoundRobin),
            new KernelTest("sleep", &SchedulerTests.SleepWakesOnTime),
            new KernelTest("thread-leak", &SchedulerTests.ThreadsLeaveNoLeak),
            new KernelTest("many-sleepers", &SchedulerTests.ManySleepersWakeTogether),
            new KernelTest("kernel-stacks-limit", &KernelStackTests.StacksStopAtTheMaximum),
            new KernelTest("ipi", &MultiprocessorTests.InterProcessorRoundTrip),
            new KernelTest("elf-refusals", &LoaderTests.RefusedProgramsLeakNothing),
            new KernelTest("program-file-reader", &LoaderTests.ProgramFileReader),
            new KernelTest("mounts", &MountTests.AcrossAMountPoint),
            new KernelTest("page-tables", &AddressSpaceTests.EmptyTablesAreFreed),
            new KernelTest("address-space-copy", &AddressSpaceTests.CopyIsFaithfulAndPrivate),
            new KernelTest("console-input", &TrapTests.ConsoleInputArrives, interactive: true),

            new KernelTest("panic-index", &PanicTests.IndexOutOfRange, endsInPanic: true),
            new KernelTest("panic-cast", &PanicTests.InvalidCast, endsInPanic: true),
            new KernelTest("panic-throw", &PanicTests.ExplicitThrow, endsInPanic: true),
            new KernelTest("divide-error", &TrapTests.DivideByZero, endsInPanic: true),
            new KernelTest("invalid-opcode", &TrapTests.InvalidOpcode, endsInPanic: true),
            new KernelTest("general-protection", &TrapTests.GeneralProtection, endsInPanic: true),
            new KernelTest("page-fault-read", &TrapTests.PageFaultRead, endsInPanic: true),
            new KernelTest("page-fault-write", &TrapTests.PageFaultWrite, endsInPanic: true),
            new KernelTest("null-dereference", &TrapTests.NullDereference, endsInPanic: true),
            new KernelTest("stack-overflow", &TrapTests.StackOverflow, endsInPanic: true),
            new KernelTest("panic-in-interrupt", &TrapTests.PanicInInterrupt, endsInPanic: true),
            new KernelTest("thread-stack-overflow", &SchedulerTests.ThreadStackOverflow, endsInPanic: true),
            new KernelTest("map-twice", &AddressSpaceTests.MapTwice, endsInPanic: true),
            new KernelTest("heap-double-free", &HeapTests.DoubleFree, endsInPanic: true),
            new KernelTest("heap-use-after-free", &HeapTests.UseAfterFree, endsInPanic: true),
            new KernelTest("heap-write-after-free", &HeapTests.WriteAfterFreeInQuarantine, endsInPanic: true),
            new KernelTest("heap-overflow", &HeapTests.Overflow, endsInPanic: true),
        };
    }
}
