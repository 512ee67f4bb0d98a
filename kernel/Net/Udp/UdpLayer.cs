using System;

namespace Net.Udp
{
    /// <summary>
    /// UDP for one network stack: the table of bound ports and the two directions. Receiving checks
    /// the datagram (length, checksum) and hands it to the endpoint bound to its destination port,
    /// which queues it; sending puts the header in front of the data, computes the checksum over the
    /// pseudo-header and hands it to IP. There is no connection, no retransmission, no order: what
    /// UDP adds to IP is only the ports and the checksum.
    /// </summary>
    public sealed class UdpLayer
    {
        public const int MaximumEndpoints = 64;

        public readonly TransportOutput Output;
        public TransportEvents Events;
        public readonly PortTable Ports = new PortTable();
        private readonly UdpEndpoint[] _endpoints = new UdpEndpoint[MaximumEndpoints];
        private readonly byte[] _datagram = new byte[UdpHeader.Length + UdpEndpoint.MaximumDatagram];

        public int DatagramsDropped { get; private set; }     // malformed, bad checksum, or nobody bound there

        public UdpLayer(TransportOutput output) { Output = output; }

        /// <summary>Binds a port (0: an ephemeral one); null with the errno when the port is taken or the table full.</summary>
        public UdpEndpoint Bind(uint localAddress, ushort port, out int error)
        {
            error = 0;
            int slot = -1;
            for (int i = 0; i < _endpoints.Length && slot < 0; i++) if (_endpoints[i] == null) slot = i;
            if (slot < 0) { error = Abi.Errno.ENOBUFS; return null; }
            int taken = port == 0 ? Ports.TakeEphemeral() : Ports.Take(port);
            if (taken < 0) { error = -taken; return null; }
            if (port == 0) port = (ushort)taken;
            _endpoints[slot] = new UdpEndpoint(localAddress, port);
            return _endpoints[slot];
        }

        public void Close(UdpEndpoint endpoint)
        {
            for (int i = 0; i < _endpoints.Length; i++) if (_endpoints[i] == endpoint) _endpoints[i] = null;
            Ports.Release(endpoint.LocalPort);
            endpoint.Free();
        }

        /// <summary>Frees the layer (its stack is being freed: every socket, so every endpoint, is gone already;
        /// any left is freed too). The output (shared with TCP) is the caller's to free. Transport lock held.</summary>
        internal void Free()
        {
            for (int i = 0; i < _endpoints.Length; i++) if (_endpoints[i] != null) _endpoints[i].Free();
            Mem.KernelHeap.Free(_endpoints);
            Mem.KernelHeap.Free(_datagram);
            Ports.Free();
            Mem.KernelHeap.Free(this);
        }

        public void Receive(uint source, uint destination, ReadOnlySpan<byte> datagram)
        {
            if (!UdpHeader.TryParse(datagram, out UdpHeader header)) { DatagramsDropped++; return; }
            datagram = datagram.Slice(0, header.TotalLength);           // IP may have padded the frame
            if (header.Checksum != 0 && !TransportChecksum.IsValid(source, destination, TransportChecksum.ProtocolUdp, datagram))
            {
                DatagramsDropped++;
                return;
            }
            UdpEndpoint endpoint = Find(destination, header.DestinationPort, source, header.SourcePort);
            if (endpoint == null) { DatagramsDropped++; return; }       // Linux would answer ICMP "port unreachable"
            if (endpoint.Enqueue(source, header.SourcePort, datagram.Slice(UdpHeader.Length)) && endpoint.Owner != null)
                Events?.Changed(endpoint.Owner);
        }

        /// <summary>Sends one datagram; returns its data length, or -EMSGSIZE when it would not fit one frame.</summary>
        public int Send(UdpEndpoint from, uint sourceAddress, uint destination, ushort destinationPort, ReadOnlySpan<byte> data)
        {
            if (data.Length > UdpEndpoint.MaximumDatagram) return -Abi.Errno.EMSGSIZE;
            if (destinationPort == 0) return -Abi.Errno.EINVAL;
            var header = new UdpHeader
            {
                SourcePort = from.LocalPort, DestinationPort = destinationPort, TotalLength = (ushort)(UdpHeader.Length + data.Length),
            };
            header.Write(_datagram);
            data.CopyTo(new Span<byte>(_datagram, UdpHeader.Length, data.Length));
            var whole = new Span<byte>(_datagram, 0, header.TotalLength);
            ushort checksum = TransportChecksum.Compute(sourceAddress, destination, TransportChecksum.ProtocolUdp, whole);
            header.Checksum = checksum == 0 ? (ushort)0xFFFF : checksum;
            header.Write(_datagram);
            Output.Send(sourceAddress, destination, TransportChecksum.ProtocolUdp, whole);
            return data.Length;
        }

        /// <summary>The endpoint for a datagram: bound to its port and address, and connected to its sender if connected at all.</summary>
        private UdpEndpoint Find(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort)
        {
            for (int i = 0; i < _endpoints.Length; i++)
            {
                UdpEndpoint e = _endpoints[i];
                if (e == null || e.LocalPort != localPort) continue;
                if (e.LocalAddress != 0 && e.LocalAddress != localAddress) continue;
                if (e.IsConnected && (e.RemoteAddress != remoteAddress || e.RemotePort != remotePort)) continue;
                return e;
            }
            return null;
        }
    }
}
