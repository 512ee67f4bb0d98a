namespace Tests
{
    /// <summary>Every in-kernel test, by name. Add a test here to make it runnable with test=NAME.</summary>
    public static unsafe class KernelTestList
    {
        public static KernelTest[] All() => new KernelTest[]
        {
            new KernelTest("strings", &RuntimeTests.Strings),
            new KernelTest("formatting", &RuntimeTests.Formatting),
            new KernelTest("arrays", &RuntimeTests.Arrays),
            new KernelTest("spans", &RuntimeTests.Spans),
            new KernelTest("virtual-dispatch", &RuntimeTests.VirtualDispatch),
            new KernelTest("interface-dispatch", &RuntimeTests.InterfaceDispatch),
            new KernelTest("casts", &RuntimeTests.Casts),
            new KernelTest("statics", &RuntimeTests.Statics),
            new KernelTest("heap", &RuntimeTests.Heap),
            new KernelTest("symbols", &RuntimeTests.Symbols),
            new KernelTest("backtrace", &RuntimeTests.BacktraceWalk),

            new KernelTest("panic-index", &PanicTests.IndexOutOfRange, endsInPanic: true),
            new KernelTest("panic-cast", &PanicTests.InvalidCast, endsInPanic: true),
            new KernelTest("panic-throw", &PanicTests.ExplicitThrow, endsInPanic: true),
        };
    }
}
