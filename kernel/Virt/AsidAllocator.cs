using Sync;

namespace Virt
{
    /// <summary>
    /// Address-space identifiers (APM vol. 2, 15.16 "TLB Control"). The CPU tags each TLB entry with the
    /// ASID of whoever made it (the host is ASID 0), so a world switch need not flush the TLB: the
    /// guest's translations and the host's live side by side. VMRUN refuses ASID 0 for a guest. Each VM
    /// holds one of its own from creation to destruction.
    /// </summary>
    public static class AsidAllocator
    {
        private const int MaximumTracked = 256;

        private static SpinLock s_lock;
        private static readonly bool[] s_used = new bool[MaximumTracked];

        /// <summary>A free ASID (1 or more), or 0 when every one the CPU has is taken.</summary>
        public static uint Allocate()
        {
            uint limit = SvmHost.AsidCount < MaximumTracked ? SvmHost.AsidCount : MaximumTracked;
            bool flags = s_lock.Acquire();
            uint found = 0;
            for (uint asid = 1; asid < limit && found == 0; asid++)
                if (!s_used[asid]) { s_used[asid] = true; found = asid; }
            s_lock.Release(flags);
            return found;
        }

        public static void Free(uint asid)
        {
            bool flags = s_lock.Acquire();
            s_used[asid] = false;
            s_lock.Release(flags);
        }
    }
}
