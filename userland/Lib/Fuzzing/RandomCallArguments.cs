using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Where a fuzzed call's arguments come from (RandomCalls.Choose picks the shape): paths of the
    /// fuzzer's own, page counts, ids, pids and threads it may aim at, addresses the kernel must refuse;
    /// and <see cref="Resolve"/>, which turns a chosen argument into the register value of this run.
    /// </summary>
    public static unsafe partial class RandomCalls
    {
        private static void Shape(ref FuzzCall call, int count, Argument a0, Argument a1 = default, Argument a2 = default, Argument a3 = default, Argument a4 = default)
        {
            call.ArgumentCount = count;
            call.A0 = a0;
            if (count > 1) call.A1 = a1;
            if (count > 2) call.A2 = a2;
            if (count > 3) call.A3 = a3;
            if (count > 4) call.A4 = a4;
        }

        // A length for mmap and munmap: whole pages (up to 16), or the length pool's edges (1 MiB at most,
        // or far more than memory: those are refused, and the fuzzer cannot tie up memory with them).
        private static Argument PageCount(ref SplitMix random) =>
            random.OneIn(3) ? ArgumentPools.Length(ref random) : Argument.Of(4096L * (1 + random.Below(16)));

        // A path the fuzzer may change (mkdir, unlink, rename, link, symlink): one of its own texts, or a
        // pointer the kernel must refuse. Never a system file, nor the buffer: a readdir may have left a
        // name there ("true"), which after a fuzzed chdir("/bin") would name /bin/true.
        private static Argument OwnPath(ref SplitMix random)
        {
            switch (random.Below(8))
            {
                case 0: return new Argument(ArgumentKind.Kernel, 0);
                case 1: return new Argument(ArgumentKind.Unmapped, (ulong)random.Below(1 << 20));
                default:
                    int text = FirstOwnFile + random.Below(FuzzMemory.Texts.Length - FirstOwnFile);
                    return new Argument(ArgumentKind.Text, KnownBugs.TextSkipped(text) ? (ulong)FirstOwnFile : (ulong)text);
            }
        }

        private static readonly int[] s_queueNames = { 4, 7, 8 };        // FuzzMemory.Texts: "/bin", "/fz0", "/fz1"

        private static Argument QueueName(ref SplitMix random) =>
            random.OneIn(2) ? new Argument(ArgumentKind.Text, (ulong)s_queueNames[random.Below(s_queueNames.Length)]) : ArgumentPools.Text(ref random);

        private static Argument SpawnDescriptor(ref SplitMix random) =>
            random.Below(4) != 0 ? Argument.Of(random.Below(3)) : Argument.Of(random.OneIn(2) ? -1 : 99);

        // The kernel must refuse these as a thread's entry or stack (if it did not, the thread would fault).
        private static Argument RefusedAddress(ref SplitMix random, bool forStack)
        {
            switch (random.Below(forStack ? 4 : 3))
            {
                case 0: return new Argument(ArgumentKind.Kernel, 0);
                case 1: return new Argument(ArgumentKind.NonCanonical, 4096);      // a stack top at the very end is allowed
                case 2: return Argument.Of(-1);
                default: return new Argument(ArgumentKind.ThreadStack, FuzzMemory.ThreadStacks);   // past the slots: a misaligned top (stacks only)
            }
        }

        // A user or group id: root, a user's, "unchanged", the largest valid one, one past it, or any number.
        private static Argument Id(ref SplitMix random)
        {
            switch (random.Below(6))
            {
                case 0: return Argument.Of(0);
                case 1: return Argument.Of(1000 + random.Below(3));
                case 2: return Argument.Of(-1);
                case 3: return Argument.Of(random.OneIn(2) ? UserIds.MaximumId : UserIds.MaximumId + 1);
                default: return ArgumentPools.AnyNumber(ref random);
            }
        }

        private static Argument Pid(ref SplitMix random)
        {
            switch (random.Below(4))
            {
                case 0: case 1: return new Argument(ArgumentKind.OwnPid, (ulong)(1 + random.Below(8)));
                case 2: return Argument.Of(random.OneIn(2) ? -1 : 0);
                default: return Argument.Of(random.OneIn(2) ? int.MaxValue : int.MinValue);
            }
        }

        // Loopback, the gateway (answers), our own address, a neighbour that never answers ARP, the
        // addresses no host has (0, broadcast, multicast), or any number.
        private static readonly long[] s_networkAddresses = { 0x7F000001, 0x0A000202, 0x0A00020F, 0x0A000263, 0, 0xFFFFFFFF, 0xE0000001, 0x0A000200 };

        private static Argument NetworkAddress(ref SplitMix random) =>
            random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_networkAddresses[random.Below(s_networkAddresses.Length)]);

        private static Argument Thread(ref SplitMix random) =>
            random.Below(3) != 0 ? new Argument(ArgumentKind.OwnThread, (ulong)random.Below(FuzzMemory.ThreadStacks + 1))
                                 : ArgumentPools.AnyNumber(ref random);

        public static ulong Resolve(Argument argument)
        {
            switch (argument.Kind)
            {
                case ArgumentKind.Buffer: return FuzzMemory.Buffer + argument.Value;
                case ArgumentKind.Kernel: return BadAddresses.KernelAddress + argument.Value;
                case ArgumentKind.NonCanonical: return BadAddresses.EndOfUserSpace + argument.Value;
                case ArgumentKind.Unmapped: return BadAddresses.UnmappedAddress + argument.Value;
                case ArgumentKind.Code: return BadAddresses.ReadOnlyCode;
                case ArgumentKind.Text: return FuzzMemory.Text((int)argument.Value);
                case ArgumentKind.ArgumentList: return FuzzMemory.ArgumentList((int)argument.Value);
                case ArgumentKind.ThreadEntry: return UserThread.EntryPoint;
                case ArgumentKind.ThreadStack:
                    return argument.Value < FuzzMemory.ThreadStacks ? FuzzMemory.Stack((int)argument.Value) : FuzzMemory.Stack(0) - 8;
                case ArgumentKind.ThreadBody: return (ulong)(delegate*<ulong, int>)&ThreadBody;
                case ArgumentKind.OwnPid: return (ulong)(s_pid + (long)argument.Value);
                case ArgumentKind.OwnThread:
                    return argument.Value == 0 ? (ulong)s_mainThread : (ulong)s_slotThread[(int)argument.Value - 1];
                default: return argument.Value;
            }
        }
    }
}
