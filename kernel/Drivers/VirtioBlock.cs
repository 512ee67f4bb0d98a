using System;
using System.Runtime.InteropServices;
using System.Threading;
using Abi;
using Arch.X64;
using Mem;
using Sched;
using Sync;
using TeachOS.Boundary;
using Terminal;
using Traps;

namespace Drivers
{
    /// <summary>
    /// A virtio block device through its legacy PCI interface (Virtio 0.9.5; Virtio 1.1 sections
    /// 4.1.4.8 "Legacy Interfaces: A Note on PCI Device Layout" and 5.2 "Block Device"): the
    /// transitional device 1AF4:1001 that QEMU's `-device virtio-blk-pci` is on the `pc` machine.
    /// Its registers are I/O ports at BAR 0 (the offsets below); requests travel through one
    /// virtqueue (Virtqueue.cs). xv6's kernel/virtio_disk.c is the same driver for the MMIO transport.
    ///
    /// A request is a chain of three descriptors: a 16-byte header the device reads (type, sector),
    /// the block's data (the device reads it for a write, writes it for a read), and one status byte
    /// the device writes last. The driver owns <see cref="RequestSlots"/> such chains, fixed at start:
    /// slot s is descriptors 3s, 3s+1, 3s+2, with its header, status byte and a 1 KiB data buffer in
    /// memory set aside for DMA. (The data goes through that buffer because the caller's span may lie
    /// anywhere in the kernel heap, where consecutive virtual pages need not be consecutive frames.)
    ///
    /// A thread's request: take a free slot (sleep if all are busy), fill it, publish it in the
    /// available ring and write the notify register, then sleep on the slot's wait queue. The device
    /// finishes it in its own time, puts it in the used ring and raises its interrupt;
    /// <see cref="HandleInterrupt"/> marks the slot done and wakes the thread. No CPU spins meanwhile:
    /// under TCG a request takes tens of microseconds, time other threads use.
    ///
    /// Locks: <see cref="_queueLock"/> (a spin lock, taken by threads and the interrupt handler)
    /// guards the rings and the slots' busy and done marks. Sleeping uses Scheduler.ThreadStateLock,
    /// never nested with the queue lock: a waker changes the mark under the queue lock, lets it go, then
    /// takes ThreadStateLock to wake; a sleeper reads the mark under ThreadStateLock, so no wake-up is lost.
    /// </summary>
    public sealed unsafe class VirtioBlock : BlockDevice
    {
        // The registers are Arch/X64/VirtioLegacyPorts.cs; the block device's own configuration
        // fields start with its capacity (Virtio 1.1, 5.2.4).
        private const int ConfigurationCapacity = 0;    // 64 bits, in 512-byte sectors

        // Device status bits (Virtio 1.1, 2.1), set in this order as the driver starts the device.
        private const byte StatusAcknowledge = 1;       // the guest has noticed the device
        private const byte StatusDriver = 2;            // and has a driver for it
        private const byte StatusDriverOk = 4;          // the driver is ready: the device may be used
        private const byte StatusFailed = 128;          // the driver gave up

        // Feature bits of the block device (Virtio 1.1, 5.2.3).
        private const uint FeatureReadOnly = 1 << 5;
        private const uint FeatureFlush = 1 << 9;       // VIRTIO_BLK_F_FLUSH: the device has a write cache to flush

        private const byte InterruptQueue = 1;          // InterruptStatus bit 0: a queue has used entries

        // Request types and the status byte (Virtio 1.1, 5.2.6).
        private const uint RequestRead = 0;             // VIRTIO_BLK_T_IN
        private const uint RequestWrite = 1;            // VIRTIO_BLK_T_OUT
        private const uint RequestFlush = 4;            // VIRTIO_BLK_T_FLUSH
        private const byte ResultOk = 0;
        private const byte ResultNotYet = 0xFF;         // what we put there before; the device overwrites it

        private const int MaximumRequests = 16;
        private const int DescriptorsPerRequest = 3;
        private const int SlotHeaderBytes = 32;         // the 16-byte header, then the status byte
        private const ulong RequestAreaFrames = 1 + MaximumRequests * (ulong)BlockSize / FrameAllocator.FrameSize;

        private readonly VirtioLegacyPorts _ports;
        private readonly string _name;
        private readonly Virtqueue _queue;
        private readonly ulong _requestArea;            // physical: slot headers in the first frame, data buffers after
        public readonly int RequestSlots;
        public readonly int Irq;

        private SpinLock _queueLock;
        private readonly bool[] _slotBusy = new bool[MaximumRequests];
        private readonly bool[] _slotDone = new bool[MaximumRequests];
        private readonly WaitQueue[] _slotWaiters = new WaitQueue[MaximumRequests];
        private int _freeSlots;
        /// <summary>The most requests the device has had at once since boot (a figure for tests).</summary>
        public int MostInFlight { get; private set; }
        private readonly WaitQueue _waitingForSlot = new WaitQueue("virtio-blk: a free request slot");

        public override string Name => _name;
        public bool ReadOnly { get; }
        /// <summary>The device has a write cache and the flush command (VIRTIO_BLK_F_FLUSH); without it, it writes through.</summary>
        public bool CanFlush { get; }

