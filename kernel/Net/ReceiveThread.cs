using Drivers;
using Sched;
using TeachOS.Boundary;

namespace Net
{
    /// <summary>
    /// One kernel thread per interface, the start of every received packet's way: it sleeps until the
    /// device has frames, takes each into a packet buffer and hands it to Ethernet, which owns it from
    /// then on. The protocols so run in a thread, not in the interrupt handler: they may take locks,
    /// send answers and wake waiting threads, and a flood of frames costs this thread's time, which the
    /// scheduler shares out, instead of the time of whatever the interrupt happened to interrupt.
    /// </summary>
    public static unsafe class ReceiveThread
    {
        private static readonly NetworkInterface[] s_interfaces = new NetworkInterface[NetworkStack.MaximumInterfaces * 4];
        private static int s_count;

        /// <summary>Starts the thread of <paramref name="networkInterface"/> (at boot).</summary>
        public static void Start(NetworkInterface networkInterface)
        {
            int slot = s_count++;
            s_interfaces[slot] = networkInterface;
            Thread thread = Thread.CreateKernel(string.Concat("net-rx ", networkInterface.Name), &Run, (ulong)slot);
            Scheduler.Start(thread);
        }

        [MayBlock]
        private static int Run(ulong slot)
        {
            NetworkInterface arrivedOn = s_interfaces[slot];
            NetworkDevice device = arrivedOn.Device;
            while (true)
            {
                device.WaitForFrames();
                while (true)
                {
                    PacketBuffer frame = PacketPool.Allocate();
                    if (frame == null)
                    {
                        // No buffer: take the frame anyway, into scratch, so the card's ring keeps moving.
                        if (!DiscardOne(device)) break;
                        arrivedOn.ReceiveDrops++;
                        arrivedOn.Stack.CountDrop(DropReason.NoBuffer);
                        continue;
                    }
                    int length = device.Receive(frame.Append(NetworkDevice.MaximumFrame));
                    if (length == 0) { PacketPool.Free(frame); break; }
                    frame.Truncate(length);
                    frame.ArrivedOn = arrivedOn;
                    arrivedOn.ReceivedFrames++;
                    arrivedOn.ReceivedBytes += (ulong)length;
                    Ethernet.Receive(frame);
                }
            }
        }

        // Takes one frame into a scratch area on this thread's stack and forgets it; false if there was none.
        private static bool DiscardOne(NetworkDevice device)
        {
            byte* scratch = stackalloc byte[NetworkDevice.MaximumFrame];
            return device.Receive(new System.Span<byte>(scratch, NetworkDevice.MaximumFrame)) != 0;
        }
    }
}
