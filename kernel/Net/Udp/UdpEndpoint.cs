using System;

namespace Net.Udp
{
    /// <summary>
    /// A bound UDP port: the datagrams that arrived for it and wait for the program, each with its
    /// sender's address and port. UDP keeps message boundaries (one receive takes one datagram) and
    /// promises nothing: when the queue is full a new datagram is dropped and counted, as a real
    /// network would drop it, so a flood costs no more than the queue's fixed size.
    /// </summary>
    public sealed class UdpEndpoint
    {
        public const int QueueLength = 16;
        public const int MaximumDatagram = 1472;      // an Ethernet frame's payload less IPv4's and UDP's headers

        private readonly byte[][] _data = new byte[QueueLength][];
        private readonly int[] _lengths = new int[QueueLength];
        private readonly uint[] _senders = new uint[QueueLength];
        private readonly ushort[] _senderPorts = new ushort[QueueLength];
        private int _head, _count;

        public uint LocalAddress;                     // 0: any of ours
        public readonly ushort LocalPort;
        public uint RemoteAddress;                    // set by connect: only this peer's datagrams are taken
        public ushort RemotePort;
        public object Owner;                          // the socket layer's object for TransportEvents
        public int Dropped { get; private set; }

        internal UdpEndpoint(uint localAddress, ushort localPort)
        {
            LocalAddress = localAddress;
            LocalPort = localPort;
            for (int i = 0; i < QueueLength; i++) _data[i] = new byte[MaximumDatagram];
        }

        internal void Free()
        {
            for (int i = 0; i < QueueLength; i++) Mem.KernelHeap.Free(_data[i]);
            Mem.KernelHeap.Free(_data);
            Mem.KernelHeap.Free(_lengths);
            Mem.KernelHeap.Free(_senders);
            Mem.KernelHeap.Free(_senderPorts);
            Mem.KernelHeap.Free(this);
        }

        public bool IsConnected => RemotePort != 0;
        public int Waiting => _count;

        /// <summary>Queues a datagram; false (and counted) when the queue is full or the datagram too large.</summary>
        internal bool Enqueue(uint sender, ushort senderPort, ReadOnlySpan<byte> data)
        {
            if (_count == QueueLength || data.Length > MaximumDatagram) { Dropped++; return false; }
            int slot = (_head + _count) % QueueLength;
            data.CopyTo(_data[slot]);
            _lengths[slot] = data.Length;
            _senders[slot] = sender;
            _senderPorts[slot] = senderPort;
            _count++;
            return true;
        }

        /// <summary>
        /// Takes the oldest datagram into <paramref name="destination"/> (the rest of a datagram longer
        /// than the buffer is lost, as in Unix); returns its length copied, or -EAGAIN when none waits.
        /// </summary>
        public int Dequeue(Span<byte> destination, out uint sender, out ushort senderPort)
        {
            sender = 0; senderPort = 0;
            if (_count == 0) return -Abi.Errno.EAGAIN;
            int n = _lengths[_head] < destination.Length ? _lengths[_head] : destination.Length;
            new ReadOnlySpan<byte>(_data[_head], 0, n).CopyTo(destination);
            sender = _senders[_head];
            senderPort = _senderPorts[_head];
            _head = (_head + 1) % QueueLength;
            _count--;
            return n;
        }
    }
}
