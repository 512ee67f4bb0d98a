using Sched;
using System;
using Arch.X64;
using Fs;
using Loader;
using Mem;
using Namespaces;

namespace Proc
{
    /// <summary>
    /// The life of processes: spawn (a new process running a program), exit, wait (the parent collects
    /// the exit status), kill. Process ids and the parent/child tree live here.
    /// Lock: the process list and the tree are changed with Scheduler.ThreadStateLock held.
    /// </summary>
    public static partial class Processes
    {
        private const int InitialTableSize = 64;
        private static Process[] s_all = new Process[InitialTableSize];
        private static int s_count;

        /// <summary>The first user process (pid 1). It adopts orphans (a PID namespace's own init adopts that namespace's: Namespaces/PidNamespace.cs); when it exits, TeachOS powers off.</summary>
        public static Process Init { get; private set; }

        /// <summary>kmain waits here for init to exit.</summary>
        public static readonly WaitQueue InitExited = new WaitQueue("init exit");

        public static int Count => s_count;
        public static Process At(int index) => index < s_count ? s_all[index] : null;

        /// <summary>The process numbered <paramref name="pid"/> in <paramref name="viewer"/> (null: by the kernel's Id). Lock held.</summary>
        public static Process Find(int pid, PidNamespace viewer)
        {
            for (int i = 0; i < s_count; i++)
                if (viewer == null ? s_all[i].Id == pid : ProcessPids.PidIn(s_all[i], viewer) == pid) return s_all[i];
            return null;
        }

        /// <summary>
        /// Starts the program at <paramref name="path"/> in a new process, a child of
        /// <paramref name="parent"/> (null for init), with <paramref name="arguments"/> as its argv and
        /// the given files as its descriptors 0, 1 and 2 (for init, the console). Returns the new
        /// pid, or a negative errno.
        /// </summary>
        public static long Spawn(string path, string[] arguments, Process parent, OpenFile input = null, OpenFile output = null, OpenFile error = null)
        {
            // The process counts toward max-procs from now on (Proc/Limits.cs): reserved before anything
            // is allocated, given back on every failure below.
            if (ProcessNamespaces.RefusesChildrenOf(parent)) return -PidNamespace.EndedErrno;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long limited = Limits.TryAddProcessLocked(parent);
            Scheduler.ThreadStateLock.Release(flags);
            if (limited < 0) return limited;

            long result = SpawnCounted(path, arguments, parent, input, output, error);
            if (result < 0)
            {
                flags = Scheduler.ThreadStateLock.Acquire();
                Limits.SpawnEndedLocked(parent, succeeded: false);
                Scheduler.ThreadStateLock.Release(flags);
                if (result == -Abi.Errno.ENOMEM) OutOfMemoryKiller.RelieveIfCritical();
            }
            return result;
        }

