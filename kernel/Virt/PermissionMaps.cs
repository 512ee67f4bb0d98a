using Arch.X64;
using Mem;
using Sync;

namespace Virt
{
    /// <summary>
    /// The I/O and MSR permission maps every VMCB points to (APM vol. 2, 15.10.1 "I/O Permissions
    /// Map", 15.11 "MSR Intercepts"). A set bit intercepts: the IOPM has one bit per port (64 Ki ports,
    /// plus a page because an access of several bytes checks the bits of each), 12 KiB; the MSRPM two
    /// bits per MSR (read, write) over three ranges, 8 KiB. TeachOS sets every bit of both: a guest
    /// touches no real device and no real MSR; each access exits, and the hypervisor decides
    /// (Virt/IoExit.cs for the ports it emulates). Every guest shares the one pair: it is never written again.
    /// The maps must be physically contiguous, as the CPU reads them by physical address.
    /// </summary>
    public static unsafe class PermissionMaps
    {
        private const ulong IopmFrames = 3;
        private const ulong MsrpmFrames = 2;

        private static SpinLock s_lock;
        private static ulong s_iopm, s_msrpm;

        public static ulong IopmPhysical => s_iopm;
        public static ulong MsrpmPhysical => s_msrpm;

        /// <summary>Makes the maps (at boot: Virt/SvmHost.cs); false when the frames are not there.</summary>
        public static bool Prepare()
        {
            bool flags = s_lock.Acquire();
            if (s_iopm == 0) s_iopm = AllOnes(IopmFrames);
            if (s_msrpm == 0) s_msrpm = AllOnes(MsrpmFrames);
            bool ready = s_iopm != 0 && s_msrpm != 0;
            s_lock.Release(flags);
            return ready;
        }

        private static ulong AllOnes(ulong frames)
        {
            ulong physical = FrameAllocator.AllocateContiguous(frames);
            if (physical == 0) return 0;
            ulong* words = (ulong*)DirectMap.ToVirtual(physical);
            for (ulong i = 0; i < frames * FrameAllocator.FrameSize / 8; i++) words[i] = ulong.MaxValue;
            return physical;
        }
    }
}
