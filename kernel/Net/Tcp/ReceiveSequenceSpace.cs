using System;

namespace Net.Tcp
{
    /// <summary>
    /// The receiving half of a connection (RFC 793, section 3.2, "receive sequence space"):
    ///
    ///        already read     |  received, not yet read  |   the window: may arrive    |  beyond
    ///   ----------------------+--------------------------+-----------------------------+---------
    ///                                                 RCV.NXT                    RCV.NXT + RCV.WND
    ///
    /// RCV.NXT is the next byte expected in order; the window is the free room in the buffer, which we
    /// advertise in every segment so the peer never sends more than we can keep. Segments may arrive out
    /// of order: a byte inside the window but past RCV.NXT is stored at its place and marked present, and
    /// when the gap before it fills, RCV.NXT moves over every present byte at once (reassembly). Bytes
    /// before RCV.NXT are duplicates and are ignored. The buffer is one ring allocated with the
    /// connection, so out-of-order data costs no extra memory.
    /// </summary>
    public sealed class ReceiveSequenceSpace
    {
        private readonly byte[] _bytes;
        private readonly bool[] _present;    // out-of-order bytes already stored past the in-order ones
        private int _head, _count;           // the in-order bytes waiting for the program

        public uint InitialSequence;         // IRS: the sequence number of the peer's SYN
        public uint Next;                    // RCV.NXT

        public ReceiveSequenceSpace(int capacity)
        {
            _bytes = new byte[capacity];
            _present = new bool[capacity];
        }

        /// <summary>Bytes the program can read now.</summary>
        public int Readable => _count;

        /// <summary>RCV.WND: the room left, capped at what the 16-bit window field can say.</summary>
        public uint Window
        {
            get { int free = _bytes.Length - _count; return free > 65535 ? 65535u : (uint)free; }
        }

        public void Start(uint peerInitialSequence)
        {
            InitialSequence = peerInitialSequence;
            Next = peerInitialSequence + 1;      // the SYN itself takes one sequence number
        }

        /// <summary>
        /// Stores the part of a segment's data that lies inside the window and returns how many bytes
        /// it moved RCV.NXT forward (zero when it only filled a place after a gap, or was a duplicate).
        /// </summary>
        public int Accept(uint sequence, ReadOnlySpan<byte> data)
        {
            uint window = Window;
            for (int i = 0; i < data.Length; i++)
            {
                uint offset = sequence + (uint)i - Next;
                if (offset >= window) continue;                     // before RCV.NXT (a duplicate) or past the window
                int index = (_head + _count + (int)offset) % _bytes.Length;
                _bytes[index] = data[i];
                _present[index] = true;
            }
            int advanced = 0;
            while (_count < _bytes.Length && _present[(_head + _count) % _bytes.Length])
            {
                _present[(_head + _count) % _bytes.Length] = false;
                _count++;
                advanced++;
            }
            Next += (uint)advanced;
            return advanced;
        }

        public int Read(Span<byte> destination)
        {
            int n = _count < destination.Length ? _count : destination.Length;
            for (int i = 0; i < n; i++) destination[i] = _bytes[(_head + i) % _bytes.Length];
            _head = (_head + n) % _bytes.Length;
            _count -= n;
            return n;
        }

        public void Free()
        {
            Mem.KernelHeap.Free(_bytes);
            Mem.KernelHeap.Free(_present);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>Forgets unread data (a connection nobody will read any more).</summary>
        public void DiscardReadable() { _head = (_head + _count) % _bytes.Length; _count = 0; }
    }
}