        private VirtioBlock(PciFunction function, VirtioLegacyPorts ports, bool canFlush, bool readOnly, Virtqueue queue, ulong requestArea, int irq)
        {
            _ports = ports;
            CanFlush = canFlush;
            ReadOnly = readOnly;
            _queue = queue;
            _requestArea = requestArea;
            Irq = irq;
            RequestSlots = Math.Min(MaximumRequests, queue.Size / DescriptorsPerRequest);
            _freeSlots = RequestSlots;
            for (int i = 0; i < MaximumRequests; i++) _slotWaiters[i] = new WaitQueue("virtio-blk: a request");
            _name = string.Concat("virtio-blk at ", PciAddress(function));
            ulong sectors = ports.Configuration(ConfigurationCapacity).Read32() | (ulong)ports.Configuration(ConfigurationCapacity + 4).Read32() << 32;
            BlockCount = sectors / DiskFormat.SectorsPerBlock;
        }

        /// <summary>
        /// Starts the device found at <paramref name="function"/>: the handshake of Virtio 1.1, 3.1.1 (legacy
        /// variant: no FEATURES_OK step), queue 0 set up, its interrupt line routed to the handler. Prints
        /// why and returns null if it cannot.
        /// </summary>
        public static VirtioBlock Start(PciFunction function)
        {
            function.EnableIoAndBusMastering();
            ushort bar0 = function.IoBar(0);
            int irq = function.LegacyIrq;
            // Lines 0 (the PIT), 2 (the second PIC's cascade), 1 and 4 (keyboard, serial) are taken.
            if (bar0 == 0 || irq < 0 || irq == 0 || irq == 2 || irq == TrapVectors.KeyboardIrq || irq == TrapVectors.SerialIrq)
            {
                Console.WriteLine($"disk: virtio-blk has no I/O ports at BAR 0 or no usable IRQ (irq {irq})");
                return null;
            }
            var ports = new VirtioLegacyPorts(bar0);

            ports.DeviceStatus.Write8(0);                                       // reset
            ports.DeviceStatus.Write8(StatusAcknowledge);
            ports.DeviceStatus.Write8(StatusAcknowledge | StatusDriver);

            // Accept only what this driver uses: the flush command. (Not indirect descriptors, not
            // event indices: then the device interrupts after every request, which is what we want.)
            uint offered = ports.DeviceFeatures.Read32();
            uint accepted = offered & FeatureFlush;
            ports.DriverFeatures.Write32(accepted);

            ports.QueueSelect.Write16(0);
            ushort size = ports.QueueSize.Read16();
            Virtqueue queue = size >= DescriptorsPerRequest && ports.QueueAddress.Read32() == 0 ? Virtqueue.Create(size) : null;
            // One frame of headers, then the data buffers, four to a frame.
            ulong requestArea = FrameAllocator.AllocateContiguous(RequestAreaFrames);
            if (queue == null || requestArea == 0)
            {
                if (queue != null) queue.Free();
                if (requestArea != 0)
                    for (ulong frame = 0; frame < RequestAreaFrames; frame++) FrameAllocator.Free(requestArea + frame * FrameAllocator.FrameSize);
                ports.DeviceStatus.Write8(StatusFailed);
                Console.WriteLine($"disk: virtio-blk queue 0 unusable (size {size}) or no memory for it");
                return null;
            }
            ports.QueueAddress.Write32((uint)(queue.Physical / FrameAllocator.FrameSize));

            var device = new VirtioBlock(function, ports, (accepted & FeatureFlush) != 0, (offered & FeatureReadOnly) != 0, queue, requestArea, irq);
            InterruptHandlers.RegisterDevice(irq, new VirtioBlockInterrupt(device));
            Pic.Unmask(irq);
            ports.DeviceStatus.Write8(StatusAcknowledge | StatusDriver | StatusDriverOk);
            return device;
        }

        private static string PciAddress(PciFunction function)
        {
            const string hex = "0123456789abcdef";
            char* text = stackalloc char[7];
            text[0] = hex[function.Bus >> 4];
            text[1] = hex[function.Bus & 15];
            text[2] = ':';
            text[3] = hex[function.Device >> 4];
            text[4] = hex[function.Device & 15];
            text[5] = '.';
            text[6] = (char)('0' + function.Function);
            return new string(text, 0, 7);
        }

        protected override int ReadBlock(ulong block, Span<byte> into) => Transfer(RequestRead, block, into, default);

        protected override int WriteBlock(ulong block, ReadOnlySpan<byte> from) =>
            ReadOnly ? -Errno.EIO : Transfer(RequestWrite, block, default, from);

        protected override int FlushWrites() => CanFlush ? Transfer(RequestFlush, 0, default, default) : 0;

