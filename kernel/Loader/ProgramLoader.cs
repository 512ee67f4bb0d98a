using System;
using Arch.X64;
using Mem;
using Syscalls;

namespace Loader
{
    /// <summary>
    /// Puts a program into a fresh address space: each loadable ELF segment in its own pages with the
    /// segment's permissions (code read-only and executable, data writable and not executable), then a
    /// user stack holding the arguments in the layout the System V ABI prescribes for process entry:
    /// <code>
    ///   higher addresses   the argument strings
    ///                      (padding to 16 bytes)
    ///                      0                        end of the environment (TeachOS has none)
    ///                      0                        end of argv
    ///                      argv[argc-1] ... argv[0] pointers to the strings
    ///   rsp at entry  -->  argc
    /// </code>
    /// Below the stack one page is left unmapped: a program that overflows its stack faults there.
    /// </summary>
    public static unsafe class ProgramLoader
    {
        public const ulong StackTop = 0x00007FFFFFFFF000;
        public const int StackPages = 16;                       // 64 KiB
        public const ulong StackBottom = StackTop - StackPages * PageTables.PageSize;
        public const int MaximumArguments = 32;

        /// <summary>Loads <paramref name="file"/> into <paramref name="space"/>; 0 or a negative errno.</summary>
        public static long Load(AddressSpace space, byte[] file, string[] arguments, out ulong entry, out ulong stackPointer, out ulong heapStart)
        {
            entry = stackPointer = heapStart = 0;
            Elf elf = Elf.Parse(file, out string error);
            if (elf == null) return -Abi.Errno.ENOEXEC;
            long result = LoadSegments(space, elf);
            entry = elf.Entry;
            heapStart = (elf.HighestAddress + PageTables.PageSize - 1) & ~(PageTables.PageSize - 1);
            Release(elf);
            if (result < 0) return result;

            // Out of memory is an error for the spawner, not a panic: the caller destroys the address
            // space, which frees whatever was mapped so far.
            for (ulong page = StackBottom; page < StackTop; page += PageTables.PageSize)
                if (space.TryMapNewPage(page, writable: true, executable: false) == 0) return -Abi.Errno.ENOMEM;
            return BuildStack(space, arguments, out stackPointer);
        }

        private static long LoadSegments(AddressSpace space, Elf elf)
        {
            foreach (Elf.Segment segment in elf.Segments)
            {
                ulong end = segment.VirtualAddress + segment.MemorySize;
                if (!UserMemory.InUserSpace(new UserBuffer(segment.VirtualAddress, segment.MemorySize)) || end > StackBottom - PageTables.PageSize)
                    return -Abi.Errno.ENOEXEC;
                if (!LoadSegment(space, elf, segment)) return -Abi.Errno.ENOMEM;
            }
            return 0;
        }

        /// <summary>The parsed headers are only needed while loading.</summary>
        public static void Release(Elf elf)
        {
            KernelHeap.Free(elf.Segments);
            KernelHeap.Free(elf);
        }

        // False when memory ran out (pages mapped so far stay, for the caller's Destroy to free).
        private static bool LoadSegment(AddressSpace space, Elf elf, Elf.Segment segment)
        {
            ulong first = segment.VirtualAddress & ~(PageTables.PageSize - 1);
            ulong end = segment.VirtualAddress + segment.MemorySize;
            for (ulong page = first; page < end; page += PageTables.PageSize)
            {
                ulong frame = space.EntryFor(page) & PageTables.AddressMask;
                if (frame == 0) frame = space.TryMapNewPage(page, segment.Writable, segment.Executable);
                if (frame == 0) return false;
                byte* target = (byte*)DirectMap.ToVirtual(frame);

                // The part of this page that comes from the file; the rest stays zero (.bss).
                ulong copyStart = page > segment.VirtualAddress ? page : segment.VirtualAddress;
                ulong fileEnd = segment.VirtualAddress + segment.FileSize;
                ulong copyEnd = page + PageTables.PageSize < fileEnd ? page + PageTables.PageSize : fileEnd;
                if (copyEnd <= copyStart) continue;
                ReadOnlySpan<byte> bytes = elf.Bytes(segment.FileOffset + (copyStart - segment.VirtualAddress), copyEnd - copyStart);
                for (int i = 0; i < bytes.Length; i++) target[copyStart - page + (ulong)i] = bytes[i];
            }
            return true;
        }

        private static long BuildStack(AddressSpace space, string[] arguments, out ulong stackPointer)
        {
            stackPointer = 0;
            if (arguments.Length > MaximumArguments) return -Abi.Errno.E2BIG;
            ulong* pointers = stackalloc ulong[MaximumArguments + 3];
            byte* text = stackalloc byte[UserMemory.MaximumStringLength + 1];
            ulong at = StackTop;

            for (int i = arguments.Length - 1; i >= 0; i--)
            {
                string argument = arguments[i];
                if (argument.Length > UserMemory.MaximumStringLength) return -Abi.Errno.E2BIG;
                at -= (ulong)argument.Length + 1;
                if (at < StackTop - PageTables.PageSize) return -Abi.Errno.E2BIG;   // strings must fit in one page
                for (int c = 0; c < argument.Length; c++) text[c] = (byte)argument[c];
                text[argument.Length] = 0;
                UserMemory.CopyOut(space, new UserBuffer(at, (ulong)argument.Length + 1), new ReadOnlySpan<byte>(text, argument.Length + 1));
                pointers[1 + i] = at;
            }

            int words = 1 + arguments.Length + 2;          // argc, argv[], NULL, envp NULL
            pointers[0] = (ulong)arguments.Length;
            pointers[1 + arguments.Length] = 0;
            pointers[2 + arguments.Length] = 0;
            at = (at - (ulong)words * 8) & ~15UL;          // rsp must be 16-byte aligned at entry
            UserMemory.CopyOut(space, new UserBuffer(at, (ulong)words * 8), new ReadOnlySpan<byte>(pointers, words * 8));
            stackPointer = at;
            return 0;
        }
    }
}
