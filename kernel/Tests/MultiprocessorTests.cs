using Arch.X64;
using Sched;
using Terminal;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>The other logical CPUs: are they up, and how fast does one CPU reach another?</summary>
    public static unsafe class MultiprocessorTests
    {
        private const int Rounds = 201;

        /// <summary>
        /// Pings every other CPU <see cref="Rounds"/> times and prints the median round trip: the
        /// sender's local APIC sends, the receiver (often halted in its idle loop) wakes, takes the
        /// interrupt and counts it, and the sender sees the count change.
        /// </summary>
        public static void InterProcessorRoundTrip()
        {
            if (Processor.Count == 1)
            {
                Console.WriteLine("  one CPU: no other CPU to interrupt");
                return;
            }
            ulong* samples = stackalloc ulong[Rounds];
            Processor self = Processor.Current;
            for (int i = 0; i < Processor.Count; i++)
            {
                Processor target = Processor.All[i];
                if (target == self || target == null || !target.Online) continue;
                for (int round = 0; round < Rounds; round++) samples[round] = InterProcessor.PingRoundTrip(target);
                ulong median = Median(samples, Rounds);
                Check(median > 0, "a ping round trip takes time");
                ulong nanoseconds = Time.Clock.TimestampHertz == 0 ? 0 : median * 1000000000 / Time.Clock.TimestampHertz;
                Console.WriteLine($"  ipi round trip to cpu {target.Id}: {median} cycles, {nanoseconds} ns (median)");
            }
        }

        // Insertion sort: 201 numbers, once.
        private static ulong Median(ulong* values, int count)
        {
            for (int i = 1; i < count; i++)
                for (int j = i; j > 0 && values[j - 1] > values[j]; j--)
                {
                    ulong swap = values[j];
                    values[j] = values[j - 1];
                    values[j - 1] = swap;
                }
            return values[count / 2];
        }
    }
}