        /// <summary>One request, start to finish: a slot, the chain, the device's answer.</summary>
        [MayBlock]
        private int Transfer(uint type, ulong block, Span<byte> into, ReadOnlySpan<byte> from)
        {
            int slot = TakeSlot();
            ulong headerPhysical = _requestArea + (ulong)(slot * SlotHeaderBytes);
            ulong dataPhysical = _requestArea + FrameAllocator.FrameSize + (ulong)(slot * BlockSize);
            var header = (VirtioBlockRequestHeader*)DirectMap.ToVirtual(headerPhysical);
            byte* status = (byte*)(header + 1);
            byte* data = (byte*)DirectMap.ToVirtual(dataPhysical);

            header->Type = type;
            header->Reserved = 0;
            header->Sector = block * DiskFormat.SectorsPerBlock;
            *status = ResultNotYet;
            if (type == RequestWrite) from.CopyTo(new Span<byte>(data, BlockSize));

            ushort first = (ushort)(slot * DescriptorsPerRequest);
            ushort statusDescriptor = (ushort)(first + 2);
            if (type == RequestFlush)
            {
                _queue.SetDescriptor(first, headerPhysical, (uint)sizeof(VirtioBlockRequestHeader), Virtqueue.DescriptorNext, statusDescriptor);
            }
            else
            {
                _queue.SetDescriptor(first, headerPhysical, (uint)sizeof(VirtioBlockRequestHeader), Virtqueue.DescriptorNext, (ushort)(first + 1));
                ushort dataFlags = (ushort)(Virtqueue.DescriptorNext | (type == RequestRead ? Virtqueue.DescriptorWrite : 0));
                _queue.SetDescriptor(first + 1, dataPhysical, BlockSize, dataFlags, statusDescriptor);
            }
            _queue.SetDescriptor(statusDescriptor, headerPhysical + (ulong)sizeof(VirtioBlockRequestHeader), 1, Virtqueue.DescriptorWrite, 0);

            bool flags = _queueLock.Acquire();
            _slotDone[slot] = false;
            _queue.Publish(first);
            _ports.QueueNotify.Write16(0);        // queue 0 has work; QEMU starts on it at once
            _queueLock.Release(flags);

            WaitUntilDone(slot);

            int result = *status == ResultOk ? 0 : -Errno.EIO;
            if (result == 0 && type == RequestRead) new ReadOnlySpan<byte>(data, BlockSize).CopyTo(into);
            GiveBackSlot(slot);
            return result;
        }

        [MayBlock]
        private int TakeSlot()
        {
            while (true)
            {
                bool flags = _queueLock.Acquire();
                for (int slot = 0; slot < RequestSlots; slot++)
                {
                    if (_slotBusy[slot]) continue;
                    _slotBusy[slot] = true;
                    _freeSlots--;
                    if (RequestSlots - _freeSlots > MostInFlight) MostInFlight = RequestSlots - _freeSlots;
                    _queueLock.Release(flags);
                    return slot;
                }
                _queueLock.Release(flags);

                bool stateFlags = Scheduler.ThreadStateLock.Acquire();
                if (Volatile.Read(ref _freeSlots) == 0) Scheduler.WaitLocked(_waitingForSlot);
                Scheduler.ThreadStateLock.Release(stateFlags);
            }
        }

        /// <summary>
        /// Sleeps until the interrupt handler marks the slot done. A kill wakes the thread too, but it
        /// sleeps again: the device still owns the slot's buffers, and the caller needs the answer.
        /// </summary>
        [MayBlock]
        private void WaitUntilDone(int slot)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (!Volatile.Read(ref _slotDone[slot])) Scheduler.WaitLocked(_slotWaiters[slot]);
            Scheduler.ThreadStateLock.Release(flags);
        }

        private void GiveBackSlot(int slot)
        {
            bool flags = _queueLock.Acquire();
            _slotBusy[slot] = false;
            _freeSlots++;
            _queueLock.Release(flags);
            Scheduler.WakeAll(_waitingForSlot);
        }

        /// <summary>
        /// The device's interrupt (interrupts off). Reading the interrupt status register tells whether
        /// it was this device (a PCI line may be shared) and lowers the line; then every request the
        /// device has put in the used ring since last time is marked done and its thread woken.
        /// </summary>
        [InterruptContext]
        public void HandleInterrupt()
        {
            byte cause = _ports.InterruptStatus.Read8();
            if ((cause & InterruptQueue) == 0) return;

            uint finished = 0;                  // one bit per slot
            bool flags = _queueLock.Acquire();
            while (_queue.TakeUsed(out ushort head))
            {
                int slot = head / DescriptorsPerRequest;
                _slotDone[slot] = true;
                finished |= 1u << slot;
            }
            _queueLock.Release(flags);

            if (finished == 0) return;
            bool stateFlags = Scheduler.ThreadStateLock.Acquire();
            for (int slot = 0; slot < RequestSlots; slot++)
                if ((finished & (1u << slot)) != 0) Scheduler.WakeAllLocked(_slotWaiters[slot]);
            Scheduler.ThreadStateLock.Release(stateFlags);
        }
    }

    /// <summary>The header of a block request (Virtio 1.1, 5.2.6): the device reads it first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VirtioBlockRequestHeader
    {
        public uint Type;          // read, write, flush
        public uint Reserved;
        public ulong Sector;       // in 512-byte sectors, whatever the block size
    }
}
