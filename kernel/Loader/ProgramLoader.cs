using System;
using Arch.X64;
using Mem;

namespace Loader
{
    /// <summary>
    /// Puts a program into a fresh address space: each loadable ELF segment in its own pages with the
    /// segment's permissions (code read-only and executable, data writable and not executable), then a
    /// user stack holding the arguments in the layout the System V ABI prescribes for process entry:
    /// <code>
    ///   higher addresses   the environment's strings, then the argument strings
    ///                      (padding to 16 bytes)
    ///                      0                        end of the environment
    ///                      envp[n-1] ... envp[0]    pointers to "NAME=value" strings (execve's; none for exec and spawn)
    ///                      0                        end of argv
    ///                      argv[argc-1] ... argv[0] pointers to the strings
    ///   rsp at entry  -->  argc
    /// </code>
    /// Segments, heap and stack each stay in their region of the address space (Mem/UserLayout.cs);
    /// below the stack a guard gap is left unmapped: a program that overflows its stack faults there.
    /// The segments' bytes come from the file a page at a time, straight into the new frames
    /// (IProgramFile.ReadAt): the kernel never holds a copy of the whole file.
    /// </summary>
    public static unsafe class ProgramLoader
    {
        private const ulong StackTop = UserLayout.StackTop;
        private const ulong StackBottom = UserLayout.StackBottom;
        public const int MaximumArguments = 32;
        public const int MaximumEnvironment = 32;

        /// <summary>
        /// Where a program's segments may lie: the program region of Mem/UserLayout.cs, not page 0 (null
        /// dereferences must fault) and not the heap's reserve, the guard gap or the stack above it.
        /// </summary>
        public const ulong SegmentsStart = AddressSpace.UserStart;
        public const ulong SegmentsEnd = UserLayout.ProgramCeiling;

        /// <summary>Loads a program with no environment (spawn's and exec's): as below.</summary>
        public static long Load(AddressSpace space, IProgramFile file, string[] arguments, out ulong entry, out ulong stackPointer, out ulong heapStart, out string refusal) =>
            Load(space, file, arguments, null, out entry, out stackPointer, out heapStart, out refusal);

        /// <summary>
        /// Loads the program in <paramref name="file"/> into <paramref name="space"/>; 0 or a negative
        /// errno. A program refused with ENOEXEC comes with the reason, for the one who started it.
        /// On failure the caller destroys the space (with whatever was mapped); nothing else was taken.
        /// <paramref name="environment"/>: the "NAME=value" strings for envp, or null for none.
        /// </summary>
        public static long Load(AddressSpace space, IProgramFile file, string[] arguments, string[] environment, out ulong entry, out ulong stackPointer, out ulong heapStart, out string refusal)
        {
            entry = stackPointer = heapStart = 0;
            if (!Elf.TryParse(file, SegmentsStart, SegmentsEnd, out Elf elf, out refusal)) return -Abi.Errno.ENOEXEC;
            for (int i = 0; i < elf.SegmentCount; i++)
            {
                long loaded = LoadSegment(space, file, elf.SegmentAt(i));
                if (loaded == 0) continue;
                if (loaded == -Abi.Errno.ENOEXEC) refusal = "the file changed while it was loaded";
                return loaded;
            }
            entry = elf.Entry;
            heapStart = (elf.HighestAddress + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);   // below SegmentsEnd: no wrap

            // Out of memory is an error for the spawner, not a panic: the caller destroys the address
            // space, which frees whatever was mapped so far.
            for (ulong page = StackBottom; page < StackTop; page += PageTables.PageSize)
                if (space.TryMapNewPage(page, writable: true, executable: false) == 0) return -Abi.Errno.ENOMEM;
            return BuildStack(space, arguments, environment, out stackPointer);
        }

        /// <summary>
        /// Tells whoever started a refused program why: "spawn /tmp/x: its entry point is not in an
        /// executable segment", on the stderr the child would have had (the console for init), as a
        /// shell reports a failed exec. A bare ENOEXEC says only that something was wrong.
        /// </summary>
        public static void ReportRefusal(string path, string reason, Fs.OpenFile errorOutput) =>
            ReportRefusal("spawn", path, reason, errorOutput);

