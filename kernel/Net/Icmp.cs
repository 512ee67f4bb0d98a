using System;

namespace Net
{
    /// <summary>
    /// ICMP (RFC 792), IPv4's own messages; TeachOS answers and sends echo (ping). A message starts
    /// with type, code and a checksum over the whole message; an echo then has an identifier and a
    /// sequence number (the asker's, to match answers to questions) and any data, which the answer
    /// carries back unchanged:
    ///
    ///     0 type (8 request, 0 reply)   1 code 0   2 checksum   4 identifier   6 sequence   8 data...
    /// </summary>
    public sealed class Icmp : IpProtocol
    {
        public const int EchoHeaderBytes = 8;
        public const byte TypeEchoReply = 0;
        public const byte TypeEchoRequest = 8;

        public override void Receive(in Ipv4Datagram datagram, PacketBuffer payload)
        {
            NetworkStack stack = datagram.Stack;
            Span<byte> message = payload.Data;
            if (message.Length < EchoHeaderBytes) { Ethernet.Drop(stack, payload, DropReason.IcmpTruncated); return; }
            if (!InternetChecksum.IsValid(message)) { Ethernet.Drop(stack, payload, DropReason.IcmpBadChecksum); return; }

            if (message[0] == TypeEchoRequest && message[1] == 0 && !datagram.IsBroadcast)
            {
                // The answer is the question with its type changed: same identifier, sequence and
                // data, in the same buffer, back to the sender from the address it asked.
                message[0] = TypeEchoReply;
                NetworkOrder.Write16(message, 2, 0);
                NetworkOrder.Write16(message, 2, InternetChecksum.Compute(message));
                Ipv4.Send(stack, datagram.Destination, datagram.Source, IpProtocols.Icmp, payload);
                return;
            }
            if (message[0] == TypeEchoReply && message[1] == 0)
            {
                ushort identifier = NetworkOrder.Read16(message, 4);
                ushort sequence = NetworkOrder.Read16(message, 6);
                bool expected = EchoRequests.Answer(stack, datagram.Source, identifier, sequence, datagram.TimeToLive, message.Length - EchoHeaderBytes);
                if (expected) PacketPool.Free(payload);
                else Ethernet.Drop(stack, payload, DropReason.IcmpUnexpectedReply);
                return;
            }
            // Broadcast pings (a "smurf" amplifier), unreachables, redirects, timestamps: not handled.
            Ethernet.Drop(stack, payload, DropReason.IcmpUnhandledType);
        }

        /// <summary>Builds an echo request with <paramref name="dataBytes"/> of data and sends it; 0 or -errno.</summary>
        public static int SendEchoRequest(NetworkStack stack, uint destination, ushort identifier, ushort sequence, int dataBytes)
        {
            PacketBuffer packet = PacketPool.Allocate();
            if (packet == null) return -Abi.Errno.ENOBUFS;
            Span<byte> message = packet.Append(EchoHeaderBytes + dataBytes);
            message[0] = TypeEchoRequest;
            message[1] = 0;
            NetworkOrder.Write16(message, 2, 0);
            NetworkOrder.Write16(message, 4, identifier);
            NetworkOrder.Write16(message, 6, sequence);
            for (int i = 0; i < dataBytes; i++) message[EchoHeaderBytes + i] = (byte)(0x10 + i);   // what Linux's ping sends
            NetworkOrder.Write16(message, 2, InternetChecksum.Compute(message));
            return Ipv4.Send(stack, Ipv4Address.Any, destination, IpProtocols.Icmp, packet);
        }
    }
}
