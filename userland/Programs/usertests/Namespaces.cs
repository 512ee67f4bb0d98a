using System;
using Abi;
using TeachOS;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the namespaces (kernel/Namespaces/NamespaceSet.cs, syscall 106): a process that
/// unshares its IPC namespace sees an empty queue table; a name there means another queue than the
/// same name outside; children (forked or spawned) inherit the namespace; a descriptor opened before
/// still reaches its queue; the namespace is freed, with its queues, when its last process exits; the
/// containers' flags are refused until they exist.
/// </summary>
public static unsafe partial class UserTests
{
    private static void UnshareFlags()
    {
        IpcUsage before = Usage();
        Expect(Sys.Unshare(0), 0, "unshare(0) changes nothing");
        Expect(Sys.Unshare(NamespaceFlags.Cgroup), -Errno.EINVAL, "the cgroup namespace is reserved");
        Expect(Sys.Unshare(NamespaceFlags.Ipc | NamespaceFlags.Cgroup), -Errno.EINVAL, "one reserved flag refuses the whole call");
        Expect(Sys.Unshare(1), -Errno.EINVAL, "an unknown bit");
        Expect(Sys.Unshare(-1), -Errno.EINVAL, "every bit");
        Expect(Usage().Namespaces, before.Namespaces, "no refused call made a namespace");
    }

    private static void IpcNamespaceIsolation()
    {
        IpcUsage before = Usage();
        long outside = Sys.MessageQueueOpen("/ut-ns", QueueReadWrite, 4, 16);
        Check(outside >= 3, "a queue in the parent's namespace");
        Expect(Sys.MessageQueueSend((int)outside, Bytes("parent")), 0, "with a message in it");

        long pid = Sys.Fork();
        if (pid == 0) Sys.Exit(InsideANewIpcNamespace((int)outside));
        Expect(WaitFor(pid), 0, "the child's checks inside its own IPC namespace held (exit 0, else the failed step)");

        Sys.MessageQueueStatus((int)outside, out MessageQueueAttributes attributes);
        Expect(attributes.CurrentMessages, 2, "outside: the parent's message and the one the child sent through its old descriptor");
        byte* buffer = stackalloc byte[16];
        Expect(Sys.MessageQueueReceive((int)outside, new Span<byte>(buffer, 16)), 6, "the parent's own first");
        Expect(Sys.MessageQueueReceive((int)outside, new Span<byte>(buffer, 16)), 9, "then \"inherited\"");
        Expect(Usage().Namespaces, before.Namespaces, "the child's namespace was freed when it exited");
        Expect(Usage().QueuesEverywhere, before.QueuesEverywhere + 1, "and the queues made in it, named but unreachable, with it");
        Sys.MessageQueueUnlink("/ut-ns");
        Sys.Close((int)outside);
        ExpectUsageBack(before, "two namespaces' queues");
    }

    // Runs in a forked child: the exit status names the first check that failed (0: none).
    private static int InsideANewIpcNamespace(int inherited)
    {
        int namespaces = Usage().Namespaces;
        if (Sys.Unshare(NamespaceFlags.Ipc) != 0) return 1;
        IpcUsage inside = Usage();
        if (inside.Namespaces != namespaces + 1 || inside.NamesHere != 0 || inside.QueuesHere != 0) return 2;
        if (Sys.MessageQueueOpen("/ut-ns", OpenFlags.ReadOnly, 0, 0) != -Errno.ENOENT) return 3;     // invisible here
        long own = Sys.MessageQueueOpen("/ut-ns", QueueReadWrite, 2, 32);
        if (own < 0) return 4;                                                                      // the same name, free here
        if (Sys.MessageQueueStatus((int)own, out MessageQueueAttributes attributes) != 0 || attributes.MaximumMessageSize != 32) return 5;
        if (Sys.MessageQueueSend(inherited, Bytes("inherited")) != 0) return 6;     // a descriptor from before still works
        if (Sys.MessageQueueStatus((int)own, out attributes) != 0 || attributes.CurrentMessages != 0) return 7;   // and is another queue

        // A forked grandchild inherits the new namespace: it finds "/ut-ns" of this namespace.
        long pid = Sys.Fork();
        if (pid == 0)
        {
            long found = Sys.MessageQueueOpen("/ut-ns", OpenFlags.WriteOnly, 0, 0);
            Sys.Exit(found >= 0 && Sys.MessageQueueSend((int)found, Bytes("grandchild")) == 0 ? 0 : 1);
        }
        if (pid < 0 || Sys.Wait((int)pid, out int status) != pid || status != 0) return 8;
        // So does a spawned program: mq (userland/Programs/mq.cs) receives from this namespace's queue.
        if (Sys.MessageQueueSend((int)own, Bytes("spawned")) != 0) return 9;
        byte* discard = stackalloc byte[32];
        if (Sys.MessageQueueReceive((int)own, new Span<byte>(discard, 32)) != 10) return 10;      // the grandchild's
        string output = Capture("/bin/mq", new[] { "mq", "receive", "/ut-ns", "-n" }, out status);
        if (status != 0 || output != "spawned\n") return 11;
        if (Sys.MessageQueueOpen("/ut-left", QueueReadWrite, 1, 8) < 0) return 12;    // left named at exit: freed with the namespace
        return 0;
    }

    private static void UnshareProgramRuns()
    {
        IpcUsage before = Usage();
        long outside = Sys.MessageQueueOpen("/ut-shell", QueueReadWrite, 2, 8);
        string output = Capture("/bin/unshare", new[] { "unshare", "-i", "mq", "stat", "/ut-shell" }, out int status);
        Expect(status, 1, "unshare -i mq stat: the queue is not found in the new namespace");
        output = Capture("/bin/unshare", new[] { "unshare", "-i", "mq", "stat" }, out status);
        Expect(status, 0, "unshare -i mq stat");
        Check(output.StartsWith("this IPC namespace: 0 names, 0 queues"), "the new namespace is empty: " + output);
        output = Capture("/bin/mq", new[] { "mq", "stat", "/ut-shell" }, out status);
        Check(status == 0 && output.StartsWith("/ut-shell: 0 of 2 messages"), "without unshare, mq finds it: " + output);
        output = Capture("/bin/unshare", new[] { "unshare", "-p", "-u", "--fork", "sh", "-c", "ps" }, out status);
        Expect(status, 0, "unshare -p -u --fork sh -c ps");
        Check(output.Contains("\n    1 ") && output.Contains("\n    2 ") && !output.Contains("\n    3 "), "the shell is pid 1 of its namespace, ps pid 2, nothing else: " + output);
        output = Capture("/bin/unshare", new[] { "unshare", "-m", "mount" }, out status);
        Check(status == 0 && output.StartsWith("none / ramfs rw\n"), "unshare -m mount lists a copy of the mount table: " + output);
        output = Capture("/bin/unshare", new[] { "unshare", "-n", "net" }, out status);
        Check(status == 0 && output.Contains(": lo: ") && !output.Contains(": eth0: "),
            "unshare -n net: the new network namespace has its own loopback and not the host's eth0: " + output);
        Sys.MessageQueueUnlink("/ut-shell");
        Sys.Close((int)outside);
        ExpectUsageBack(before, "unshare's runs");
    }
}
