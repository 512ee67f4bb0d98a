using System;
using Abi;
using Proc;
using Sched;

namespace Cgroups
{
    /// <summary>
    /// cpuset.cpus: the CPUs a group's threads may run on, as a mask of logical CPU ids (the bits of an
    /// affinity mask, Sched/Affinity.cs), written and read in Linux's list form ("0-1,3"). Empty, the
    /// default, means its parent's CPUs. What a group really gets, cpuset.cpus.effective, is its own
    /// list within its parent's effective CPUs (the root's: every CPU online): a child never gets a CPU
    /// its parent does not have.
    ///
    /// Enforced through each thread's affinity, which the scheduler's placement already obeys: a thread
    /// of the group runs only where its affinity and the group's CPUs meet. So the group's CPUs become
    /// the process's <see cref="Sched.ThreadOwner.CpuMask"/>, which bounds every affinity: a new thread
    /// starts with it (Sched/Thread.cs), setaffinity is cut down to it (Syscalls/CpuSyscalls.cs, -EINVAL
    /// if nothing is left), and a write here or a move into the group cuts every thread's affinity down
    /// to it (to all of it, if they had no CPU in common), as Linux 6.2 keeps what the user asked for
    /// within the cpuset. (A thread's affinity cut down stays cut when the set grows again: TeachOS keeps
    /// no copy of what the user asked for.)
    /// Lock: Scheduler.ThreadStateLock, for the masks and every affinity.
    /// </summary>
    public static class CpuSets
    {
        /// <summary>The CPUs online: the root's effective set.</summary>
        public static ulong Online => Processor.Count >= 64 ? ulong.MaxValue : (1UL << Processor.Count) - 1;

        /// <summary>
        /// A write to cpuset.cpus: its list (empty: the parent's CPUs). -EINVAL for a list that does
        /// not parse, names a CPU that is not online, or leaves the group no CPU within its parent's.
        /// </summary>
        public static int Set(ControlGroup group, ReadOnlySpan<byte> text)
        {
            if (!TryParseList(text, out ulong mask) || (mask & ~Online) != 0) return -Errno.EINVAL;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            ulong parentCpus = group.Parent.EffectiveCpus;
            int error = mask != 0 && (mask & parentCpus) == 0 ? -Errno.EINVAL : 0;
            if (error == 0)
            {
                group.CpuSetMask = mask;
                UpdateSubtreeLocked(group, parentCpus);
                for (int i = 0; i < Processes.Count; i++)
                {
                    Process process = Processes.At(i);
                    if (process.Group is ControlGroup member && IsWithin(member, group)) HoldToLocked(process);
                }
            }
            Scheduler.ThreadStateLock.Release(flags);
            return error;
        }

        /// <summary>
        /// <paramref name="process"/> has its group's CPUs as its mask (Process.Group's setter took them):
        /// its threads' affinities are cut down to them. Lock held: a move, or a write to cpuset.cpus.
        /// </summary>
        public static void HoldToLocked(Process process)
        {
            process.CpuMask = process.Group.EffectiveCpus;
            for (int i = 0; i < ThreadTable.Count; i++)
            {
                Thread thread = ThreadTable.At(i);
                if (thread.Owner != process || thread.IsIdle) continue;
                ulong within = thread.Affinity & process.CpuMask;
                if (within != thread.Affinity) Affinity.SetLocked(thread, within != 0 ? within : process.CpuMask);
            }
        }

        // Effective CPUs, from this group down: its own list within its parent's, or the parent's.
        private static void UpdateSubtreeLocked(ControlGroup group, ulong parentCpus)
        {
            ulong own = group.CpuSetMask & parentCpus;
            group.EffectiveCpus = own != 0 ? own : parentCpus;
            for (int i = 0; i < group.ChildCount; i++) UpdateSubtreeLocked(group.Children[i], group.EffectiveCpus);
        }

        private static bool IsWithin(ControlGroup group, ControlGroup ancestor)
        {
            for (; group != null; group = group.Parent)
                if (group == ancestor) return true;
            return false;
        }

        /// <summary>Appends Linux's list form of <paramref name="mask"/> ("0-1,3"; nothing for 0) and a newline.</summary>
        public static int Append(Span<byte> buffer, int length, ulong mask)
        {
            bool first = true;
            for (int cpu = 0; cpu < 64; cpu++)
            {
                if ((mask & (1UL << cpu)) == 0) continue;
                int last = cpu;
                while (last < 63 && (mask & (1UL << (last + 1))) != 0) last++;
                if (!first) length = LimitValues.AppendText(buffer, length, ",");
                length = LimitValues.AppendNumber(buffer, length, (ulong)cpu);
                if (last > cpu)
                {
                    length = LimitValues.AppendText(buffer, length, "-");
                    length = LimitValues.AppendNumber(buffer, length, (ulong)last);
                }
                first = false;
                cpu = last;
            }
            return LimitValues.AppendText(buffer, length, "\n");
        }

        /// <summary>
        /// Parses "N", "N-M" and lists of them joined by commas (CPU ids 0 to 63, N &lt;= M), with only
        /// the surrounding spaces and newline ignored; nothing at all is the empty set. False otherwise.
        /// </summary>
        public static bool TryParseList(ReadOnlySpan<byte> text, out ulong mask)
        {
            mask = 0;
            int start = 0, end = text.Length;
            while (start < end && IsSpace(text[start])) start++;
            while (end > start && IsSpace(text[end - 1])) end--;
            int at = start;
            while (at < end)
            {
                if (!TryNumber(text, ref at, end, out int first)) return false;
                int last = first;
                if (at < end && text[at] == '-')
                {
                    at++;
                    if (!TryNumber(text, ref at, end, out last) || last < first) return false;
                }
                for (int cpu = first; cpu <= last; cpu++) mask |= 1UL << cpu;
                if (at == end) break;
                if (text[at] != ',' || ++at == end) return false;          // a comma, and something after it
            }
            return true;
        }

        // One CPU id, 0 to 63, at text[at...]: at least one digit.
        private static bool TryNumber(ReadOnlySpan<byte> text, ref int at, int end, out int value)
        {
            value = 0;
            int digits = 0;
            while (at < end && text[at] >= '0' && text[at] <= '9')
            {
                value = value * 10 + (text[at++] - '0');
                if (++digits > 2 || value > 63) return false;
            }
            return digits > 0;
        }

        private static bool IsSpace(byte c) => c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }
}
