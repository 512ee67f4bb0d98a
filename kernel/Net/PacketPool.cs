using Sync;
using Diagnostics;

namespace Net
{
    /// <summary>
    /// Every packet buffer the stack will ever use, made at boot: a free list of <see cref="Size"/>
    /// buffers. Nothing on the packet path allocates from the heap, so a flood of frames cannot eat
    /// the kernel's memory: when the pool is empty a received frame is dropped (and counted), a send
    /// fails with ENOBUFS. The counts are the leak check of PacketBuffer's ownership rule:
    /// <see cref="InUse"/> must come back to what it was once the traffic has passed.
    /// </summary>
    public static class PacketPool
    {
        public const int Size = 64;

        private static SpinLock s_lock;
        private static PacketBuffer s_free;

        public static int InUse { get; private set; }
        public static int MostInUse { get; private set; }
        /// <summary>How often Allocate found the pool empty.</summary>
        public static ulong Exhausted { get; private set; }

        public static void Initialize()
        {
            for (int i = 0; i < Size; i++)
            {
                var buffer = new PacketBuffer { NextFree = s_free };
                s_free = buffer;
            }
        }

        /// <summary>An empty buffer with headroom, owned by the caller; null when all are in use.</summary>
        public static PacketBuffer Allocate()
        {
            bool flags = s_lock.Acquire();
            PacketBuffer buffer = s_free;
            if (buffer == null)
            {
                Exhausted++;
                s_lock.Release(flags);
                return null;
            }
            s_free = buffer.NextFree;
            buffer.NextFree = null;
            buffer.InUse = true;
            InUse++;
            if (InUse > MostInUse) MostInUse = InUse;
            s_lock.Release(flags);
            buffer.Reset();
            return buffer;
        }

        /// <summary>Gives a buffer back: only its owner may, once (PacketBuffer's ownership rule).</summary>
        public static void Free(PacketBuffer buffer)
        {
            if (buffer == null) return;
            bool flags = s_lock.Acquire();
            if (!buffer.InUse)
            {
                s_lock.Release(flags);
                Panic.Halt("net: a packet buffer was freed twice (its ownership rule was broken)");
            }
            buffer.InUse = false;
            buffer.NextFree = s_free;
            s_free = buffer;
            InUse--;
            s_lock.Release(flags);
        }
    }
}
