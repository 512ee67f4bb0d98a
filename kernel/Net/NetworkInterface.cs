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

        // Who may still use the object after it has left its stack, and so when it is freed (there is no
        // garbage collector): a thread that found the interface under the stack's lock and uses it after
        // letting the lock go (a datagram on its way out of Ipv4.Send, ARP's timer, a system call) holds
        // it (NetworkStack.Hold*, LetGo). Once it has left the stack for good it is retired: freed at once
        // if nobody holds it, else by the last holder's LetGo. Both counted under the stack's lock.
        internal int Holds;
        internal bool Retired;
        /// <summary>Moved to another namespace: the new interface there took over the device and the name,
        /// so freeing this one gives back only itself.</summary>
        internal bool HandedOn;

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

        /// <summary>
        /// Gives the interface's memory back: its name (made by the system call that named it), its device (a
        /// virtual one; a bridge's with its switch), itself. Called once it has left its stack and nobody holds
        /// it (NetworkStack.Retire, LetGo). The boot's lo and eth0 never leave, so their devices are never freed here.
        /// </summary>
        internal void Free()
        {
            if (!HandedOn)
            {
                if (Device is BridgeDevice bridgeDevice)
                {
                    bridgeDevice.Bridge.Free();
                    Mem.KernelHeap.Free(bridgeDevice);
                }
                else if (Device is VirtualDevice) Mem.KernelHeap.Free(Device);
                if (!IsLoopback) Mem.KernelHeap.Free(Name);   // "lo" is a literal in the kernel image
            }
            Mem.KernelHeap.Free(this);
        }

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
