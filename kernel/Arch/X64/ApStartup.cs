using System.Runtime;
using System.Runtime.CompilerServices;

namespace Arch.X64
{
    /// <summary>
    /// Starting the other CPUs. Each one (an "application processor") is woken by the boot CPU with the
    /// INIT-SIPI-SIPI sequence: INIT resets it, and a STARTUP IPI makes it run 16-bit code at a page below
    /// 1 MiB (Arch/X64/ApTrampoline.asm), which brings it to 64-bit mode and calls <c>ap_main</c>
    /// (Sched/Multiprocessor.cs). Intel SDM vol. 3A, 9.4.4.
    /// </summary>
    public static unsafe class ApStartup
    {
        public const ulong TrampolinePhysical = 0x8000;

        private struct TrampolineData
        {
            public ulong Cr3;
            public ulong Stack;
            public ulong Entry;
            public ulong Index;
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "ap_trampoline_address")]
        private static extern byte* TrampolineCode();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "ap_trampoline_size")]
        private static extern int TrampolineSize();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "ap_trampoline_data_offset")]
        private static extern int TrampolineDataOffset();

        private static ulong s_bootPml4;

        /// <summary>
        /// Copies the trampoline below 1 MiB and builds the page tables it switches on: the kernel's
        /// half as usual, plus the first 2 MiB at their own address, so that the instruction after
        /// "paging on" (at 0x8000-something) is still there.
        /// </summary>
        public static void Prepare(ulong kernelPml4)
        {
            byte* target = (byte*)DirectMap.ToVirtual(TrampolinePhysical);
            byte* code = TrampolineCode();
            for (int i = 0; i < TrampolineSize(); i++) target[i] = code[i];

            s_bootPml4 = PageTables.Frames.Allocate();
            for (int slot = 256; slot < 512; slot++) PageTables.CopyTopLevelEntry(kernelPml4, s_bootPml4, slot);
            PageTables.MapLarge(s_bootPml4, 0, 0, PageTables.Writable);
        }

        /// <summary>Starts the CPU with <paramref name="apicId"/>; it will call ap_main(<paramref name="index"/>) on <paramref name="stackTop"/>.</summary>
        public static void Start(byte apicId, int index, ulong stackTop, ulong entry)
        {
            var data = (TrampolineData*)((byte*)DirectMap.ToVirtual(TrampolinePhysical) + TrampolineDataOffset());
            data->Cr3 = s_bootPml4;
            data->Stack = stackTop;
            data->Entry = entry;
            data->Index = (ulong)index;

            LocalApic.SendInit(apicId);
            Pit.Wait10Milliseconds();                                   // the SDM asks for 10 ms after INIT
            for (int attempt = 0; attempt < 2; attempt++)               // and two STARTUPs, 200 us apart
            {
                LocalApic.SendStartup(apicId, (byte)(TrampolinePhysical / 4096));
                Pit.WaitMicroseconds(200);
            }
        }

        /// <summary>Frees the trampoline's page tables once every CPU is up (they map low memory).</summary>
        public static void Finish()
        {
            if (s_bootPml4 == 0) return;
            ulong* pml4 = (ulong*)DirectMap.ToVirtual(s_bootPml4);
            ulong pdpt = pml4[0] & PageTables.AddressMask;
            ulong pd = ((ulong*)DirectMap.ToVirtual(pdpt))[0] & PageTables.AddressMask;
            PageTables.Frames.Free(pd);
            PageTables.Frames.Free(pdpt);
            PageTables.Frames.Free(s_bootPml4);
            s_bootPml4 = 0;
        }
    }
}
