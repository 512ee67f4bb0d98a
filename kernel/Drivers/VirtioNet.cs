using System;
using System.Runtime.InteropServices;
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
    /// A virtio network card through its legacy PCI interface (Virtio 1.1, 4.1.4.8 and 5.1 "Network
    /// Device"): the transitional device 1AF4:1000 that QEMU's `-device virtio-net-pci` is on the `pc`
    /// machine. The registers are the same I/O ports as the block device's (Arch/X64/VirtioLegacyPorts.cs);
    /// the card has two virtqueues (Virtqueue.cs): queue 0 receives, queue 1 transmits.
    ///
    /// Every frame in either direction is preceded by a 10-byte virtio-net header (5.1.6) that asks
    /// for offloads (checksums, segmentation); TeachOS accepts none, so on transmit it is all zeros and
    /// on receive it is skipped. Each buffer is one descriptor holding header and frame together,
    /// 2 KiB, in memory set aside for DMA: the card reads and writes physical addresses.
    ///
    /// Receive: at start every receive buffer is offered to the card (the available ring). The card
    /// fills one per frame, puts it in the used ring and interrupts; <see cref="Receive"/> copies the
    /// frame out and offers the buffer again at once. If no buffer is offered when a frame arrives,
    /// the card drops it: the ring's size is how much of a burst the stack can absorb.
    /// Transmit: a free buffer gets header and frame, is published, and the notify register tells the
    /// card; buffers the card has finished with are taken back at the next transmit.
    /// Locks: <see cref="_receiveLock"/> and <see cref="_transmitLock"/> (spin locks) guard their queue
    /// each; waiting for frames uses Scheduler.ThreadStateLock as VirtioBlock does.
    /// </summary>
    public sealed unsafe class VirtioNet : NetworkDevice
    {
        private const ushort ReceiveQueue = 0, TransmitQueue = 1;
        private const uint FeatureMac = 1 << 5;          // VIRTIO_NET_F_MAC: the MAC address is in the configuration
        private const int ConfigurationMac = 0;          // 6 bytes (5.1.4)
        private const int HeaderBytes = 10;              // struct virtio_net_hdr without the merged-buffers field
        private const int BufferBytes = 2048;            // header + 1514-byte frame, two buffers a frame
        private const int BuffersPerQueue = 32;

        private const byte StatusAcknowledge = 1, StatusDriver = 2, StatusDriverOk = 4, StatusFailed = 128;
        private const byte InterruptQueue = 1;

        private readonly VirtioLegacyPorts _ports;
        private readonly string _name;
        private readonly byte[] _mac = new byte[6];
        private readonly Virtqueue _receive, _transmit;
        private readonly ulong _receiveArea, _transmitArea;   // physical, BuffersPerQueue x BufferBytes each
        private readonly int _receiveBuffers, _transmitBuffers;
        private readonly bool[] _transmitBusy = new bool[BuffersPerQueue];
        private SpinLock _receiveLock, _transmitLock;
        private readonly WaitQueue _framesArrived = new WaitQueue("virtio-net: a received frame");
        public readonly int Irq;

        public override string Name => _name;
        public override void ReadMacAddress(Span<byte> into) => new ReadOnlySpan<byte>(_mac).CopyTo(into);

        private VirtioNet(string name, VirtioLegacyPorts ports, Virtqueue receive, Virtqueue transmit, ulong receiveArea, ulong transmitArea, int irq)
        {
            _name = name;
            _ports = ports;
            _receive = receive;
            _transmit = transmit;
            _receiveArea = receiveArea;
            _transmitArea = transmitArea;
            _receiveBuffers = Math.Min(BuffersPerQueue, (int)receive.Size);
            _transmitBuffers = Math.Min(BuffersPerQueue, (int)transmit.Size);
            Irq = irq;
            for (int i = 0; i < 6; i++) _mac[i] = ports.Configuration(ConfigurationMac + i).Read8();
        }

        /// <summary>Starts the card at <paramref name="function"/> (the handshake of Virtio 1.1, 3.1.1, legacy
        /// variant), both queues set up, every receive buffer offered; null, with the reason printed, if it cannot.</summary>
        public static VirtioNet Start(PciFunction function, string name)
        {
            function.EnableIoAndBusMastering();
            ushort bar0 = function.IoBar(0);
            int irq = function.LegacyIrq;
            if (bar0 == 0 || irq <= 0 || irq == 2 || irq == TrapVectors.KeyboardIrq || irq == TrapVectors.SerialIrq)
            {
                Console.WriteLine($"net: virtio-net has no I/O ports at BAR 0 or no usable IRQ (irq {irq})");
                return null;
            }
            var ports = new VirtioLegacyPorts(bar0);
            ports.DeviceStatus.Write8(0);                                   // reset
            ports.DeviceStatus.Write8(StatusAcknowledge);
            ports.DeviceStatus.Write8(StatusAcknowledge | StatusDriver);
            // Only the MAC address: no checksum offload (the stack computes every checksum, which is
            // what a student should see), no merged buffers (each frame fits one 2 KiB buffer).
            uint offered = ports.DeviceFeatures.Read32();
            if ((offered & FeatureMac) == 0)
            {
                ports.DeviceStatus.Write8(StatusFailed);
                Console.WriteLine("net: virtio-net does not tell its MAC address");
                return null;
            }
            ports.DriverFeatures.Write32(FeatureMac);

            Virtqueue receive = SetUpQueue(ports, ReceiveQueue);
            Virtqueue transmit = SetUpQueue(ports, TransmitQueue);
            const ulong areaFrames = BuffersPerQueue * (ulong)BufferBytes / FrameAllocator.FrameSize;
            ulong receiveArea = FrameAllocator.AllocateContiguous(areaFrames);
            ulong transmitArea = FrameAllocator.AllocateContiguous(areaFrames);
            if (receive == null || transmit == null || receiveArea == 0 || transmitArea == 0)
            {
                // The device may already know a queue's address: reset it before any memory goes back.
                ports.DeviceStatus.Write8(0);
                if (receive != null) receive.Free();
                if (transmit != null) transmit.Free();
                FreeArea(receiveArea, areaFrames);
                FreeArea(transmitArea, areaFrames);
                ports.DeviceStatus.Write8(StatusFailed);
                Console.WriteLine("net: virtio-net queues unusable or no memory for them");
                return null;
            }

            var device = new VirtioNet(name, ports, receive, transmit, receiveArea, transmitArea, irq);
            for (int i = 0; i < device._receiveBuffers; i++) device.OfferReceiveBuffer((ushort)i);
            InterruptHandlers.RegisterDevice(irq, new VirtioNetInterrupt(device));
            Pic.Unmask(irq);
            ports.DeviceStatus.Write8(StatusAcknowledge | StatusDriver | StatusDriverOk);
            ports.QueueNotify.Write16(ReceiveQueue);                        // the buffers are there
            return device;
        }

        private static Virtqueue SetUpQueue(VirtioLegacyPorts ports, ushort index)
        {
            ports.QueueSelect.Write16(index);
            ushort size = ports.QueueSize.Read16();
            if (size == 0 || ports.QueueAddress.Read32() != 0) return null;
            Virtqueue queue = Virtqueue.Create(size);
            if (queue != null) ports.QueueAddress.Write32((uint)(queue.Physical / FrameAllocator.FrameSize));
            return queue;
        }

        private static void FreeArea(ulong physical, ulong frames)
        {
            if (physical == 0) return;
            for (ulong frame = 0; frame < frames; frame++) FrameAllocator.Free(physical + frame * FrameAllocator.FrameSize);
        }

        // Buffer i of a queue is descriptor i: a chain of one, which the card writes (receive).
        private void OfferReceiveBuffer(ushort buffer)
        {
            _receive.SetDescriptor(buffer, _receiveArea + (ulong)buffer * BufferBytes, BufferBytes, Virtqueue.DescriptorWrite, 0);
            _receive.Publish(buffer);
        }

        public override int Receive(Span<byte> into)
        {
            bool flags = _receiveLock.Acquire();
            int length = 0;
            bool offered = false;
            while (length == 0 && _receive.TakeUsed(out ushort buffer, out uint written))
            {
                // A frame shorter than the header, or longer than the caller's buffer, is the card's
                // error or a giant frame: count it, give the buffer back and look at the next one.
                if (buffer < _receiveBuffers && written > HeaderBytes && written - HeaderBytes <= (uint)into.Length)
                {
                    byte* data = (byte*)DirectMap.ToVirtual(_receiveArea + (ulong)buffer * BufferBytes);
                    length = (int)written - HeaderBytes;
                    new ReadOnlySpan<byte>(data + HeaderBytes, length).CopyTo(into);
                }
                else ReceiveErrors++;
                if (buffer < _receiveBuffers) { OfferReceiveBuffer(buffer); offered = true; }
            }
            _receiveLock.Release(flags);
            if (offered) _ports.QueueNotify.Write16(ReceiveQueue);      // a buffer is there again for the card
            return length;
        }

        public override bool Transmit(ReadOnlySpan<byte> frame)
        {
            if (frame.Length > MaximumFrame) return false;
            bool flags = _transmitLock.Acquire();
            while (_transmit.TakeUsed(out ushort done))
                if (done < _transmitBuffers) _transmitBusy[done] = false;
            int buffer = -1;
            for (int i = 0; i < _transmitBuffers; i++)
                if (!_transmitBusy[i]) { buffer = i; break; }
            if (buffer < 0)
            {
                TransmitRingFull++;
                _transmitLock.Release(flags);
                return false;
            }
            _transmitBusy[buffer] = true;
            ulong physical = _transmitArea + (ulong)buffer * BufferBytes;
            byte* data = (byte*)DirectMap.ToVirtual(physical);
            for (int i = 0; i < HeaderBytes; i++) data[i] = 0;                // no offloads asked for
            frame.CopyTo(new Span<byte>(data + HeaderBytes, frame.Length));
            _transmit.SetDescriptor(buffer, physical, (uint)(HeaderBytes + frame.Length), 0, 0);
            _transmit.Publish((ushort)buffer);
            FramesTransmitted++;
            _transmitLock.Release(flags);
            _ports.QueueNotify.Write16(TransmitQueue);
            return true;
        }

        [MayBlock]
        public override void WaitForFrames()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (!_receive.HasUsed) Scheduler.WaitLocked(_framesArrived);
            Scheduler.ThreadStateLock.Release(flags);
        }

        /// <summary>
        /// The card's interrupt (interrupts off): reading InterruptStatus says whether it was this card
        /// and lowers its line. A frame arrived or a sent one finished; the receive thread is woken
        /// either way and takes what is there (a finished transmit costs it one empty look).
        /// </summary>
        [InterruptContext]
        public void HandleInterrupt()
        {
            byte cause = _ports.InterruptStatus.Read8();
            if ((cause & InterruptQueue) == 0) return;
            Scheduler.WakeAll(_framesArrived);
        }
    }
}
