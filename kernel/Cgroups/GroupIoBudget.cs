using Drivers;
using Proc;
using Sched;
using TeachOS.Boundary;

namespace Cgroups
{
    /// <summary>
    /// The control groups' answer to the block layer (Drivers/CallerIoBudget.cs), registered by
    /// KernelMain: a disk request is charged to the disk budget (io.max, io.stat) of the running
    /// process's group. The group is held while the request may wait for its budget, so that the
    /// process being moved out and the group removed meanwhile cannot free the budget under it.
    /// Kernel threads and the root group's processes are not charged (the root has no io.max).
    /// </summary>
    public sealed class GroupIoBudget : CallerIoBudget
    {
        [MayBlock]
        public override void ChargeCurrent(bool write, int bytes)
        {
            Thread thread = Scheduler.Current;
            // Under the scheduler's lock, which a move to another group and rmdir take too.
            bool flags = Scheduler.ThreadStateLock.Acquire();
            ControlGroup group = Process.Current?.Group as ControlGroup;
            if (group == null || group.Io == null)
            {
                Scheduler.ThreadStateLock.Release(flags);
                return;
            }
            group.Hold();
            Scheduler.ThreadStateLock.Release(flags);
            IoBandwidth.Charge(group.Io, write, bytes, thread);
            group.Put();
        }
    }
}
