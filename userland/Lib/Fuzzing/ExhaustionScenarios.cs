using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Running out: of memory, processes, threads, file space and descriptors. Each scenario takes all
    /// there is, checks that the kernel says so with an error code (ENOMEM, EAGAIN, ENOSPC, EMFILE)
    /// instead of panicking, and gives everything back. Each prints one line of figures.
    /// </summary>
    public static unsafe class ExhaustionScenarios
    {
        private const long MiB = 1024 * 1024;

        /// <summary>sbrk a MiB at a time until ENOMEM; while memory is gone, spawn, fork, thread_create and pipe must fail cleanly.</summary>
        public static bool Memory()
        {
            long start = Sys.Sbrk(0), grown = 0, error;
            while ((error = Sys.Sbrk(MiB)) >= 0) grown += MiB;
            long spawn = Sys.Spawn("/bin/true", new[] { "true" }, 0, 1, 2);
            if (spawn > 0) Sys.Wait((int)spawn, out int unused);
            long fork = Sys.Fork();                  // a copy of all that memory: there is no room for it
            if (fork == 0) Sys.Exit(0);
            if (fork > 0) Sys.Wait((int)fork, out int unused);
            long pipe = Sys.Pipe(out PipeDescriptors descriptors);
            if (pipe >= 0) { Sys.Close(descriptors.Read); Sys.Close(descriptors.Write); }
            long shrink = Sys.Sbrk(-grown);
            Report("memory: sbrk took " + grown / MiB + " MiB, then " + Sys.ErrorName(error) + "; meanwhile spawn: " +
                   Sys.ErrorName(spawn) + ", fork: " + Sys.ErrorName(fork) + ", pipe: " + Sys.ErrorName(pipe) + "; all given back: " + (shrink >= 0 && Sys.Sbrk(0) == start));
            return error == -Errno.ENOMEM && fork < 0 && Sys.Sbrk(0) == start;
        }

        /// <summary>Processes that wait on a pipe, started until spawn fails (then fork must fail too); then all end.</summary>
        public static bool Processes()
        {
            Sys.Pipe(out PipeDescriptors hold);
            int started = 0;
            long error = 0;
            while (started < 20000)
            {
                // cat reads its stdin, the pipe: it waits until the write end closes, below.
                long pid = Sys.Spawn("/bin/cat", new[] { "cat" }, hold.Read, 2, 2);
                if (pid < 0) { error = pid; break; }
                started++;
            }
            long fork = Sys.Fork();
            if (fork == 0) Sys.Exit(0);
            Sys.Close(hold.Write);
            Sys.Close(hold.Read);
            int collected = 0;
            while (Sys.Wait(-1, out int status) > 0) collected++;
            Report("processes: " + started + " started, then " + Sys.ErrorName(error) + ", and fork: " + Sys.ErrorName(fork) + "; " + collected + " collected");
            return (error == -Errno.EAGAIN || error == -Errno.ENOMEM) && fork < 0 && collected == started;
        }

        private const int SmallStack = 4096;

        /// <summary>Threads (on small stacks) until thread_create fails, here and in 24 children at once.</summary>
        public static bool Threads()
        {
            Sys.Pipe(out PipeDescriptors hold);
            var children = new long[24];
            for (int i = 0; i < children.Length; i++)
                children[i] = Sys.Spawn("/bin/fuzz", new[] { "fuzz", "--as", "threads" }, hold.Read, 2, 2);
            long error = FillWithThreads(hold.Read, out int created);
            Sys.Close(hold.Write);
            Sys.Close(hold.Read);
            int childrenOk = 0, childrenStarted = 0;
            foreach (long pid in children)
            {
                if (pid < 0) continue;
                childrenStarted++;
                if (Sys.Wait((int)pid, out int status) == pid && status == 0) childrenOk++;
            }
            Report("threads: " + created + " here, then " + Sys.ErrorName(error) + "; " + childrenStarted +
                   " children did the same, " + childrenOk + " of them saw EAGAIN or ENOMEM");
            return (error == -Errno.EAGAIN || error == -Errno.ENOMEM) && childrenOk == childrenStarted;
        }

        /// <summary>`fuzz --as threads`: threads until thread_create fails, all waiting on stdin; 0 if it failed as it should.</summary>
        public static int ThreadsRole()
        {
            long error = FillWithThreads(0, out int created);
            byte one;
            Sys.Read(0, new Span<byte>(&one, 1));      // until the parent closes the pipe
            return error == -Errno.EAGAIN || error == -Errno.ENOMEM ? 0 : 1;
        }

        // Threads that each read one byte of `descriptor` (and end at its end of file, when the pipe's
        // writer closes it), until thread_create fails. They end before their process does.
        private static long FillWithThreads(int descriptor, out int created)
        {
            byte[] stacks = new byte[1024 * SmallStack];
            long error = 0;
            created = 0;
            fixed (byte* bottom = stacks)
            {
                while (created < 1024)
                {
                    ulong top = ((ulong)bottom + (ulong)((created + 1) * SmallStack)) & ~15UL;
                    long thread = Sys.ThreadCreate(UserThread.EntryPoint, top, (ulong)(delegate*<ulong, int>)&ReadOneByte, (ulong)descriptor, "filler");
                    if (thread < 0) { error = thread; break; }
                    created++;
                }
            }
            return error;
        }

        private static int ReadOneByte(ulong descriptor)
        {
            byte one;
            return (int)Sys.Read((int)descriptor, new Span<byte>(&one, 1));
        }

        /// <summary>A file written 64 KiB at a time until the file system is full (ENOSPC), then emptied.</summary>
        public static bool FileSpace()
        {
            const string path = "/fuzz-big";
            long file = Sys.Open(path, OpenFlags.Create | OpenFlags.Truncate | OpenFlags.WriteOnly);
            if (file < 0) { Report("files-enospc: open: " + Sys.ErrorName(file)); return false; }
            byte[] chunk = new byte[64 * 1024];
            long total = 0, result;
            while ((result = Sys.Write((int)file, new ReadOnlySpan<byte>(chunk))) > 0 && total < 4096 * MiB) total += result;
            Sys.Close((int)file);
            long emptied = Sys.Open(path, OpenFlags.Truncate | OpenFlags.WriteOnly);
            if (emptied >= 0) Sys.Close((int)emptied);
            Report("files-enospc: wrote " + total / MiB + " MiB, then " + Sys.ErrorName(result));
            return result == -Errno.ENOSPC || result == -Errno.ENOMEM;
        }

        /// <summary>Descriptors opened until EMFILE, then all closed.</summary>
        public static bool Descriptors()
        {
            int opened = 0;
            long result;
            var descriptors = new long[4096];
            while (opened < descriptors.Length && (result = Sys.Open("/etc/motd", OpenFlags.ReadOnly)) >= 0) descriptors[opened++] = result;
            result = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
            for (int i = 0; i < opened; i++) Sys.Close((int)descriptors[i]);
            long again = Sys.Open("/etc/motd", OpenFlags.ReadOnly);
            if (again >= 0) Sys.Close((int)again);
            Report("files-emfile: " + opened + " open, then " + Sys.ErrorName(result) + "; after closing them, open: " + Sys.ErrorName(again < 0 ? again : 0));
            return result == -Errno.EMFILE && again >= 0;
        }

        public static void Report(string line) => Console.WriteLine("fuzz:   " + line);
    }
}
