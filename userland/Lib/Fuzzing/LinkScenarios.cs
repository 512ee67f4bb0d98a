using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// The network links churned (kernel/Net/Links.cs, Bridge.cs, NetworkNamespaces.cs), as root, where the
    /// random calls often are not: 2,000 random adds of veth pairs and bridges under four names, deletes,
    /// ups and downs, ports attached to bridges and let go, veth ends moved into a child's network
    /// namespace, which then ends with them in it. All in a network namespace of the scenario's own (made
    /// first), so that what it leaves goes with it. Each call must answer 0 or an errno; the child must
    /// end; afterwards only lo may be left once the four names are deleted.
    /// </summary>
    public static unsafe class LinkScenarios
    {
        private const int Operations = 2000;
        private static readonly string[] s_names = { "fa", "fb", "fc", "fd" };

        public static bool Churn(ulong seed)
        {
            if (Sys.Unshare(NamespaceFlags.Network) != 0) { ExhaustionScenarios.Report("links: unshare(CLONE_NEWNET) refused"); return false; }
            Sys.Pipe(out PipeDescriptors hold);
            Sys.Pipe(out PipeDescriptors ready);
            long holder = Sys.Fork();
            if (holder == 0) Sys.Exit(HoldNamespace(hold, ready.Write));
            Sys.Close(hold.Read);
            Sys.Close(ready.Write);
            byte got = 0;
            bool holding = Sys.Read(ready.Read, new Span<byte>(&got, 1)) == 1;
            Sys.Close(ready.Read);

            var random = SplitMix.ForCall(seed, -7);
            int wrong = 0, succeeded = 0, moved = 0;
            for (int i = 0; i < Operations; i++)
            {
                string name = s_names[random.Below(s_names.Length)], other = s_names[random.Below(s_names.Length)];
                int operation = random.Below(7);
                long result;
                switch (operation)
                {
                    case 0: case 1: result = NetworkLinks.AddVethPair(name, other); break;
                    case 2: result = NetworkLinks.AddBridge(name); break;
                    case 3: result = NetworkLinks.Delete(name); break;
                    case 4: result = NetworkLinks.SetUp(name, random.OneIn(2)); break;
                    case 5: result = NetworkLinks.SetMaster(name, random.OneIn(3) ? null : other); break;
                    default: result = NetworkLinks.MoveToNamespaceOf(name, (int)holder); if (result == 0) moved++; break;
                }
                if (result == 0) succeeded++;
                else if (result > 0 || result <= -4096) { wrong++; ExhaustionScenarios.Report("links: operation " + operation + " answered " + result); }
            }

            Sys.Close(hold.Write);                    // the child ends, and its namespace with the ends moved there
            bool ended = holder > 0 && Sys.Wait((int)holder, out int holderStatus) == holder && holderStatus == 0;
            foreach (string name in s_names) NetworkLinks.Delete(name);
            int left = 0;
            for (int index = 0; index < 16; index++)
                if (Sys.NetInterface(index, out NetworkInterfaceStatus link) == 0 && (link.Flags & NetworkInterfaceFlags.Loopback) == 0) left++;
            ExhaustionScenarios.Report("links: " + Operations + " operations, " + succeeded + " succeeded (" + moved + " moves into a child's namespace), "
                + wrong + " wrong answers; the child ended: " + ended + "; interfaces left besides lo: " + left);
            return holding && wrong == 0 && ended && left == 0;
        }

        // In a network namespace of its own, until the scenario closes the pipe.
        private static int HoldNamespace(PipeDescriptors hold, int ready)
        {
            Sys.Close(hold.Write);
            long unshared = Sys.Unshare(NamespaceFlags.Network);
            byte one = 1;
            Sys.Write(ready, new ReadOnlySpan<byte>(&one, 1));
            Sys.Read(hold.Read, new Span<byte>(&one, 1));
            return unshared == 0 ? 0 : 1;
        }
    }
}