        private static long SpawnCounted(string path, string[] arguments, Process parent, OpenFile input, OpenFile output, OpenFile error)
        {
            // The process keeps a reader of the file, not a copy of it: the loader reads the segments
            // a page at a time, and a fault report reads the symbols on demand (Loader/ProgramFile.cs).
            // The path is taken from the parent's current directory, which the child inherits.
            Fs.VfsNode directory = parent != null ? parent.HoldCurrentDirectory() : Fs.Mounts.Root;
            if (parent == null) directory.Hold();
            Fs.Credentials who = parent != null ? parent.Credentials : Fs.Credentials.Kernel;
            long opened = ProgramFile.Open(who, directory, path, out ProgramFile file);
            if (opened < 0)
            {
                directory.Put();
                return opened;
            }
            // Memory first, before a page is mapped: about as many user pages as the file has, and the stack.
            if (!MemoryBudget.CanAllocateUserFrames(MemoryBudget.FramesFor(file.Length) + (ulong)UserLayout.StackPages))
            {
                directory.Put();
                file.Close();
                return -Abi.Errno.ENOMEM;
            }

            var process = new Process(NameOf(path), parent);
            // The process keeps its own copy of the path: the caller's string is the caller's to free
            // (or a literal in the kernel image, which must never be freed).
            process.Image = new ProgramImage { Path = string.Copy(path), File = file };
            ProcessExec.TakeFileIds(process, file);          // spawn is fork and exec in one: setuid counts here too
            bool flags = Scheduler.ThreadStateLock.Acquire();
            process.Group = parent != null ? parent.Group : ResourceGroup.Initial;   // its parent's control group
            long loaded = Limits.TryAddThreadLocked(process);
            bool threadCounted = loaded == 0;
            Scheduler.ThreadStateLock.Release(flags);
            string refusal = null;
            if (loaded == 0)
            {
                process.AddressSpace = AddressSpace.Create(process.Group);   // its frames are its group's (memory.max)
                loaded = ProgramLoader.Load(process.AddressSpace, file, arguments, out ulong entry, out ulong stack, out ulong heapStart, out refusal);
                process.HeapStart = process.HeapBreak = heapStart;
                if (loaded == 0)
                {
                    process.MainThread = Thread.CreateUser(process, process.Name, entry, stack, 0, 0);
                    if (process.MainThread == null) loaded = NoKernelStackError();
                }
            }
            if (loaded < 0)
            {
                if (refusal != null) ProgramLoader.ReportRefusal(path, refusal, error);
                // Everything made above is undone here, in one place: the thread's count, the address
                // space (with any pages already loaded), then the process with its name and image (Free).
                if (threadCounted)
                {
                    flags = Scheduler.ThreadStateLock.Acquire();
                    Limits.ThreadGoneLocked(process, stackStillCharged: true);
                    Scheduler.ThreadStateLock.Release(flags);
                }
                process.AddressSpace?.Destroy();
                process.Image.File.Close();
                process.Image.File = null;
                directory.Put();
                Free(process);
                return loaded;
            }
            process.Files = input != null ? StandardFiles(input, output, error) : StandardFiles(new ConsoleFile(), null, null);
            process.Namespaces = parent != null ? ProcessNamespaces.HoldOf(parent) : NamespaceSet.HoldInitial();
            process.LiveThreads = 1;
            process.SetCurrentDirectory(directory);

            flags = Scheduler.ThreadStateLock.Acquire();
            AddLocked(process, parent);
            long pid = parent == null ? process.Id : ProcessPids.PidIn(process, parent.PidNamespace);
            Scheduler.ThreadStateLock.Release(flags);
            Scheduler.Start(process.MainThread);
            return pid;
        }

        /// <summary>
        /// Puts a new process, built whole (spawn's or fork's), in the process list, where wait and kill
        /// find it; it was counted as a spawn under way until now (Limits.TryAddProcessLocked). Lock held.
        /// </summary>
        internal static void AddLocked(Process process, Process parent)
        {
            if (s_count == s_all.Length) Grow();
            // Its pids: in the namespace its parent's children are born in (Namespaces/PidNamespace.cs).
            PidNamespace home = process.Namespaces.PidForChildren;
            ProcessPids.NumberLocked(process, home, new int[home.Level + 1]);
            // The namespace's init exited after the fork's check: the newcomer joins the others' fate.
            if (home.Ended) KillLocked(process);
            s_all[s_count++] = process;
            Limits.SpawnEndedLocked(parent, succeeded: true);
            if (parent == null && Init == null) Init = process;
        }

        /// <summary>
        /// Why Thread.CreateUser found no kernel stack: all max-kernel-stacks exist (try again later), or
        /// memory is short.
        /// </summary>
        internal static long NoKernelStackError() =>
            KernelStack.LiveCount >= KernelStack.Maximum ? -Abi.Errno.EAGAIN : -Abi.Errno.ENOMEM;

        // Descriptors 0, 1, 2 of a new process. With only the first given (a new console), it is all three.
        private static FileTable StandardFiles(OpenFile input, OpenFile output, OpenFile error)
        {
            var files = new FileTable();
            files.Set(0, input);
            files.Set(1, output ?? input);
            files.Set(2, error ?? input);
            if (output == null) input.Release();        // the new console's own reference: the table holds three
            return files;
        }

        /// <summary>
        /// Adds a user thread to a process (thread_create); the thread keeps a copy of <paramref name="name"/>.
        /// Returns its id, or -EAGAIN at a limit (Proc/Limits.cs), -ENOMEM when memory is short.
        /// </summary>
        public static long AddThread(Process process, string name, ulong entry, ulong stack, ulong argument0, ulong argument1)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long limited = Limits.TryAddThreadLocked(process);
            Scheduler.ThreadStateLock.Release(flags);
            if (limited < 0) return limited;

