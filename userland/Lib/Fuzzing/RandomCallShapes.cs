using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// The shapes of the later calls (RandomCalls.Choose's switch holds the rest): execve, a virtual
    /// machine's disk, and the network links. Link names come from a small pool ("fz0", "fzl1", "fzl2",
    /// "lo"), so that the calls both meet names already taken (EEXIST) and delete what earlier calls
    /// made; fuzz's cleanup deletes whatever of those names is left in its own namespace.
    /// </summary>
    public static unsafe partial class RandomCalls
    {
        // FuzzMemory.Texts: "fz0", "fzl1", "fzl2", "lo" (taken), "" (too short), "/bin" (a '/'), the long one (too long).
        private static readonly int[] s_linkNames = { 12, 27, 28, 29, 10, 4, 13 };
        private const int GoodLinkNames = 3;

        /// <summary>The names fuzz removes at the end: every link name of the pool that a link may have.</summary>
        public static readonly string[] LinkNames = { "fz0", "fzl1", "fzl2" };

        private static readonly int[] s_linkKinds = { NetworkLinkKind.Veth, NetworkLinkKind.Bridge, 0, 3 };

        /// <summary>Shapes the calls numbered past the first ones RandomCalls.Choose knew; false for any other number.</summary>
        private static bool ShapeLaterCall(ref FuzzCall call, ref SplitMix random)
        {
            switch (call.Number)
            {
                case SyscallNumbers.ExecWithEnvironment:
                    // As exec, with an environment from the same lists (too many strings: E2BIG; an unterminated
                    // one runs into the buffer), or a pointer the kernel must refuse. Made in a forked child.
                    Shape(ref call, 3, ArgumentPools.Text(ref random, firstTexts: 13), ArgumentPools.ArgumentList(ref random),
                          ArgumentPools.ArgumentList(ref random)); return true;
                case SyscallNumbers.VmAttachDisk:
                    // Both among the descriptors the calls open (vm_create's machines come after the files): a machine
                    // and a file, two machines, a file twice, nothing. The vm-disk scenario makes the good ones.
                    Shape(ref call, 2, VmDescriptor(ref random), VmDescriptor(ref random)); return true;
                case SyscallNumbers.NetLinkAdd:
                    // A veth pair or a bridge (or a kind there is not); a name, and a peer (mostly one for a veth
                    // and none for a bridge: else EINVAL), a bad one, or the name itself.
                    Argument kind = random.OneIn(5) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(s_linkKinds[random.Below(s_linkKinds.Length)]);
                    LinkName(ref random, out Argument name, out Argument nameLength);
                    LinkName(ref random, out Argument peer, out Argument peerLength);
                    if (random.OneIn(4) ? random.OneIn(2) : kind.Value == NetworkLinkKind.Bridge) peerLength = Argument.Of(0);
                    Shape(ref call, 5, kind, name, nameLength, peer, peerLength); return true;
                case SyscallNumbers.NetLinkDelete:
                    Shape(ref call, 1, LinkIndex(ref random)); return true;
                case SyscallNumbers.NetLinkSetUp:
                    Shape(ref call, 2, LinkIndex(ref random), random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(2))); return true;
                case SyscallNumbers.NetLinkSetNamespace:
                    // Into a namespace of its own children (which end at once), of no process, or its own.
                    Shape(ref call, 2, LinkIndex(ref random), Pid(ref random)); return true;
                case SyscallNumbers.NetLinkSetMaster:
                    Shape(ref call, 2, LinkIndex(ref random), random.OneIn(4) ? Argument.Of(-1) : LinkIndex(ref random)); return true;
                default: return false;
            }
        }

        // A name from the pool and its length (the kernel takes both: names are not NUL-terminated), mostly a
        // good one; else the length is any from the length pool, or the name a pointer the kernel must refuse.
        private static void LinkName(ref SplitMix random, out Argument name, out Argument length)
        {
            int text = s_linkNames[random.OneIn(4) ? random.Below(s_linkNames.Length) : random.Below(GoodLinkNames)];
            name = random.OneIn(10) ? ArgumentPools.Pointer(ref random) : new Argument(ArgumentKind.Text, (ulong)text);
            length = random.OneIn(10) ? ArgumentPools.Length(ref random) : Argument.Of(FuzzMemory.Texts[text].Length);
        }

        private static Argument VmDescriptor(ref SplitMix random) =>
            random.OneIn(2) ? Argument.Of(3 + random.Below(14)) : ArgumentPools.Descriptor(ref random);

        // lo is 0 and the card 1 in the first namespace; the links the calls make come after them.
        private static Argument LinkIndex(ref SplitMix random) =>
            random.OneIn(4) ? ArgumentPools.AnyNumber(ref random) : Argument.Of(random.Below(10));
    }
}
