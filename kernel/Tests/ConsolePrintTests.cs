using Mem;
using Terminal;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// The console's interpolated print (Terminal/ConsoleInterpolatedStringHandler.cs) writes what it
    /// is given without allocating: a panic or fault report relies on that. The heap's counters tell;
    /// tests/Integration/KernelTestModeTests.cs checks the printed line character by character.
    /// </summary>
    public static class ConsolePrintTests
    {
        public static void PrintsWithoutAllocating()
        {
            ulong address = 0xdeadbeef;
            int negative = -42;
            ushort selector = 0x1b;
            string missing = null;

            ulong allocationsBefore = KernelHeap.AllocationCount;
            ulong bytesBefore = KernelHeap.BytesInUse;
            Console.WriteLine($"  print: 0x{address:x16} {negative} {ulong.MaxValue} {negative:x} 0x{selector:X4} {long.MinValue:d3} {7:d3} '{'c'}' {true} [{"left",-6}] [{"right",6}] [{negative,5}] [{missing}] {negative:q}");
            CheckEqual(0, (long)(KernelHeap.AllocationCount - allocationsBefore), "an interpolated print allocates nothing");
            CheckEqual((long)bytesBefore, (long)KernelHeap.BytesInUse, "an interpolated print leaves the heap's bytes in use as they were");

            // The counter the checks above read does see an allocation made for printing: a string built
            // the ordinary way.
            allocationsBefore = KernelHeap.AllocationCount;
            string built = "  built: " + negative;
            Check(KernelHeap.AllocationCount > allocationsBefore, "building a string to print is counted as an allocation");
            Console.WriteLine(built);
            KernelHeap.Free(built);
        }
    }
}
