using Proc;
using System;
using Fs;
using Mem;
using Sched;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>The program loader, seen from inside the kernel, where the heap's own figures can be read.</summary>
    public static class LoaderTests
    {
        private const int RefusedSpawns = 200;

        /// <summary>
        /// A refused spawn gives back everything it took: kernel heap bytes and frames. Each ENOEXEC
        /// once left 320 bytes of heap behind (objects made before the check that failed). User
        /// programs cannot see the heap's figures, so this is a kernel test; hostile's
        /// elf-refusals-leak-nothing does the same from ring 3 and checks the frames.
        /// </summary>
        public static void RefusedProgramsLeakNothing()
        {
            VfsNode program = NewFile("/bin/true", create: false);
            VfsNode refused = NewFile("/elf-refused", create: true);
            VfsNode refusals = NewFile("/elf-refusals", create: true);
            if (program != null)
            {
                byte[] image = new byte[program.Status().Size];
                program.ReadAt(0, image);
                // The second PT_LOAD entry's p_offset, 1 MiB: past the end of the file.
                WriteU64(image, 64 + 56 + 8, 0x100000);
                refused.WriteAt(0, image);
                KernelHeap.Free(image);
                program.Put();
            }
            refused.SetAttributes(new NodeAttributes(0x1ED, 0, 0));      // rwxr-xr-x: the loader, not the x bit, must refuse it
            refused.Put();
            // Room for every refusal's message in advance (the messages overwrite these zeros from
            // offset 0): the file's growth is not a leak.
            byte[] zeros = new byte[64 * 1024];
            refusals.WriteAt(0, zeros);
            KernelHeap.Free(zeros);
            Check(program != null, "/bin/true is in the file system");
            if (program == null) { refusals.Put(); return; }

            var errors = new FileHandle(refusals, readable: false, writable: true, append: false);
            string[] arguments = new[] { "true" };
            CheckEqual(-Abi.Errno.ENOEXEC, Processes.Spawn("/elf-refused", arguments, null, null, null, errors), "the first spawn is refused");
            ulong heapBefore = KernelHeap.BytesInUse, framesBefore = FrameAllocator.FreeFrames;
            int wrong = 0;
            for (int i = 0; i < RefusedSpawns; i++)
                if (Processes.Spawn("/elf-refused", arguments, null, null, null, errors) != -Abi.Errno.ENOEXEC) wrong++;
            CheckEqual(0, wrong, "every spawn is refused with ENOEXEC");
            CheckEqual((long)heapBefore, (long)KernelHeap.BytesInUse, "kernel heap bytes in use after 200 refused spawns");
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "free frames after 200 refused spawns");
            byte[] first = new byte[6];
            refusals.ReadAt(0, first);
            Check(first[0] == (byte)'s' && first[5] == (byte)' ', "the refusals name their reason on the given stderr (\"spawn ...\")");
            KernelHeap.Free(first);
            errors.Release();                     // and with it the handle's reference to the node
        }

        // The file at path (created empty when asked), held; null if it is missing.
        private static VfsNode NewFile(string path, bool create)
        {
            int flags = create ? Abi.OpenFlags.Create | Abi.OpenFlags.Truncate : 0;
            VfsNode node;
            if (PathOperations.OpenNode(Credentials.Kernel, Mounts.Root, path, flags, out node) < 0) return null;
            if (create) node.Truncate(0);
            return node;
        }

        /// <summary>
        /// The reader a process keeps of its program file: pieces come from the file in place, a range
        /// that wraps or runs past the end is refused, and once the file is written every read fails
        /// (the fault report then says the symbols are unavailable instead of reading another program).
        /// </summary>
        public static unsafe void ProgramFileReader()
        {
            CheckEqual(-Abi.Errno.ENOENT, Loader.ProgramFile.Open(Credentials.Kernel, Mounts.Root, "/no/such/program", out Loader.ProgramFile missing), "a missing file");
            CheckEqual(-Abi.Errno.EISDIR, Loader.ProgramFile.Open(Credentials.Kernel, Mounts.Root, "/bin", out missing), "a directory");
            VfsNode node = NewFile("/elf-reader", create: true);
            byte[] pattern = new byte[8192];
            for (int i = 0; i < 8192; i++) pattern[i] = (byte)i;
            node.WriteAt(0, pattern);
            KernelHeap.Free(pattern);
            CheckEqual(-Abi.Errno.EACCES, Loader.ProgramFile.Open(Credentials.Kernel, Mounts.Root, "/elf-reader", out missing), "root runs nothing without an x bit");
            node.SetAttributes(new NodeAttributes(0x1ED, 0, 0));                                      // rwxr-xr-x

            CheckEqual(0, Loader.ProgramFile.Open(Credentials.Kernel, Mounts.Root, "/elf-reader", out Loader.ProgramFile reader), "open a file");
            byte* piece = stackalloc byte[16];
            Check(reader.ReadAt(4096 + 5, new Span<byte>(piece, 16)) && piece[0] == 5 && piece[15] == 20, "a piece from the middle");
            Check(reader.ReadAt(8192 - 16, new Span<byte>(piece, 16)), "the last 16 bytes");
            Check(!reader.ReadAt(8192 - 15, new Span<byte>(piece, 16)), "one byte past the end is refused");
            Check(!reader.ReadAt(ulong.MaxValue - 8, new Span<byte>(piece, 16)), "a range that wraps around is refused");
            CheckEqual(8192, (long)reader.Length, "its length");

            var writer = new FileHandle(node, readable: false, writable: true, append: false);
            writer.Write(new ReadOnlySpan<byte>(piece, 1));
            writer.Release();
            Check(reader.Changed, "a write marks the reader stale");
            Check(!reader.ReadAt(0, new Span<byte>(piece, 16)), "a stale reader reads nothing");
            CheckEqual(0, (long)reader.Length, "nor has a length");
            reader.Close();
        }

        private static void WriteU64(byte[] bytes, int at, ulong value)
        {
            for (int i = 0; i < 8; i++) bytes[at + i] = (byte)(value >> (8 * i));
        }
    }
}
