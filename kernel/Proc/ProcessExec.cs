using System;
using Arch.X64;
using Loader;
using Mem;
using Sched;

namespace Proc
{
    /// <summary>
    /// exec: the calling process runs another program. It keeps its pid, its parent and children, its
    /// open descriptors (TeachOS has no close-on-exec) and its limits' counts; it gets a new address
    /// space with the program's segments, a new stack holding the arguments, a new break, the program's
    /// name, and its thread starts at the program's entry point with every register 0.
    ///
    /// The new image is built completely, in an address space nobody runs yet, before anything of the
    /// old one is touched: a missing file, a file that is not a program, a truncated one, arguments
    /// that do not fit, memory that runs out, each leaves the caller exactly as it was, with an error
    /// code. Only then, in one lock hold, does the process switch to the new space; the old one is freed
    /// after. This is why exec cannot fail half-way, as an exec that tore down the old image first could.
    ///
    /// Other threads: POSIX ends every other thread of the process. TeachOS has no way yet to end one
    /// thread of a process from another and wait until it has left the CPU (kill ends the whole
    /// process), so exec refuses with -EBUSY while the process has other live threads: join them (or
    /// let them exit) first. Threads that exited but were not joined are simply forgotten by the new
    /// program (their records are collected with the process).
    /// </summary>
    public static unsafe class ProcessExec
    {
        /// <summary>
        /// Replaces <paramref name="process"/>'s program with the one at <paramref name="path"/>; the
        /// calling thread's user state <paramref name="callerState"/> is rewritten to start it. 0 (the
        /// caller then never sees a result: it is the new program), or a negative errno and nothing changed.
        /// <paramref name="environment"/>: the new program's envp ("NAME=value" strings), or null for none.
        /// </summary>
        public static long Replace(Process process, string path, string[] arguments, string[] environment, TrapFrame* callerState)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            bool alone = process.LiveThreads == 1;
            Scheduler.ThreadStateLock.Release(flags);
            if (!alone) return -Abi.Errno.EBUSY;

            Fs.VfsNode directory = process.HoldCurrentDirectory();      // a relative path starts there
            long opened = ProgramFile.Open(process.Credentials, directory, path, out ProgramFile file);
            directory.Put();
            if (opened < 0) return opened;
            // Memory first, as spawn does: about as many user pages as the file has, and the stack.
            if (!MemoryBudget.CanAllocateUserFrames(MemoryBudget.FramesFor(file.Length) + (ulong)UserLayout.StackPages))
            {
                file.Close();
                OutOfMemoryKiller.RelieveIfCritical();
                return -Abi.Errno.ENOMEM;
            }
            AddressSpace space = AddressSpace.Create(process.Group);       // its frames are its group's (memory.max)
            long loaded = ProgramLoader.Load(space, file, arguments, environment, out ulong entry, out ulong stack, out ulong heapStart, out string refusal);
            if (loaded < 0)
            {
                space.Destroy();
                file.Close();
                if (refusal != null) ReportRefusal(process, path, refusal);
                if (loaded == -Abi.Errno.ENOMEM) OutOfMemoryKiller.RelieveIfCritical();
                return loaded;
            }

            // The point of no return. Everything the new program needs exists; swap it in.
            var image = new ProgramImage { Path = string.Copy(path), File = file };
            string name = string.Copy(NameOf(path));
            string threadName = string.Copy(NameOf(path));
            Thread caller = Scheduler.Current;
            flags = Scheduler.ThreadStateLock.Acquire();
            AddressSpace old = process.AddressSpace;
            // A switch back to this thread loads process.AddressSpace: the new one from here on.
            process.AddressSpace = space;
            space.MoveCharge(process.Group);              // a write to cgroup.procs may have moved it while it loaded
            Scheduler.UseAddressSpace(Processor.Current, space);   // the old tables leave this CPU (and its TLB)
            ProgramImage oldImage = process.Image;
            string oldName = process.Name, oldThreadName = caller.Name;
            process.Image = image;
            process.Name = name;
            caller.Name = threadName;                     // what ps and cpus show
            process.HeapStart = process.HeapBreak = heapStart;
            process.Mappings.Clear();                     // their pages go with the old address space
            Scheduler.ThreadStateLock.Release(flags);
            TakeFileIds(process, file);

            // No other CPU runs this process (it has one thread: this one), so none still uses the old
            // tables: exit frees an address space the same way (Processes.ExitThread).
            old.Destroy();
            KernelHeap.Free(oldName);
            KernelHeap.Free(oldThreadName);
            if (oldImage != null)
            {
                KernelHeap.Free(oldImage.Path);
                oldImage.File?.Close();
                KernelHeap.Free(oldImage);
            }
            Thread.StartUserFrame(callerState, entry, stack, 0, 0);
            return 0;
        }

        /// <summary>
        /// A setuid (setgid) program runs with its file's owner (group) as effective id, whoever starts
        /// it: this is how a user's `passwd` may write a file only root may write. The saved ids follow
        /// (Fs/Permissions/Credentials.cs Exec), so the program can drop the rights and take them back.
        /// Spawn does the same for its child (Proc/Processes.cs).
        /// </summary>
        internal static void TakeFileIds(Process process, ProgramFile file)
        {
            Fs.NodeAttributes program = file.Attributes;
            bool flags = process.CredentialsLock.Acquire();
            process.Credentials.Exec(program.Mode, program.UserId, program.GroupId);
            process.CredentialsLock.Release(flags);
        }

        // Why the program was refused ("exec /tmp/x: its entry point is not in an executable segment"),
        // on the caller's own stderr, if it has one: the error code alone says only that something was wrong.
        private static void ReportRefusal(Process process, string path, string reason)
        {
            Fs.OpenFile errorOutput = process.Files.Acquire(2);
            if (errorOutput == null) return;
            ProgramLoader.ReportRefusal("exec", path, reason, errorOutput);
            errorOutput.Release();
        }

        // The last part of the path, as the process's name (spawn's rule: Processes.NameOf).
        private static ReadOnlySpan<char> NameOf(string path) => path.AsSpan(path.LastIndexOf('/') + 1);
    }
}
