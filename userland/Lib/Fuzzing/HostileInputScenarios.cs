using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Input the kernel must not trust: programs whose ELF headers lie (mutations of /bin/true), empty
    /// strings, a path under a regular file, a program named without a slash. Each scenario passes if
    /// the kernel answers with error codes (or runs the program) and stays up.
    /// </summary>
    public static unsafe class HostileInputScenarios
    {
        private const string MutantPath = "/fuzz-elf";

        /// <summary>/bin/true with its header bytes changed at random, and with chosen fields set to lies, each spawned.</summary>
        public static bool MutatedElf(ulong seed)
        {
            byte[] original = ReadWholeFile("/bin/true");
            if (original == null) { ExhaustionScenarios.Report("mutated-elf: cannot read /bin/true"); return false; }
            byte[] mutant = new byte[original.Length];
            var random = new SplitMix(seed);
            int ran = 0, refused = 0, tries = 40;
            Sys.Pipe(out PipeDescriptors quiet);
            Sys.Close(quiet.Read);                           // what the mutants print goes nowhere (EPIPE)
            for (int attempt = 0; attempt < tries; attempt++)
            {
                Array.Copy(original, 0, mutant, 0, original.Length);
                Mutate(mutant, attempt, ref random);
                long file = Sys.Open(MutantPath, OpenFlags.Create | OpenFlags.Truncate | OpenFlags.WriteOnly);
                if (file < 0) continue;
                Sys.Write((int)file, new ReadOnlySpan<byte>(mutant));
                Sys.Close((int)file);
                long pid = Sys.Spawn(MutantPath, new[] { "fuzz-elf" }, 0, quiet.Write, quiet.Write);
                if (pid < 0) { refused++; continue; }
                ran++;
                ChildTimer.Watch((int)pid, 3000);            // a mutant may loop for ever
                Sys.Wait((int)pid, out int status);
                ChildTimer.Disarm();
            }
            Sys.Close(quiet.Write);
            long emptied = Sys.Open(MutantPath, OpenFlags.Truncate | OpenFlags.WriteOnly);
            if (emptied >= 0) Sys.Close((int)emptied);
            ExhaustionScenarios.Report("mutated-elf: " + tries + " mutants of /bin/true: " + refused + " refused, " + ran + " ran");
            return true;
        }

        // The first tries set one header field to a value known to break loaders; the rest flip bytes.
        private static void Mutate(byte[] elf, int attempt, ref SplitMix random)
        {
            const int ProgramHeaderOffset = 0x20, SectionHeaderOffset = 0x28, Entry = 0x18, ProgramHeaderCount = 0x38;
            ulong programHeaders = Read64(elf, ProgramHeaderOffset);
            switch (attempt)
            {
                case 0: Write64(elf, ProgramHeaderOffset, ulong.MaxValue - 63); return;          // e_phoff + size wraps
                case 1: Write64(elf, (int)programHeaders + 8, ulong.MaxValue - 15); return;       // p_offset + p_filesz wraps
                case 2: Write64(elf, (int)programHeaders + 0x28, 1UL << 30); return;              // p_memsz 1 GiB
                case 3: Write64(elf, (int)programHeaders + 0x20, 1UL << 40); return;              // p_filesz past the file
                case 4: Write64(elf, Entry, 0x800000000000); return;                              // entry past user space
                case 5: Write64(elf, SectionHeaderOffset, ulong.MaxValue - 7); return;            // e_shoff wraps
                case 6: elf[ProgramHeaderCount] = 0xFF; elf[ProgramHeaderCount + 1] = 0xFF; return; // 65535 program headers
                case 7: Write64(elf, (int)programHeaders + 0x10, 0xFFFF800000000000); return;     // p_vaddr in the kernel's half
            }
            int flips = 1 + random.Below(8);
            int span = elf.Length < 4096 ? elf.Length : 4096;                                     // the headers live here
            for (int i = 0; i < flips; i++) elf[random.Below(span)] = (byte)random.Next();
        }

        private static ulong Read64(byte[] bytes, int offset)
        {
            ulong value = 0;
            for (int i = 7; i >= 0; i--) value = value << 8 | bytes[offset + i];
            return value;
        }

        private static void Write64(byte[] bytes, int offset, ulong value)
        {
            if (offset < 0 || offset + 8 > bytes.Length) return;
            for (int i = 0; i < 8; i++) bytes[offset + i] = (byte)(value >> (8 * i));
        }

        private static byte[] ReadWholeFile(string path)
        {
            long file = Sys.Open(path, OpenFlags.ReadOnly);
            if (file < 0 || Sys.FileStatus((int)file, out FileStatus status) < 0) return null;
            byte[] bytes = new byte[status.Size];
            long done = 0, read;
            while (done < bytes.Length && (read = Sys.Read((int)file, new Span<byte>(bytes, (int)done, (int)(bytes.Length - done)))) > 0) done += read;
            Sys.Close((int)file);
            return done == bytes.Length ? bytes : null;
        }

        /// <summary>"" as a spawn path, as an argument, and as a thread's name.</summary>
        public static bool EmptyString()
        {
            long emptyArgument = Sys.Spawn("/bin/true", new[] { "true", "" }, 0, 1, 2);
            int status = -1;
            if (emptyArgument > 0) Sys.Wait((int)emptyArgument, out status);
            long emptyPath = Sys.Spawn("", new[] { "x" }, 0, 1, 2);
            int thread = UserThread.Start(&ReturnSeven, 0, "");
            long joined = thread > 0 ? Sys.ThreadJoin(thread) : thread;
            ExhaustionScenarios.Report("empty-string: spawn with an empty argument: status " + status + "; spawn(\"\"): " +
                                       Sys.ErrorName(emptyPath) + "; a thread named \"\" joined: " + joined);
            return emptyArgument > 0 && status == 0 && emptyPath == -Errno.ENOENT && joined == 7;
        }

        private static int ReturnSeven(ulong unused) => 7;

        /// <summary>open("/etc/motd/x", O_CREAT): the parent is a file, not a directory.</summary>
        public static bool PathUnderFile()
        {
            long result = Sys.Open("/etc/motd/x", OpenFlags.Create | OpenFlags.WriteOnly);
            if (result >= 0) Sys.Close((int)result);
            ExhaustionScenarios.Report("path-under-file: open(\"/etc/motd/x\", O_CREAT): " + Sys.ErrorName(result));
            return result == -Errno.ENOTDIR || result == -Errno.ENOENT;
        }

        /// <summary>spawn("fzr") while /fzr exists (a file that is no program).</summary>
        public static bool PathWithoutSlash()
        {
            long file = Sys.Open("/fzr", OpenFlags.Create | OpenFlags.WriteOnly);
            if (file >= 0) Sys.Close((int)file);
            long result = Sys.Spawn("fzr", new[] { "fzr" }, 0, 1, 2);
            if (result > 0) Sys.Wait((int)result, out int unused);
            ExhaustionScenarios.Report("path-without-slash: spawn(\"fzr\"): " + Sys.ErrorName(result));
            return result < 0;
        }
    }
}
