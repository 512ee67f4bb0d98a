using System;
using System.Runtime;
using Internal.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// Prepares the compiled image before any C# runs: allocates the objects that hold static fields of
    /// reference type and runs eager class constructors. ilc describes these in a "ReadyToRun header"
    /// per module; the linker script gathers the headers' addresses between __modules_start and
    /// __modules_end.
    /// </summary>
    public static unsafe class StartupCodeHelpers
    {
        private const uint ReadyToRunSignature = 0x00525452;   // "RTR"
        private const int GCStaticRegionSection = 201;
        private const int EagerClassConstructorSection = 205;
        private const int ModuleInitializerSection = 213;

        // A GC-static block's pointer has these low bits set in the image until it is allocated.
        private const nint Uninitialized = 0x1;
        private const nint HasPreinitializedData = 0x2;
        private const nint FlagMask = 0x3;

        private struct ReadyToRunHeader
        {
            public uint Signature;
            public ushort MajorVersion;
            public ushort MinorVersion;
            public uint Flags;
            public ushort SectionCount;
            public byte EntrySize;
            public byte EntryType;
        }

        private struct ModuleSection
        {
            public int Id;
            public int Flags;
            public byte* Start;
            public byte* End;
        }

        /// <summary>Initializes every module whose header address lies in [start, end).</summary>
        public static void InitializeModules(nint* start, nint* end)
        {
            for (nint* module = start; module < end; module++)
            {
                if (*module == 0) continue;
                var header = (ReadyToRunHeader*)*module;
                if (header->Signature != ReadyToRunSignature) Halt();
                var sections = (ModuleSection*)(header + 1);

                // Statics first: class constructors may store into them.
                for (int i = 0; i < header->SectionCount; i++)
                    if (sections[i].Id == GCStaticRegionSection)
                        AllocateStaticBlocks(sections[i].Start, sections[i].End);

                for (int i = 0; i < header->SectionCount; i++)
                    if (sections[i].Id == EagerClassConstructorSection || sections[i].Id == ModuleInitializerSection)
                        RunFunctions(sections[i].Start, sections[i].End);
            }
        }

        private static void* ReadRelative(void* at) => (byte*)at + *(int*)at;

        /// <summary>
        /// Static fields of reference type live in one object per class (a "GC static block"), so a
        /// collector could find them. Each entry of the region points (relatively) at a slot holding the
        /// block's MethodTable with the Uninitialized bit set; we allocate the block and store it there.
        /// </summary>
        private static void AllocateStaticBlocks(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
            {
                nint* slot = (nint*)ReadRelative(entry);
                nint value = (nint)ReadRelative(slot);
                if ((value & Uninitialized) == 0) continue;

                var type = (MethodTable*)(value & ~FlagMask);
                byte* block = (byte*)Allocator.NewObject(type);
                if ((value & HasPreinitializedData) != 0)
                {
                    // Values the compiler computed ahead of time: copy them over the fields.
                    byte* data = (byte*)ReadRelative((int*)slot + 1);
                    uint fieldBytes = type->BaseSize - (uint)(2 * sizeof(nint));
                    for (uint i = 0; i < fieldBytes; i++) block[sizeof(nint) + i] = data[i];
                }
                *slot = (nint)block;
            }
        }

        private static void RunFunctions(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
                ((delegate*<void>)ReadRelative(entry))();
        }

        // ---- Programs (ilc's generated __managed__Main calls these before Main) ----

        private static int s_argumentCount;
        private static sbyte** s_arguments;

        /// <summary>Keeps argc/argv as the process received them (argv[0] is the program's path).</summary>
        private static void InitializeCommandLineArgs(int argc, sbyte** argv)
        {
            s_argumentCount = argc;
            s_arguments = argv;
        }

        /// <summary>Main(string[] args) gets argv[1..]: the program's name is not an argument in C#.</summary>
        private static string[] GetMainMethodArguments()
        {
            int count = s_argumentCount > 0 ? s_argumentCount - 1 : 0;
            string[] arguments = new string[count];
            for (int i = 0; i < count; i++) arguments[i] = string.FromAscii((byte*)s_arguments[i + 1]);
            return arguments;
        }

        /// <summary>argv[0], the path the program was started with.</summary>
        public static string ProgramPath => s_argumentCount > 0 ? string.FromAscii((byte*)s_arguments[0]) : "";

        private static void Halt()
        {
            while (true) { }
        }

        // Transitions between "managed" and "native" code. With no garbage collector to coordinate
        // with, they have nothing to do.
        [RuntimeExport("RhpReversePInvoke")]
        private static void ReversePInvoke(nint frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void ReversePInvokeReturn(nint frame) { }

        [RuntimeExport("RhpPInvoke")]
        private static void PInvoke(nint frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        private static void PInvokeReturn(nint frame) { }

        [RuntimeExport("RhpFallbackFailFast")]
        private static void FallbackFailFast() => Platform.Fail(new InvalidOperationException("Fail-fast requested by compiled code."));
    }
}