        /// <summary>The same for another way of starting a program: "exec /tmp/x: ...".</summary>
        public static void ReportRefusal(string how, string path, string reason, Fs.OpenFile errorOutput)
        {
            if (errorOutput == null)
            {
                Terminal.Console.WriteLine($"{how} {path}: {reason}");
                return;
            }
            const int Capacity = 384;                                  // a path of 255 and the longest reason
            byte* text = stackalloc byte[Capacity];
            int length = 0;
            Append(text, Capacity, ref length, how);
            Append(text, Capacity, ref length, " ");
            Append(text, Capacity, ref length, path);
            Append(text, Capacity, ref length, ": ");
            Append(text, Capacity, ref length, reason);
            text[length++] = (byte)'\n';                              // Append keeps one byte free for it
            errorOutput.Write(new ReadOnlySpan<byte>(text, length));
        }

        private static void Append(byte* text, int capacity, ref int length, string part)
        {
            for (int i = 0; i < part.Length && length < capacity - 1; i++) text[length++] = (byte)part[i];
        }

        // Maps the segment's pages; the part of each page that comes from the file is read into the new
        // frame through the direct map, the rest stays zero (.bss). 0, or -ENOMEM when memory ran out,
        // or -ENOEXEC when the file could not be read (pages mapped so far stay, for the caller's Destroy).
        private static long LoadSegment(AddressSpace space, IProgramFile file, Elf.Segment segment)
        {
            ulong fileEnd = segment.VirtualAddress + segment.FileSize;         // checked by Elf: no wrap
            for (ulong page = segment.FirstPage; page < segment.EndPage; page += PageTables.PageSize)
            {
                ulong frame = space.TryMapNewPage(page, segment.Writable, segment.Executable);
                if (frame == 0) return -Abi.Errno.ENOMEM;
                ulong copyStart = page > segment.VirtualAddress ? page : segment.VirtualAddress;
                ulong copyEnd = page + PageTables.PageSize < fileEnd ? page + PageTables.PageSize : fileEnd;
                if (copyEnd <= copyStart) continue;
                byte* target = (byte*)DirectMap.ToVirtual(frame) + (copyStart - page);
                ulong at = segment.FileOffset + (copyStart - segment.VirtualAddress);
                if (!file.ReadAt(at, new Span<byte>(target, (int)(copyEnd - copyStart)))) return -Abi.Errno.ENOEXEC;
            }
            return 0;
        }

        private static long BuildStack(AddressSpace space, string[] arguments, string[] environment, out ulong stackPointer)
        {
            stackPointer = 0;
            int variables = environment == null ? 0 : environment.Length;
            if (arguments.Length > MaximumArguments || variables > MaximumEnvironment) return -Abi.Errno.E2BIG;
            ulong* pointers = stackalloc ulong[MaximumArguments + MaximumEnvironment + 3];
            ulong at = StackTop;
            // Pointer slots: argc at 0, argv at 1..argc, NULL, envp after it, NULL.
            int environmentAt = 2 + arguments.Length;
            for (int i = variables - 1; i >= 0; i--)
                if (!PushString(space, environment[i], ref at, out pointers[environmentAt + i])) return -Abi.Errno.E2BIG;
            for (int i = arguments.Length - 1; i >= 0; i--)
                if (!PushString(space, arguments[i], ref at, out pointers[1 + i])) return -Abi.Errno.E2BIG;

            int words = 1 + arguments.Length + 1 + variables + 1;     // argc, argv[], NULL, envp[], NULL
            pointers[0] = (ulong)arguments.Length;
            pointers[1 + arguments.Length] = 0;
            pointers[environmentAt + variables] = 0;
            at = (at - (ulong)words * 8) & ~15UL;          // rsp must be 16-byte aligned at entry
            UserMemory.CopyOut(space, new UserBuffer(at, (ulong)words * 8), new ReadOnlySpan<byte>(pointers, words * 8));
            stackPointer = at;
            return 0;
        }

        // Copies one string (and its NUL) below at; false when the strings would not fit in the stack's top page.
        private static bool PushString(AddressSpace space, string value, ref ulong at, out ulong address)
        {
            address = 0;
            if (value.Length > UserMemory.MaximumStringLength) return false;
            byte* text = stackalloc byte[UserMemory.MaximumStringLength + 1];
            at -= (ulong)value.Length + 1;
            if (at < StackTop - PageTables.PageSize) return false;   // strings must fit in one page
            for (int c = 0; c < value.Length; c++) text[c] = (byte)value[c];
            text[value.Length] = 0;
            UserMemory.CopyOut(space, new UserBuffer(at, (ulong)value.Length + 1), new ReadOnlySpan<byte>(text, value.Length + 1));
            address = at;
            return true;
        }
    }
}
