namespace Net
{
    /// <summary>
    /// Which local ports of one protocol are taken: one bit per port, 65536 bits (8 KiB) per protocol.
    /// bind takes a chosen port and fails with EADDRINUSE when another socket has it; connect and a
    /// send from an unbound UDP socket take an ephemeral port, chosen from the range IANA sets aside
    /// for them (49152-65535) by walking on from the last one given, so a port just freed is not
    /// handed out again at once (a late segment of its old connection could still arrive).
    /// Port 0 is never bound: in bind it means "choose one for me".
    /// </summary>
    public sealed class PortTable
    {
        public const int FirstEphemeral = 49152, LastEphemeral = 65535;
        private readonly uint[] _taken = new uint[65536 / 32];
        private int _nextEphemeral = FirstEphemeral;

        public int InUse { get; private set; }

        public bool IsTaken(ushort port) => (_taken[port >> 5] & (1u << (port & 31))) != 0;

        /// <summary>Takes <paramref name="port"/>; returns 0, -EADDRINUSE, or -EINVAL for port 0.</summary>
        public int Take(ushort port)
        {
            if (port == 0) return -Abi.Errno.EINVAL;
            if (IsTaken(port)) return -Abi.Errno.EADDRINUSE;
            _taken[port >> 5] |= 1u << (port & 31);
            InUse++;
            return 0;
        }

        /// <summary>Takes a free ephemeral port; returns it, or -EADDRNOTAVAIL when all 16384 are taken.</summary>
        public int TakeEphemeral()
        {
            for (int tried = 0; tried <= LastEphemeral - FirstEphemeral; tried++)
            {
                int port = _nextEphemeral;
                _nextEphemeral = port == LastEphemeral ? FirstEphemeral : port + 1;
                if (Take((ushort)port) == 0) return port;
            }
            return -Abi.Errno.EADDRNOTAVAIL;
        }

        /// <summary>Gives back the table's memory (its layer, and the stack, are being freed).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_taken);
            Mem.KernelHeap.Free(this);
        }

        public void Release(ushort port)
        {
            if (!IsTaken(port)) return;
            _taken[port >> 5] &= ~(1u << (port & 31));
            InUse--;
        }
    }
}
