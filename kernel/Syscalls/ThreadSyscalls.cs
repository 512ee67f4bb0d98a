using Abi;
using Mem;
using Namespaces;
using Proc;
using Sched;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for thread syscalls: thread_create, thread_exit, thread_join, gettid, threadinfo.</summary>
    [SyscallHandlers]
    public static unsafe class ThreadSyscalls
    {
        private static Process Current => Process.Current;

        /// <summary>
        /// thread_create(entry, stackTop, argument0, argument1, name): a new thread of this process,
        /// starting at entry with the two arguments in rdi and rsi, on a stack the program allocated.
        /// Returns its id.
        /// </summary>
        public static long ThreadCreate(ulong entry, ulong stackTop, ulong argument0, ulong argument1, UserString name)
        {
            if (!UserMemory.InUserSpace(new UserBuffer(entry, 1)) || !UserMemory.InUserSpace(new UserBuffer(stackTop - 16, 16)) || (stackTop & 15) != 0)
                return -Errno.EINVAL;
            string threadName = UserMemory.ReadString(Current.AddressSpace, name, out long error);
            if (threadName == null) return error;
            // -EAGAIN at a limit (threads in the process or in all, kernel stacks: Proc/Limits.cs),
            // -ENOMEM when memory is short. Unjoined threads that exited still count: join them.
            long threadId = Processes.AddThread(Current, threadName, entry, stackTop, argument0, argument1);
            KernelHeap.Free(threadName);          // the thread, if made, keeps its own copy
            return threadId;
        }

        /// <summary>thread_exit(code): ends the calling thread only (exit ends the whole process).</summary>
        public static long ThreadExit(int code)
        {
            Processes.ExitThread(code, wholeProcess: false);
            return 0;
        }

        /// <summary>
        /// thread_join(tid): waits for a thread of this process to end; returns its exit code. -EDEADLK
        /// if that thread is (through a chain of joins) joining the caller: the two would wait for each
        /// other for ever. -EINTR if the process is killed while it waits.
        /// </summary>
        public static long ThreadJoin(int threadId)
        {
            // Find and claim it in one lock hold: another thread of the process may be joining it too,
            // and the join that wins frees it. The cycle check and JoiningOn are set in the same hold,
            // so of two threads that join each other at once, the second to take the lock sees the
            // first's JoiningOn.
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Thread current = Scheduler.Current;
            Thread target = ThreadTable.FindLocked(threadId);
            long error = target == null || target.Owner != Current ? -Errno.ESRCH
                       : target == current || target.JoinClaimed ? -Errno.EINVAL
                       : ThreadJoins.WouldDeadlockLocked(current, target) ? -Errno.EDEADLK
                       : 0;
            if (error == 0)
            {
                target.JoinClaimed = true;
                current.JoiningOn = target;
            }
            Scheduler.ThreadStateLock.Release(flags);
            if (error != 0) return error;
            return ThreadJoins.TryJoin(target, out int exitCode) ? exitCode : -Errno.EINTR;
        }

        public static long GetThreadId() => Scheduler.Current.Id;

        // The index-th thread the caller's PID namespace shows (Namespaces/PidNamespace.cs): a process in a
        // namespace sees its namespace's processes and those below, not the kernel's threads. Lock held.
        private static Thread VisibleThread(int index, PidNamespace viewer)
        {
            for (int i = 0; i < ThreadTable.Count; i++)
            {
                Thread thread = ThreadTable.At(i);
                Process process = Process.Of(thread);
                bool visible = process == null ? viewer.Level == 0 : ProcessPids.PidIn(process, viewer) != 0;
                if (visible && index-- == 0) return thread;
            }
            return null;
        }

        /// <summary>threadinfo(index, &amp;info): facts about the index-th thread the caller may see (for ps); 1 if filled, 0 past the end.</summary>
        public static long ThreadInfo(int index, UserPointer<Abi.ThreadInfo> info)
        {
            if (index < 0) return -Errno.EINVAL;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Thread thread = VisibleThread(index, Current.PidNamespace);
            Abi.ThreadInfo result = default;
            if (thread != null)
            {
                result.ThreadId = thread.Id;
                Process process = Process.Of(thread);
                PidNamespace viewer = Current.PidNamespace;
                result.ProcessId = process == null ? 0 : ProcessPids.PidIn(process, viewer);
                result.ParentProcessId = process == null || process.Parent == null ? 0 : ProcessPids.PidIn(process.Parent, viewer);
                Fs.UserNamespace seenFrom = Process.Current.Credentials.UserNamespace;      // ids as the caller's namespace names them
                result.UserId = process == null ? 0 : seenFrom.FromKernel(process.Credentials.RealUserId, group: false);
                result.EffectiveUserId = process == null ? 0 : seenFrom.FromKernel(process.Credentials.EffectiveUserId, group: false);
                result.State = (int)thread.State;
                result.CpuTicks = (long)thread.CpuTicks;
                result.Cpu = thread.LastCpu;
                if (thread.Stack != null)
                {
                    result.KernelStackUsed = (long)thread.Stack.HighWaterMark();
                    result.KernelStackSize = (long)thread.Stack.Size;
                }
                result.NameLength = thread.Name.Length < Abi.ThreadInfo.MaximumName ? thread.Name.Length : Abi.ThreadInfo.MaximumName;
                for (int i = 0; i < result.NameLength; i++) result.Name[i] = (byte)thread.Name[i];
            }
            Scheduler.ThreadStateLock.Release(flags);
            if (thread == null) return 0;
            return UserMemory.Write(Current.AddressSpace, info, result) ? 1 : -Errno.EFAULT;
        }
    }
}
