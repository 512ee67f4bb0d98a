using System;
using Boot;

namespace Net.Sockets
{
    /// <summary>
    /// A debug knob that makes the network lossy for TCP: with `tcp-loss=PERCENT` on the kernel's
    /// command line (0 to 100), that share of the TCP segments the kernel sends is thrown away instead,
    /// each counted as the drop reason "tcp injected loss" (`net counters`). It sits between TCP and
    /// IPv4 (a TransportOutput around the real one), so every connection sees it whatever interface
    /// it uses, the loopback included, and UDP, ICMP and ARP do not. The sockets lab
    /// (docs/assignments/sockets.md) grades TCP's retransmission with it; `make run
    /// CMDLINE="tcp-loss=10"` shows a connection surviving it.
    ///
    /// Which segments are lost is a fixed function of the segment's number since boot (a hash, not a
    /// random source), so a run that sends the same segments in the same order loses the same ones.
    /// </summary>
    public sealed class InjectedLoss : TransportOutput
    {
        private readonly TransportOutput _inner;
        private readonly NetworkStack _countedIn;
        private readonly uint _percent;
        private uint _segments;

        private InjectedLoss(TransportOutput inner, NetworkStack countedIn, uint percent)
        {
            _inner = inner;
            _countedIn = countedIn;
            _percent = percent;
        }

        /// <summary><paramref name="inner"/> itself without the knob (or with 0), else the lossy wrapper
        /// around it, which counts its drops in <paramref name="countedIn"/>, the stack TCP sends for.</summary>
        public static TransportOutput FromCommandLine(TransportOutput inner, NetworkStack countedIn)
        {
            uint percent = PercentFromCommandLine();
            return percent == 0 ? inner : new InjectedLoss(inner, countedIn, percent);
        }

        // The knob, read from the command line once, at the first stack (the boot's): reading it splits
        // the line into new strings, which every network namespace's stack would otherwise leave behind.
        private static uint PercentFromCommandLine()
        {
            if (s_percentRead) return s_percent;
            s_percentRead = true;
            string text = CommandLine.Get("tcp-loss");
            if (text == null || !uint.TryParse(text, out uint percent) || percent == 0) return 0;
            s_percent = percent > 100 ? 100 : percent;
            Terminal.Console.WriteWholeLine($"net: tcp-loss={s_percent}: {s_percent} % of TCP's segments are thrown away (a debug knob)");
            return s_percent;
        }

        private static bool s_percentRead;
        private static uint s_percent;

        public override long NowMilliseconds => _inner.NowMilliseconds;

        public override void Send(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
        {
            // Called with Transport.Lock held, so the count needs no lock of its own.
            if (Lost(++_segments))
            {
                _countedIn.CountDrop(DropReason.TcpInjectedLoss);
                return;
            }
            _inner.Send(source, destination, protocol, segment);
        }

        // Segment n is lost when a hash of n (Knuth's multiplicative one, its high bits folded in)
        // falls in the lowest PERCENT of 0..99: spread evenly, with no pattern TCP could fall into step with.
        private bool Lost(uint n)
        {
            uint mixed = n * 2654435761u;
            mixed ^= mixed >> 16;
            return mixed % 100 < _percent;
        }
    }
}
