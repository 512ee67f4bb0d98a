using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// After each scenario, does the system still work? A program starts and ends with status 0, a pipe
    /// carries bytes, a file keeps what was written to it. (Whether every frame came back is the
    /// kernel's memory check when init exits: tests/Integration reads it.)
    /// </summary>
    public static unsafe class HealthChecks
    {
        public const string CheckFile = "/fuzz-check";

        /// <summary>Null if all is well, else what failed.</summary>
        public static string Run()
        {
            long pid = Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2);
            if (pid < 0) return "spawn /bin/true: " + Sys.ErrorName(pid);
            if (Sys.Wait((int)pid, out int status) != pid || status != 0) return "/bin/true ended with status " + status;

            byte* sent = stackalloc byte[64];
            byte* received = stackalloc byte[64];
            for (int i = 0; i < 64; i++) sent[i] = (byte)(i * 7 + 1);

            if (Sys.Pipe(out PipeDescriptors pipe) < 0) return "pipe failed";
            long wrote = Sys.Write(pipe.Write, new ReadOnlySpan<byte>(sent, 64));
            long read = Sys.Read(pipe.Read, new Span<byte>(received, 64));
            Sys.Close(pipe.Read);
            Sys.Close(pipe.Write);
            if (wrote != 64 || read != 64 || !Same(sent, received, 64)) return "a pipe round trip lost bytes";

            long file = Sys.Open(CheckFile, OpenFlags.Create | OpenFlags.Truncate | OpenFlags.ReadWrite);
            if (file < 0) return "open " + CheckFile + ": " + Sys.ErrorName(file);
            wrote = Sys.Write((int)file, new ReadOnlySpan<byte>(sent, 64));
            Sys.Close((int)file);
            file = Sys.Open(CheckFile, OpenFlags.ReadOnly);
            read = file < 0 ? file : Sys.Read((int)file, new Span<byte>(received, 64));
            if (file >= 0) Sys.Close((int)file);
            if (wrote != 64 || read != 64 || !Same(sent, received, 64)) return "a file did not keep what was written to it";
            return null;
        }

        private static bool Same(byte* a, byte* b, int count)
        {
            for (int i = 0; i < count; i++)
                if (a[i] != b[i]) return false;
            return true;
        }
    }
}