            Thread thread = Thread.CreateUser(process, name, entry, stack, argument0, argument1);
            if (thread == null)
            {
                long error = NoKernelStackError();
                flags = Scheduler.ThreadStateLock.Acquire();
                Limits.ThreadGoneLocked(process, stackStillCharged: true);
                Scheduler.ThreadStateLock.Release(flags);
                if (error == -Abi.Errno.ENOMEM) OutOfMemoryKiller.RelieveIfCritical();
                return error;
            }
            flags = Scheduler.ThreadStateLock.Acquire();
            process.LiveThreads++;
            Scheduler.ThreadStateLock.Release(flags);
            Scheduler.Start(thread);
            return thread.Id;
        }

        /// <summary>
        /// Ends the calling thread; if it is its process's last, ends the process: its files are closed,
        /// its memory freed, its children given to init, and its parent woken to collect the status.
        /// A multi-threaded process that exits (not just one thread) first makes the others leave.
        /// </summary>
        public static void ExitThread(int status, bool wholeProcess)
        {
            Thread current = Scheduler.Current;
            Process process = Process.Of(current);
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (wholeProcess && !process.Killed)
            {
                process.ExitStatus = status;
                KillLocked(process);
            }
            // Not the last thread: become a zombie in the same lock hold that counted us out. Were the
            // lock released in between, the last thread could finish the process, and the parent
            // collect it, while this thread still ran: its Process would then point at freed memory.
            if (--process.LiveThreads > 0) Scheduler.ExitCurrentLocked(status);

            // The last thread: every other thread is a zombie now. Free what the process held, with
            // the lock released (closing a pipe wakes its readers; freeing pages needs other CPUs).
            Scheduler.ThreadStateLock.Release(flags);
            if (process.PidNamespace.Init == process) NamespaceInitExit.EmptyNamespace(process);
            // A process's exit status is one byte (wait's caller sees 0-255, as exit's does).
            if (!wholeProcess && !process.Killed) process.ExitStatus = status & 0xFF;
            process.Files.CloseAll();
            ProcessNamespaces.Enter(process, null);           // after the files: a queue's last close may free its namespace
            // The file-system references too, here, with no lock held (a disk node's Put may sleep),
            // not in Free, which runs under the scheduler's lock.
            process.SetCurrentDirectory(null);
            process.Image?.File?.Close();
            if (process.Image != null) process.Image.File = null;
            // Forget the address space before freeing it: were this thread preempted in between, the
            // switch back to it would read the freed object's tables (Scheduler.Switch reads
            // Process.AddressSpace); the debugging heap's poison turned that into a CR3 of 0x6B6B...
            // Under the lock, so that whoever reads another process's AddressSpace with the lock held
            // (Proc/ProcessMappings.cs, vmmap) either sees null or finishes before the tables are freed.
            bool forgetting = Scheduler.ThreadStateLock.Acquire();
            AddressSpace space = process.AddressSpace;
            process.AddressSpace = null;
            Scheduler.UseAddressSpace(Processor.Current, null);  // stop using the tables we free next
            Scheduler.ThreadStateLock.Release(forgetting);
            space.Destroy();

            // Then, in one lock hold, hand the children to their namespace's init (Namespaces/PidNamespace.cs),
            // tell the parent, and exit.
            Scheduler.ThreadStateLock.Acquire();
            Process reaper = ProcessPids.ReaperFor(process, Init);
            for (int i = 0; i < s_count; i++)
                if (s_all[i].Parent == process) s_all[i].Parent = reaper;
            process.IsZombie = true;
            if (process.Parent != null)
            {
                Scheduler.WakeAllLocked(process.Parent.ChildExited);
                if (reaper != null) Scheduler.WakeAllLocked(reaper.ChildExited);   // adopted zombies
            }
            if (process == Init) Scheduler.WakeAllLocked(InitExited);
            Scheduler.ExitCurrentLocked(status);
        }

