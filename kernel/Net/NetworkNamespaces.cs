using Sync;

namespace Net
{
    /// <summary>
    /// The network namespaces: every live NetworkStack, how many hold each, and how one is made and freed.
    /// A new namespace (unshare or clone with CLONE_NEWNET, Namespaces/NamespaceSet.cs) is a fresh stack
    /// with nothing but its loopback, up, 127.0.0.1/8, and its own TCP and UDP port tables: it reaches no
    /// one until an interface (one end of a veth pair) is moved into it (Links.cs). The root stack, made at
    /// boot, keeps the card (eth0) and is never freed.
    ///
    /// Holders: each namespace set that names the stack and each socket made in it. When the last lets go
    /// the stack is torn down: every interface leaves it (a veth's other end, in another namespace, goes
    /// too, as in Linux), which drops the frames queued for them and the datagrams waiting in ARP, so no
    /// packet buffer outlives it. Its TCP connections still closing are abandoned (no socket is left to
    /// read them). The timers reach every live stack through <see cref="TryHold"/>.
    /// Lock: <see cref="s_lock"/> guards the list and every stack's reference count.
    /// </summary>
    public static class NetworkNamespaces
    {
        public const int Maximum = 32;

        private static readonly NetworkStack[] s_live = new NetworkStack[Maximum];
        private static SpinLock s_lock;

        /// <summary>How many network namespaces exist (the root one included).</summary>
        public static int Count
        {
            get
            {
                bool flags = s_lock.Acquire();
                int count = 0;
                for (int i = 0; i < Maximum; i++) if (s_live[i] != null) count++;
                s_lock.Release(flags);
                return count;
            }
        }

        /// <summary>Adds the boot's stack to the list (its one reference is the kernel's, never released).</summary>
        public static void AddRoot(NetworkStack root) => Register(root);

        /// <summary>A new namespace's stack, held once for the caller; null when <see cref="Maximum"/> exist.</summary>
        public static NetworkStack Create()
        {
            var stack = new NetworkStack();
            var device = new VirtualDevice("loopback", withMac: false);
            NetworkInterface loopback = stack.AddInterface("lo", device, isLoopback: true);
            device.Peer = loopback;                    // a loopback is a cable from the interface to itself
            stack.SetAddress(loopback, Ipv4Address.Loopback, 8);
            Sockets.Transport.Attach(stack);
            if (!Register(stack)) { Tear(stack); return null; }
            return stack;
        }

        private static bool Register(NetworkStack stack)
        {
            bool flags = s_lock.Acquire();
            for (int i = 0; i < Maximum; i++)
            {
                if (s_live[i] != null) continue;
                s_live[i] = stack;
                s_lock.Release(flags);
                return true;
            }
            s_lock.Release(flags);
            return false;
        }

        public static NetworkStack Hold(NetworkStack stack)
        {
            bool flags = s_lock.Acquire();
            stack.References++;
            s_lock.Release(flags);
            return stack;
        }

        /// <summary>Lets go of one reference; the last one tears the stack down (with no network lock held: it takes them).</summary>
        public static void Release(NetworkStack stack)
        {
            bool flags = s_lock.Acquire();
            bool gone = --stack.References == 0;
            if (gone)
                for (int i = 0; i < Maximum; i++) if (s_live[i] == stack) s_live[i] = null;
            s_lock.Release(flags);
            if (gone) Tear(stack);
        }

        /// <summary>The live stack in row <paramref name="row"/>, held (Release it), or null: for the timers' rounds.</summary>
        public static NetworkStack TryHold(int row)
        {
            bool flags = s_lock.Acquire();
            NetworkStack stack = s_live[row];
            if (stack != null) stack.References++;
            s_lock.Release(flags);
            return stack;
        }

        // Frees the stack and all it owns, in an order that leaves nothing pointing at freed memory. Nobody
        // holds it any more: no namespace set, no socket, and the timers, which find stacks through TryHold,
        // no longer find it (Release took it out of the list under the lock before calling this).
        //   1. Every interface leaves, with the wire's delivery lock held, so no frame is half-way up it:
        //      routes, ARP rows and their waiting datagrams, queued frames, bridge ports, a veth's other end
        //      (in another namespace too) go, and each interface is freed (Links.RemoveLocked, NetworkStack.Retire;
        //      nobody of this stack can hold one, an other end in a live namespace is freed by its last holder).
        //      From here no segment can arrive for this stack's TCP or UDP.
        //   2. TCP and UDP go, with the connections still closing (TIME-WAIT and the like), under the transport
        //      lock (Sockets/Transport.Detach): no timer round or segment is inside them.
        //   3. The stack's own tables and the stack itself.
        private static void Tear(NetworkStack stack)
        {
            VirtualWire.DeliveryLock.Acquire();
            for (int i = 0; i < NetworkStack.MaximumInterfaces; i++)
            {
                NetworkInterface networkInterface = stack.Interface(i);
                if (networkInterface != null) Links.RemoveLocked(networkInterface);
            }
            VirtualWire.DeliveryLock.Release();
            if (stack.Tcp != null) Sockets.Transport.Detach(stack);
            stack.Free();
        }
    }
}
