using System.Runtime.InteropServices;
using Arch.X64;
using Mem;

namespace Drivers
{
    /// <summary>
    /// One virtqueue of a legacy virtio device (Virtio 0.9.5, "Virtqueues"; Virtio 1.1, 2.6 "Split
    /// Virtqueues", 2.6.2 "Legacy Interfaces: A Note on Virtqueue Layout"): the memory the driver and
    /// the device share to pass requests. It is three arrays, in one physically contiguous area whose
    /// physical page number the driver tells the device once:
    ///
    ///     page 0 ...  descriptors  Size x 16 bytes: { physical address, length, flags, next }
    ///                              a request is a chain of descriptors linked by `next`
    ///                 available    { flags, index, ring[Size] }: the driver writes the first descriptor
    ///                              of each new request at ring[index % Size], then advances index
    ///     (next page) used         { flags, index, ring[Size] of { descriptor id, bytes written } }:
    ///                              the device writes each finished request there, then advances index
    ///
    /// Each side only ever advances its own index, and only the other side reads it: the driver learns
    /// that requests finished by seeing used.index move past the last one it looked at. The legacy
    /// interface fixes the queue's size (the device says it) and the used ring's alignment (4096).
    /// The driver that owns the queue serializes access to it with its own lock.
    /// </summary>
    public unsafe sealed class Virtqueue
    {
        /// <summary>Descriptor flags (Virtio 1.1, 2.6.5).</summary>
        public const ushort DescriptorNext = 1;        // the request goes on in descriptor `Next`
        public const ushort DescriptorWrite = 2;       // the device writes this buffer (else it reads it)

        private const int LegacyAlignment = 4096;

        public readonly ushort Size;
        /// <summary>The area's first frame: the device is told its number (physical address / 4096).</summary>
        public readonly ulong Physical;
        public readonly int Frames;

        private readonly VirtqDescriptor* _descriptors;
        private readonly VirtqAvailableHeader* _available;
        private readonly ushort* _availableRing;
        private readonly VirtqUsedHeader* _used;
        private readonly VirtqUsedElement* _usedRing;
        private ushort _lastUsedSeen;      // how far the driver has read the used ring

        /// <summary>Lays out a queue of <paramref name="size"/> descriptors in fresh zeroed frames;
        /// null if memory has no run of frames long enough.</summary>
        public static Virtqueue Create(ushort size)
        {
            ulong availableEnd = (ulong)(sizeof(VirtqDescriptor) * size + sizeof(VirtqAvailableHeader) + 2 * size + 2);
            ulong usedStart = AlignUp(availableEnd);
            ulong usedEnd = usedStart + (ulong)(sizeof(VirtqUsedHeader) + sizeof(VirtqUsedElement) * size + 2);
            int frames = (int)(AlignUp(usedEnd) / FrameAllocator.FrameSize);
            ulong physical = FrameAllocator.AllocateContiguous((ulong)frames);
            if (physical == 0) return null;
            byte* area = (byte*)DirectMap.ToVirtual(physical);
            for (ulong i = 0; i < (ulong)frames * FrameAllocator.FrameSize; i++) area[i] = 0;
            return new Virtqueue(size, physical, frames, area, usedStart);
        }

        private Virtqueue(ushort size, ulong physical, int frames, byte* area, ulong usedOffset)
        {
            Size = size;
            Physical = physical;
            Frames = frames;
            _descriptors = (VirtqDescriptor*)area;
            _available = (VirtqAvailableHeader*)(area + sizeof(VirtqDescriptor) * size);
            _availableRing = (ushort*)(_available + 1);
            _used = (VirtqUsedHeader*)(area + usedOffset);
            _usedRing = (VirtqUsedElement*)(_used + 1);
        }

        /// <summary>Gives the area's frames back: only for a queue the device was never told about.</summary>
        public void Free()
        {
            for (int frame = 0; frame < Frames; frame++) FrameAllocator.Free(Physical + (ulong)frame * FrameAllocator.FrameSize);
            KernelHeap.Free(this);
        }

        private static ulong AlignUp(ulong value) => (value + LegacyAlignment - 1) & ~(ulong)(LegacyAlignment - 1);

        /// <summary>Fills descriptor <paramref name="index"/>: a buffer of the request's chain.</summary>
        public void SetDescriptor(int index, ulong physical, uint length, ushort flags, ushort next)
        {
            VirtqDescriptor* descriptor = _descriptors + index;
            descriptor->Address = physical;
            descriptor->Length = length;
            descriptor->Flags = flags;
            descriptor->Next = next;
        }

        /// <summary>
        /// Offers the chain starting at <paramref name="head"/> to the device. The ring entry is written
        /// before the index moves: the device may look the moment it sees the new index (x86 keeps two
        /// stores in order, and the index is a volatile field, so the compiler keeps them in order too).
        /// The device learns of it when the driver then writes the queue-notify register.
        /// </summary>
        public void Publish(ushort head)
        {
            ushort index = _available->Index;
            _availableRing[index % Size] = head;
            _available->Index = (ushort)(index + 1);
        }

        /// <summary>
        /// The next request the device has finished since the last call: true with the first
        /// descriptor of its chain, or false when the driver has seen every used entry.
        /// </summary>
        public bool TakeUsed(out ushort head) => TakeUsed(out head, out _);

        /// <summary><see cref="TakeUsed(out ushort)"/> with the bytes the device wrote into the chain
        /// (a network card's receive buffer holds a frame of that length).</summary>
        public bool TakeUsed(out ushort head, out uint written)
        {
            if (_lastUsedSeen == _used->Index) { head = 0; written = 0; return false; }
            VirtqUsedElement* element = _usedRing + _lastUsedSeen % Size;
            head = (ushort)element->Id;
            written = element->Length;
            _lastUsedSeen++;
            return true;
        }

        /// <summary>True if the device has finished requests the driver has not taken yet.</summary>
        public bool HasUsed => _lastUsedSeen != _used->Index;
    }

    /// <summary>A descriptor: one buffer of a request (Virtio 1.1, 2.6.5).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VirtqDescriptor
    {
        public ulong Address;      // physical: the device reads and writes memory directly (DMA)
        public uint Length;
        public ushort Flags;
        public ushort Next;
    }

    /// <summary>The start of the available ring (the driver writes it); the ring of ushorts follows.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VirtqAvailableHeader
    {
        public ushort Flags;               // 0: interrupt the driver when a request finishes
        public volatile ushort Index;      // where the driver will put the next entry (it wraps at 65536)
    }

    /// <summary>The start of the used ring (the device writes it); the elements follow.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VirtqUsedHeader
    {
        public ushort Flags;
        public volatile ushort Index;      // read fresh every time: the device moves it behind our back
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct VirtqUsedElement
    {
        public uint Id;            // the first descriptor of the finished chain
        public uint Length;        // bytes the device wrote into the chain's buffers
    }
}
