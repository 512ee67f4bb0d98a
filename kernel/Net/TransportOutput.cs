using System;

namespace Net
{
    /// <summary>
    /// What TCP and UDP hand a finished segment to, and where they read the time: the layer below. In the
    /// kernel that is IPv4 (which picks the route, adds its header and sends a frame); in the host
    /// tests it is an in-memory link that may lose, reorder and duplicate. The transport protocols
    /// know nothing else of what lies under them.
    /// </summary>
    public abstract class TransportOutput
    {
        /// <summary>Sends one transport segment (header and data, checksum filled in) from source to destination.</summary>
        public abstract void Send(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment);

        /// <summary>Milliseconds since some fixed moment: what timers count in.</summary>
        public abstract long NowMilliseconds { get; }
    }

    /// <summary>
    /// How the protocols tell the layer above that something it may wait for happened: data arrived,
    /// room opened in a send buffer, a connection was established, reset or became ready to accept.
    /// The socket layer implements it by waking the threads waiting on that socket; the host tests
    /// count the calls. <paramref name="owner"/> is whatever the socket layer put in the endpoint's Owner.
    /// </summary>
    public abstract class TransportEvents
    {
        public abstract void Changed(object owner);
    }
}