        /// <summary>
        /// wait: collects an exited child (<paramref name="pid"/>, or any with -1). Blocks until one has
        /// exited. Returns its pid and status, or -ECHILD if there is no such child, -EINTR if killed.
        /// </summary>
        public static long Wait(Process parent, int pid, out int status)
        {
            status = 0;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long result;
            while (true)
            {
                Process zombie = null;
                bool hasChild = false;
                for (int i = 0; i < s_count; i++)
                {
                    Process child = s_all[i];
                    if (child.Parent != parent || (pid != -1 && ProcessPids.PidIn(child, parent.PidNamespace) != pid)) continue;
                    hasChild = true;
                    if (child.IsZombie) { zombie = child; break; }
                }
                if (zombie != null)
                {
                    status = zombie.ExitStatus;
                    result = ProcessPids.PidIn(zombie, parent.PidNamespace);
                    RemoveLocked(zombie);
                    break;
                }
                if (!hasChild) { result = -Abi.Errno.ECHILD; break; }
                if (parent.Killed) { result = -Abi.Errno.EINTR; break; }
                Scheduler.WaitLocked(parent.ChildExited);
            }
            Scheduler.ThreadStateLock.Release(flags);
            KernelStack.FreeReleased();
            return result;
        }

        /// <summary>kmain: waits for init to exit, collects it, and returns its status.</summary>
        public static int WaitForInit()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (!Init.IsZombie) Scheduler.WaitLocked(InitExited);
            int status = Init.ExitStatus;
            RemoveLocked(Init);
            Init = null;
            Scheduler.ThreadStateLock.Release(flags);
            KernelStack.FreeAllReleased();       // the memory check comes next: no stack may be half freed
            return status;
        }

        /// <summary>
        /// kill: the process's threads stop at their next chance; blocked ones wake up to do so. -EPERM
        /// unless <paramref name="sender"/> may signal it (null: the kernel, which may).
        /// </summary>
        public static long Kill(int pid, int status, Fs.Credentials sender, PidNamespace viewer = null)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Process target = Find(pid, viewer);          // only what the sender's PID namespace shows it
            long result = target == null || target.IsZombie ? -Abi.Errno.ESRCH : 0;
            // Only root, or the same user (Fs/Permissions/Credentials.cs MaySignal): one user's programs
            // cannot end another's. The kernel itself (sender null: the out-of-memory killer) may end anyone.
            if (result == 0 && sender != null && !sender.MaySignal(target.Credentials)) result = -Abi.Errno.EPERM;
            if (result == 0 && !target.Killed)
            {
                target.ExitStatus = status;
                KillLocked(target);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        /// <summary>Marks the process killed and interrupts its threads (kill, the out-of-memory killer). Lock held.</summary>
        public static void KillLocked(Process process)
        {
            process.Killed = true;
            for (int i = 0; i < ThreadTable.Count; i++)
            {
                Thread thread = ThreadTable.At(i);
                if (thread.Owner != process) continue;
                Scheduler.OwnerKilledLocked(thread);
                if (thread != Scheduler.Current) Scheduler.InterruptLocked(thread);
            }
        }

        // Forgets a collected zombie: its threads (already off the CPU, stacks freed) and itself.
        internal static void RemoveLocked(Process process)
        {
            for (int i = ThreadTable.Count - 1; i >= 0; i--)
            {
                Thread thread = ThreadTable.At(i);
                if (thread.Owner == process && thread.State == ThreadState.Zombie) Scheduler.Reap(thread);
            }
            for (int i = 0; i < s_count; i++)
            {
                if (s_all[i] != process) continue;
                s_all[i] = s_all[--s_count];
                s_all[s_count] = null;
                break;
            }
            Limits.ProcessGoneLocked();
            // After a burst of processes, the table halves back (when a quarter full) and frees its memory.
            if (s_all.Length > InitialTableSize && s_count <= s_all.Length / 4) Resize(s_all.Length / 2);
            Free(process);
        }

        private static void Grow() => Resize(s_all.Length * 2);
        private static void Resize(int size)
        {
            Process[] resized = new Process[size];
            for (int i = 0; i < s_count; i++) resized[i] = s_all[i];
            KernelHeap.Free(s_all);
            s_all = resized;
        }

        // The last part of the path: a slice of the caller's string, which the Process copies.
        private static ReadOnlySpan<char> NameOf(string path) => path.AsSpan(path.LastIndexOf('/') + 1);
    }
}
