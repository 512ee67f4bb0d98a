using Abi;
using Mem;
using Proc;
using Sched;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for the logical-CPU syscalls: setaffinity, getaffinity, cpuinfo.</summary>
    [SyscallHandlers]
    public static unsafe class CpuSyscalls
    {
        private static Process Current => Process.Current;

        /// <summary>setaffinity(tid, mask): where a thread of this process may run. Moves it at once if it must leave its CPU.</summary>
        public static long SetAffinity(int threadId, ulong mask)
        {
            mask &= Current.CpuMask;                    // never past its control group's CPUs (cpuset.cpus)
            if ((mask & OnlineMask()) == 0) return -Errno.EINVAL;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Thread thread = ThreadOfThisProcessLocked(threadId);
            if (thread != null) Affinity.SetLocked(thread, mask);
            Scheduler.ThreadStateLock.Release(flags);
            return thread == null ? -Errno.ESRCH : 0;
        }

        /// <summary>getaffinity(tid, &amp;mask).</summary>
        public static long GetAffinity(int threadId, UserPointer<ulong> mask)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Thread thread = ThreadOfThisProcessLocked(threadId);
            ulong affinity = thread == null ? 0 : thread.Affinity;
            Scheduler.ThreadStateLock.Release(flags);
            if (thread == null) return -Errno.ESRCH;
            return UserMemory.Write(Current.AddressSpace, mask, affinity) ? 0 : -Errno.EFAULT;
        }

        /// <summary>cpuinfo(index, &amp;info): the index-th logical CPU; 1 if filled, 0 past the end.</summary>
        public static long CpuInfo(int index, UserPointer<Abi.CpuInfo> info)
        {
            if (index < 0) return -Errno.EINVAL;
            if (index >= Processor.Count) return 0;
            Abi.CpuInfo result = default;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            Processor cpu = Processor.All[index];
            result.Id = cpu.Id;
            result.ApicId = cpu.ApicId;
            result.Package = cpu.Package;
            result.Core = cpu.Core;
            result.SmtThread = cpu.SmtThread;
            result.Online = cpu.Online ? 1 : 0;
            result.ReadyCount = cpu.Ready.Count;
            result.BusyTicks = (long)cpu.BusyTicks;
            result.IdleTicks = (long)cpu.IdleTicks;
            Thread running = cpu.CurrentThread;
            if (running != null && !running.IsIdle)
            {
                result.RunningThreadId = running.Id;
                result.RunningProcessId = running.Owner == null ? 0 : running.Owner.Id;
                result.NameLength = running.Name.Length < Abi.CpuInfo.MaximumName ? running.Name.Length : Abi.CpuInfo.MaximumName;
                for (int i = 0; i < result.NameLength; i++) result.Name[i] = (byte)running.Name[i];
            }
            Scheduler.ThreadStateLock.Release(flags);
            return UserMemory.Write(Current.AddressSpace, info, result) ? 1 : -Errno.EFAULT;
        }

        private static ulong OnlineMask()
        {
            ulong mask = 0;
            for (int i = 0; i < Processor.Count; i++)
                if (Processor.All[i] != null && Processor.All[i].Online) mask |= 1UL << i;
            return mask;
        }

        // A live thread of the calling process by id (0: the caller), or null. Lock held: the thread
        // stays valid only while it is (another thread of the process could join and free it).
        private static Thread ThreadOfThisProcessLocked(int threadId)
        {
            if (threadId == 0) return Scheduler.Current;
            Thread found = ThreadTable.FindLocked(threadId);
            return found != null && found.Owner == Current && found.State != ThreadState.Zombie ? found : null;
        }
    }
}
