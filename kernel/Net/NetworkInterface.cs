using Drivers;

namespace Net
{
    /// <summary>
    /// An interface of a network stack: a device (a card, or loopback) with the IPv4 address the stack
    /// gave it and its counters, the row `net` prints. The address is the stack's business, not the
    /// card's: the same card could be handed to another stack (a network namespace) with another address.
    /// </summary>
    public sealed class NetworkInterface
    {
        public readonly string Name;
        public readonly int Index;                 // its place in the stack's list: what the system calls name
        public readonly NetworkDevice Device;
        public readonly NetworkStack Stack;
        public readonly ulong Mac;
        /// <summary>Loopback: frames go straight back in, so there is no ARP and no real MAC address.</summary>
        public readonly bool IsLoopback;

        public uint Address;                       // 0 until configured
        public int PrefixLength;
        /// <summary>Administratively up (`net link set X up`): a down interface neither sends nor receives.
        /// The boot's interfaces start up; a veth or a bridge starts down, as in Linux.</summary>
        public bool IsUp = true;
        /// <summary>The bridge this interface is a port of (`net link set X master br0`), or null: a port's
        /// frames go to the bridge, not up its own stack (Bridge.cs).</summary>
        public Bridge Master;
        /// <summary>Set once, when the interface leaves its stack (deleted, or moved to another namespace):
        /// frames still queued for it, or sent through it by a stale route, are dropped.</summary>
        public volatile bool Removed;

        // Counted without a lock, as statistics: the receive side by the interface's one receive thread,
        // the send side by whichever thread sends, where two at once may, rarely, lose an increment.
        public ulong ReceivedFrames, ReceivedBytes, SentFrames, SentBytes;
        public ulong ReceiveDrops;                 // frames dropped on the way in (the stack's counters say why)
        public ulong SendDrops;                    // frames the device's ring had no room for

        public NetworkInterface(NetworkStack stack, int index, string name, NetworkDevice device, bool isLoopback)
        {
            Stack = stack;
            Index = index;
            Name = name;
            Device = device;
            IsLoopback = isLoopback;
            unsafe
            {
                byte* mac = stackalloc byte[6];
                device.ReadMacAddress(new System.Span<byte>(mac, 6));
                Mac = MacAddress.Read(new System.ReadOnlySpan<byte>(mac, 6), 0);
            }
        }

        /// <summary>The directed broadcast address of the interface's subnet (10.0.2.255 for 10.0.2.15/24).</summary>
        public uint SubnetBroadcast => Address | ~Ipv4Address.Mask(PrefixLength);

        /// <summary>Hands a finished frame to the device, which copies it; frees the buffer (it was the
        /// frame's last owner). False if the device's ring was full and the frame was dropped.</summary>
        public bool Transmit(PacketBuffer frame)
        {
            int length = frame.Length;
            if (!IsUp || Removed) { PacketPool.Free(frame); SendDrops++; return false; }
            bool sent = Device.Transmit(frame.Data);
            PacketPool.Free(frame);
            if (!sent) { SendDrops++; return false; }
            SentFrames++;
            SentBytes += (ulong)length;
            return true;
        }
    }
}
