using System;

namespace Net
{
    /// <summary>
    /// A fixed-size ring of bytes: a socket's send buffer. It is allocated once, when the socket is
    /// made, so nothing on the packet path allocates and a connection's memory is bounded by its
    /// capacity. Peek reads bytes anywhere in the ring without taking them, because TCP keeps sent bytes
    /// until the peer acknowledges them and may have to send them again.
    /// </summary>
    public sealed class ByteRing
    {
        private readonly byte[] _bytes;
        private int _head, _count;

        public ByteRing(int capacity) { _bytes = new byte[capacity]; }

        public int Capacity => _bytes.Length;
        public int Count => _count;
        public int Room => _bytes.Length - _count;

        /// <summary>Appends as many bytes as fit; returns how many did.</summary>
        public int Write(ReadOnlySpan<byte> source)
        {
            int n = source.Length < Room ? source.Length : Room;
            for (int i = 0; i < n; i++) _bytes[(_head + _count + i) % _bytes.Length] = source[i];
            _count += n;
            return n;
        }

        /// <summary>Copies bytes starting <paramref name="offset"/> bytes from the head, without taking them.</summary>
        public int Peek(int offset, Span<byte> destination)
        {
            if (offset < 0 || offset >= _count) return 0;
            int n = _count - offset < destination.Length ? _count - offset : destination.Length;
            for (int i = 0; i < n; i++) destination[i] = _bytes[(_head + offset + i) % _bytes.Length];
            return n;
        }

        /// <summary>Drops bytes from the head (acknowledged by the peer, or read by the program).</summary>
        public void Discard(int count)
        {
            if (count > _count) count = _count;
            if (count <= 0) return;
            _head = (_head + count) % _bytes.Length;
            _count -= count;
        }

        /// <summary>Gives the bytes back to the kernel heap (there is no collector in the kernel).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_bytes);
            Mem.KernelHeap.Free(this);
        }

        public int Read(Span<byte> destination)
        {
            int n = Peek(0, destination);
            Discard(n);
            return n;
        }
    }
}
