using System;
using Drivers;
using Sched;
using Sync;
using TeachOS.Boundary;

namespace Net
{
    /// <summary>
    /// The loopback "card" behind interface lo: a frame sent is queued and comes back in as received,
    /// through the same receive thread and the same checks as a real card's. A ring of
    /// <see cref="Slots"/> frames copied in and out; when it is full the frame is dropped, as a card's
    /// full ring would. It has no MAC address (all zeros) and needs no ARP.
    /// </summary>
    public sealed class LoopbackDevice : NetworkDevice
    {
        public const int Slots = 16;

        private readonly byte[][] _frames = new byte[Slots][];
        private readonly int[] _lengths = new int[Slots];
        private int _first, _count;
        private SpinLock _lock;
        private readonly WaitQueue _framesArrived = new WaitQueue("loopback: a frame");

        public LoopbackDevice()
        {
            for (int i = 0; i < Slots; i++) _frames[i] = new byte[MaximumFrame];
        }

        public override string Name => "loopback";

        public override void ReadMacAddress(Span<byte> into) => into.Slice(0, 6).Clear();

        public override bool Transmit(ReadOnlySpan<byte> frame)
        {
            if (frame.Length > MaximumFrame) return false;
            bool flags = _lock.Acquire();
            if (_count == Slots)
            {
                TransmitRingFull++;
                _lock.Release(flags);
                return false;
            }
            int slot = (_first + _count) % Slots;
            frame.CopyTo(_frames[slot]);
            _lengths[slot] = frame.Length;
            _count++;
            FramesTransmitted++;
            _lock.Release(flags);
            Scheduler.WakeAll(_framesArrived);
            return true;
        }

        public override int Receive(Span<byte> into)
        {
            bool flags = _lock.Acquire();
            if (_count == 0) { _lock.Release(flags); return 0; }
            int length = Math.Min(_lengths[_first], into.Length);
            new ReadOnlySpan<byte>(_frames[_first], 0, length).CopyTo(into);
            _first = (_first + 1) % Slots;
            _count--;
            _lock.Release(flags);
            return length;
        }

        [MayBlock]
        public override void WaitForFrames()
        {
            // The count is read under ThreadStateLock, which the waker also takes (after its own lock):
            // a frame queued between this check and the sleep still finds the thread on the queue.
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (System.Threading.Volatile.Read(ref _count) == 0) Scheduler.WaitLocked(_framesArrived);
            Scheduler.ThreadStateLock.Release(flags);
        }
    }
}
