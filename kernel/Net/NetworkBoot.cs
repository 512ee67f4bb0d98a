using Drivers;
using Terminal;

namespace Net
{
    /// <summary>
    /// The network at boot: the packet pool, the root stack with its loopback interface lo
    /// (127.0.0.1/8) and, if a card was found, eth0 with the static configuration QEMU's user-mode
    /// network expects (it plays router and DHCP server at 10.0.2.2 and hands out 10.0.2.15 on
    /// 10.0.2.0/24): the address, the connected route and a default route via 10.0.2.2. Then the
    /// receive threads, the virtual wire (the receive thread of every veth, bridge and namespace
    /// loopback), the timer and the protocols.
    /// </summary>
    public static class NetworkBoot
    {
        public static readonly uint QemuGuestAddress = Ipv4Address.Make(10, 0, 2, 15);
        public static readonly uint QemuGateway = Ipv4Address.Make(10, 0, 2, 2);
        public const int QemuPrefixLength = 24;

        public static void Start()
        {
            PacketPool.Initialize();
            EchoRequests.Initialize();
            IpProtocols.Register(IpProtocols.Icmp, new Icmp());

            var stack = new NetworkStack();
            NetworkStack.SetRoot(stack);
            NetworkNamespaces.AddRoot(stack);
            VirtualWire.Start();
            NetworkInterface loopback = stack.AddInterface("lo", new LoopbackDevice(), isLoopback: true);
            stack.SetAddress(loopback, Ipv4Address.Loopback, 8);
            ReceiveThread.Start(loopback);

            NetworkDevice card = NetworkDevices.First;
            if (card != null)
            {
                NetworkInterface eth0 = stack.AddInterface("eth0", card, isLoopback: false);
                stack.SetAddress(eth0, QemuGuestAddress, QemuPrefixLength);
                bool flags = stack.Lock.Acquire();
                stack.Routes.Add(Ipv4Address.Any, 0, QemuGateway, eth0);
                stack.Lock.Release(flags);
                ReceiveThread.Start(eth0);
                Console.WriteWholeLine($"net: eth0 {card.Name} {MacAddress.ToText(eth0.Mac)}, {Ipv4Address.ToText(QemuGuestAddress)}/{QemuPrefixLength}, default via {Ipv4Address.ToText(QemuGateway)}");
            }
            NetworkTimer.Start();
        }
    }
}
