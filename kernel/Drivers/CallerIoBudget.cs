using TeachOS.Boundary;

namespace Drivers
{
    /// <summary>
    /// The block layer's one question to the layer above: charge this request to the running thread's
    /// disk budget (Drivers/IoBandwidth.cs). Budgets belong to control groups, which sit above the
    /// drivers (kernel/Layers.txt), so the block layer reaches them only through this class;
    /// Cgroups/GroupIoBudget.cs is the one implementation, registered by KernelMain. It finds the
    /// running process's group, keeps the group alive while the request waits, and calls
    /// <see cref="IoBandwidth.Charge"/>; a kernel thread, or a process in the root group, is not charged.
    /// </summary>
    public abstract class CallerIoBudget
    {
        [MayBlock]
        public abstract void ChargeCurrent(bool write, int bytes);
    }
}
