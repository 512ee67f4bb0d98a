using System;
using Abi;
using TeachOS;
using static TeachOS.BadAddresses;
using static TeachOS.TestSuite;

/// <summary>
/// usertests' cases for the message queues (kernel/Ipc/, syscalls 100-105): messages kept whole and in
/// order, the descriptor's modes, a blocked receiver woken by a send and a blocked sender by a receive,
/// a receiver killed while it waits, every refusal (bad names, sizes, pointers, flags), the limits of a
/// namespace met and refused with an error, and the memory: each test ends with the IPC counts where
/// they started, and the kernel's heap and frames are printed before and after the limits test.
/// The namespaces' cases are in Namespaces.cs.
/// </summary>
public static unsafe partial class UserTests
{
    private const int QueueReadWrite = OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive;

    private static IpcUsage Usage()
    {
        Sys.IpcUsage(out IpcUsage usage);
        return usage;
    }

    // The IPC counts are back where `before` had them: nothing this test made is still charged.
    private static void ExpectUsageBack(IpcUsage before, string what)
    {
        IpcUsage after = Usage();
        Expect(after.QueuesEverywhere, before.QueuesEverywhere, what + ": the queues are freed");
        Expect(after.BytesEverywhere, before.BytesEverywhere, what + ": their bytes are uncharged");
        Expect(after.Namespaces, before.Namespaces, what + ": no IPC namespace is left over");
    }

    private static void MessageQueueBasics()
    {
        IpcUsage before = Usage();
        long queue = Sys.MessageQueueOpen("/ut-basic", QueueReadWrite, 4, 16);
        Check(queue >= 3, "mq_open with Create gives a descriptor");
        Expect(Usage().BytesHere - before.BytesHere, 4 * 16 + 4 * 4, "its storage is charged to the namespace when it is made");
        Expect(Sys.MessageQueueOpen("/ut-basic", QueueReadWrite, 4, 16), -Errno.EEXIST, "Create and Exclusive: -EEXIST for a name taken");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("one")), 0, "send");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("")), 0, "an empty message is a message");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("sixteen bytes!!!")), 0, "a message of the queue's size");
        Expect(Sys.MessageQueueStatus((int)queue, out MessageQueueAttributes attributes), 0, "mq_getattr");
        Check(attributes.MaximumMessages == 4 && attributes.MaximumMessageSize == 16 && attributes.CurrentMessages == 3 && attributes.Flags == 0,
              "mq_getattr tells the sizes and the 3 messages waiting");
        Expect(Sys.FileStatus((int)queue, out FileStatus status), 0, "fstat of a queue");
        Check(status.Kind == 6 && status.Size == 3, "fstat: kind 6 (a message queue), size the messages waiting");

        byte* buffer = stackalloc byte[16];
        var into = new Span<byte>(buffer, 16);
        Expect(Sys.MessageQueueReceive((int)queue, into), 3, "the oldest message first, whole");
        Check(buffer[0] == 'o' && buffer[2] == 'e', "with its bytes");
        Expect(Sys.MessageQueueReceive((int)queue, into), 0, "then the empty one");
        Expect(Sys.MessageQueueReceive((int)queue, into), 16, "then the full-size one");

        long second = Sys.MessageQueueOpen("/ut-basic", OpenFlags.WriteOnly, 0, 0);
        Check(second >= 3 && second != queue, "mq_open without Create finds the queue by name");
        Expect(Sys.MessageQueueSend((int)second, Bytes("via")), 0, "a send through the second descriptor");
        Expect(Sys.MessageQueueReceive((int)queue, into), 3, "arrives through the first: one queue");
        Expect(Sys.MessageQueueReceive((int)second, into), -Errno.EBADF, "a write-only descriptor cannot receive");
        Expect(Sys.Read((int)queue, into), -Errno.EBADF, "read is not mq_receive: a queue keeps message boundaries");
        Expect(Sys.Write((int)queue, Bytes("x")), -Errno.EBADF, "nor is write mq_send");
        Expect(Sys.Close((int)second), 0, "close a queue's descriptor");

        Expect(Sys.MessageQueueUnlink("/ut-basic"), 0, "mq_unlink");
        Expect(Sys.MessageQueueOpen("/ut-basic", OpenFlags.ReadOnly, 0, 0), -Errno.ENOENT, "the name is gone");
        Expect(Usage().QueuesEverywhere, before.QueuesEverywhere + 1, "the queue lives on while a descriptor holds it");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("still")), 0, "and still works through it");
        Expect(Sys.MessageQueueReceive((int)queue, into), 5, "both ways");
        Expect(Sys.MessageQueueUnlink("/ut-basic"), -Errno.ENOENT, "a second unlink finds nothing");
        Sys.Close((int)queue);
        ExpectUsageBack(before, "unlink then the last close");

        long readOnly = Sys.MessageQueueOpen("/ut-modes", OpenFlags.ReadOnly | OpenFlags.Create, 2, 8);
        Expect(Sys.MessageQueueSend((int)readOnly, Bytes("no")), -Errno.EBADF, "a read-only descriptor cannot send");
        Expect(Sys.MessageQueueStatus((int)readOnly, out attributes), 0, "defaults are not applied when sizes are given");
        Check(attributes.MaximumMessages == 2 && attributes.MaximumMessageSize == 8, "2 messages of 8 bytes");
        Sys.MessageQueueUnlink("/ut-modes");
        Sys.Close((int)readOnly);
        long defaults = Sys.MessageQueueOpen("/ut-defaults", QueueReadWrite, 0, 0);
        Sys.MessageQueueStatus((int)defaults, out attributes);
        Check(attributes.MaximumMessages == MessageQueueLimits.DefaultMessages && attributes.MaximumMessageSize == MessageQueueLimits.DefaultMessageSize,
              "0 and 0: the default sizes");
        Sys.MessageQueueUnlink("/ut-defaults");
        Sys.Close((int)defaults);
        ExpectUsageBack(before, "the modes' queues");
    }

    private static void MessageQueueRefusals()
    {
        IpcUsage before = Usage();
        Expect(Sys.MessageQueueOpen("", QueueReadWrite, 0, 0), -Errno.EINVAL, "an empty name");
        Expect(Sys.MessageQueueOpen("/", QueueReadWrite, 0, 0), -Errno.EINVAL, "a name of \"/\" alone");
        Expect(Sys.MessageQueueOpen("noslash", QueueReadWrite, 0, 0), -Errno.EINVAL, "a name without its \"/\"");
        Expect(Sys.MessageQueueOpen("/a/b", QueueReadWrite, 0, 0), -Errno.EINVAL, "a name with a second \"/\"");
        Expect(Sys.MessageQueueOpen("/tab\there", QueueReadWrite, 0, 0), -Errno.EINVAL, "a name with a control character");
        Expect(Sys.MessageQueueOpen("/" + new string('q', MessageQueueLimits.MaximumName + 1), QueueReadWrite, 0, 0), -Errno.ENAMETOOLONG, "a name one too long");
        Expect(Sys.MessageQueueOpen("/" + new string('q', 300), QueueReadWrite, 0, 0), -Errno.ENAMETOOLONG, "a very long name");
        Expect(Sys.MessageQueueUnlink("/a/b"), -Errno.EINVAL, "unlink checks the name the same way");
        Expect(Sys.Call(SyscallNumbers.MessageQueueOpen, 0, (ulong)QueueReadWrite), -Errno.EFAULT, "a null name");
        Expect(Sys.Call(SyscallNumbers.MessageQueueOpen, KernelAddress, (ulong)QueueReadWrite), -Errno.EFAULT, "a kernel address as the name");
        Expect(Sys.Call(SyscallNumbers.MessageQueueUnlink, UnmappedAddress), -Errno.EFAULT, "an unmapped name to unlink");
        Expect(Sys.MessageQueueOpen("/ut-flags", QueueReadWrite | 0x1000, 0, 0), -Errno.EINVAL, "an unknown flag");
        Expect(Sys.MessageQueueOpen("/ut-flags", OpenFlags.Create | 3, 0, 0), -Errno.EINVAL, "access mode 3");
        Expect(Sys.MessageQueueOpen("/ut-sizes", QueueReadWrite, MessageQueueLimits.MaximumMessages + 1, 8), -Errno.EINVAL, "too many messages");
        Expect(Sys.MessageQueueOpen("/ut-sizes", QueueReadWrite, 4, MessageQueueLimits.MaximumMessageSize + 1), -Errno.EINVAL, "too large a message size");
        Expect(Sys.MessageQueueOpen("/ut-sizes", QueueReadWrite, -1, 8), -Errno.EINVAL, "a negative count");
        Expect(Sys.MessageQueueOpen("/ut-sizes", QueueReadWrite, 4, 0), -Errno.EINVAL, "a zero size with a count");
        Expect(Sys.MessageQueueOpen("/ut-missing", OpenFlags.ReadOnly, 0, 0), -Errno.ENOENT, "no Create: -ENOENT for a missing queue");
        ExpectUsageBack(before, "refused opens");

        long queue = Sys.MessageQueueOpen("/" + new string('q', MessageQueueLimits.MaximumName), QueueReadWrite | MessageQueueFlags.NonBlocking, 2, 8);
        Check(queue >= 3, "a name of the longest length, non-blocking");
        byte* buffer = stackalloc byte[16];
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 16)), -Errno.EAGAIN, "non-blocking: an empty queue gives -EAGAIN");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("nine byte")), -Errno.EMSGSIZE, "a message past the queue's size");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("a")), 0, "one");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("b")), 0, "two");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("c")), -Errno.EAGAIN, "non-blocking: a full queue gives -EAGAIN");
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 7)), -Errno.EMSGSIZE, "a buffer smaller than the message size");
        Expect(Sys.Call(SyscallNumbers.MessageQueueReceive, (ulong)queue, KernelAddress, 8), -Errno.EFAULT, "a kernel buffer");
        Expect(Sys.Call(SyscallNumbers.MessageQueueReceive, (ulong)queue, UnmappedAddress, 8), -Errno.EFAULT, "an unmapped buffer");
        Expect(Sys.Call(SyscallNumbers.MessageQueueSend, (ulong)queue, KernelAddress, 4), -Errno.EFAULT, "a send from a kernel address");
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 8)), 1, "no refusal took a message");
        Check(buffer[0] == 'a', "the first is still first");
        Expect(Sys.Call(SyscallNumbers.MessageQueueStatus, (ulong)queue, KernelAddress), -Errno.EFAULT, "mq_getattr into a kernel address");
        Expect(Sys.MessageQueueSend(1, Bytes("x")), -Errno.EBADF, "mq_send to what is not a queue");
        Expect(Sys.MessageQueueReceive(99, new Span<byte>(buffer, 16)), -Errno.EBADF, "mq_receive from no descriptor");
        Expect(Sys.MessageQueueStatus(0, out MessageQueueAttributes unused), -Errno.EBADF, "mq_getattr of what is not a queue");
        Sys.MessageQueueUnlink("/" + new string('q', MessageQueueLimits.MaximumName));
        Sys.Close((int)queue);
        ExpectUsageBack(before, "the refusals' queue");
    }

    private static void MessageQueueBlocking()
    {
        IpcUsage before = Usage();
        long queue = Sys.MessageQueueOpen("/ut-block", QueueReadWrite, 1, 8);
        // A receiver that waits: the child blocks on the empty queue until the parent sends.
        long pid = Sys.Fork();
        if (pid == 0)
        {
            byte* into = stackalloc byte[8];
            long got = Sys.MessageQueueReceive((int)queue, new Span<byte>(into, 8));
            Sys.Exit(got == 4 && into[0] == 'w' ? 0 : 1);
        }
        Check(WaitUntilBlocked(pid), "the receiver sleeps on the empty queue");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("wake")), 0, "a send");
        Expect(WaitFor(pid), 0, "wakes it with the message (the descriptor was shared by fork)");

        // A sender that waits: the queue holds one message; the child's second send blocks until a receive.
        pid = Sys.Fork();
        if (pid == 0)
        {
            long first = Sys.MessageQueueSend((int)queue, Bytes("first"));
            long second = Sys.MessageQueueSend((int)queue, Bytes("second"));
            Sys.Exit(first == 0 && second == 0 ? 0 : 1);
        }
        Check(WaitUntilBlocked(pid), "the sender sleeps on the full queue");
        byte* buffer = stackalloc byte[8];
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 8)), 5, "a receive makes room");
        Expect(WaitFor(pid), 0, "and the sender's second message goes in");
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 8)), 6, "in order");
        Sys.MessageQueueUnlink("/ut-block");
        Sys.Close((int)queue);
        ExpectUsageBack(before, "the blocking test");
    }

    private static void MessageQueueKilledReceiver()
    {
        IpcUsage before = Usage();
        long queue = Sys.MessageQueueOpen("/ut-kill", QueueReadWrite, 2, 8);
        long pid = Sys.Fork();
        if (pid == 0)
        {
            byte* into = stackalloc byte[8];
            Sys.MessageQueueReceive((int)queue, new Span<byte>(into, 8));
            Sys.Exit(5);                                  // never reached: the parent kills it while it waits
        }
        Check(WaitUntilBlocked(pid), "the receiver waits on the empty queue");
        Expect(Sys.Kill((int)pid), 0, "kill the waiting receiver");
        Expect(WaitFor(pid), 137, "it ends as killed, not with a message");
        Expect(Sys.MessageQueueSend((int)queue, Bytes("after")), 0, "the queue works on");
        byte* buffer = stackalloc byte[8];
        Expect(Sys.MessageQueueReceive((int)queue, new Span<byte>(buffer, 8)), 5, "and its message was not taken by the dead receiver");
        Sys.Close((int)queue);
        Expect(Usage().QueuesEverywhere, before.QueuesEverywhere + 1, "named, it outlives every descriptor");
        Sys.MessageQueueUnlink("/ut-kill");
        ExpectUsageBack(before, "a killed receiver's queue");
    }

    private static void MessageQueueLimitsMet()
    {
        IpcUsage before = Usage();
        // Queues until the namespace's limit: the next is refused with -ENOSPC, never a panic.
        int made = 0;
        long refused = 0;
        var descriptors = new long[MessageQueueLimits.QueuesPerNamespace + 1];
        for (int i = 0; i <= MessageQueueLimits.QueuesPerNamespace; i++)
        {
            long queue = Sys.MessageQueueOpen("/ut-many" + i, QueueReadWrite, 1, 8);
            if (queue < 0) { refused = queue; break; }
            descriptors[made++] = queue;
        }
        Expect(made, MessageQueueLimits.QueuesPerNamespace - before.QueuesHere, "queues up to the namespace's limit");
        Expect(refused, -Errno.ENOSPC, "then -ENOSPC");
        Expect(Usage().QueuesHere, MessageQueueLimits.QueuesPerNamespace, "ipcusage counts them");
        // Unlinked but open still counts: the limit holds against a pile of unlinked open queues.
        for (int i = 0; i < made; i++) Sys.MessageQueueUnlink("/ut-many" + i);
        Expect(Usage().NamesHere, 0, "every name unlinked");
        Expect(Sys.MessageQueueOpen("/ut-one-more", QueueReadWrite, 1, 8), -Errno.ENOSPC, "unlinked queues still open still count");
        for (int i = 0; i < made; i++) Sys.Close((int)descriptors[i]);
        ExpectUsageBack(before, "the many queues");

        // Bytes: queues of the largest size until the namespace's bytes are spent.
        IpcUsage heapBefore = Usage();
        long big = MessageQueueLimits.MaximumMessages * (long)MessageQueueLimits.MaximumMessageSize + MessageQueueLimits.MaximumMessages * 4;
        int fit = (int)(MessageQueueLimits.BytesPerNamespace / big);
        made = 0;
        refused = 0;
        for (int i = 0; i <= fit; i++)
        {
            long queue = Sys.MessageQueueOpen("/ut-big" + i, QueueReadWrite, MessageQueueLimits.MaximumMessages, MessageQueueLimits.MaximumMessageSize);
            if (queue < 0) { refused = queue; break; }
            descriptors[made++] = queue;
        }
        IpcUsage full = Usage();
        Expect(made, fit, "queues of the largest size while the namespace's bytes last");
        Expect(refused, -Errno.ENOSPC, "then -ENOSPC");
        Expect(full.BytesHere, fit * big + before.BytesHere, "the bytes are charged");
        for (int i = 0; i < made; i++)
        {
            Sys.MessageQueueUnlink("/ut-big" + i);
            Sys.Close((int)descriptors[i]);
        }
        IpcUsage after = Usage();
        ExpectUsageBack(before, "the big queues");
        // The kernel's own figures, for the record: the heap took the queues' bytes and gave them back.
        Console.WriteLine("  mq-limits: kernel heap " + heapBefore.KernelHeapBytes + " bytes before, " + full.KernelHeapBytes
                          + " with " + made + " full-size queues, " + after.KernelHeapBytes + " after; free frames "
                          + heapBefore.FreeFrames + ", " + full.FreeFrames + ", " + after.FreeFrames);
        Check(full.KernelHeapBytes - heapBefore.KernelHeapBytes >= fit * big, "the heap holds at least the queues' bytes while they exist");
        Check(full.KernelHeapBytes - after.KernelHeapBytes >= fit * big, "and gives them back when they are freed");
    }

    private static void MessageQueueDescriptors()
    {
        IpcUsage before = Usage();
        long queue = Sys.MessageQueueOpen("/ut-dup", QueueReadWrite, 2, 8);
        Expect(Sys.Duplicate((int)queue, 20), 20, "dup2 a queue's descriptor");
        Expect(Sys.Close((int)queue), 0, "close the original");
        Expect(Sys.MessageQueueUnlink("/ut-dup"), 0, "and its name");
        Expect(Sys.MessageQueueSend(20, Bytes("dup")), 0, "the duplicate holds the queue");
        // spawn passes descriptors 0-2: the queue as a child's stdin is still a queue, not a stream.
        long pid = Sys.Spawn("/bin/cat", new[] { "cat" }, 20, 1, 2);
        Check(pid > 0, "spawn with a queue as stdin");
        Expect(WaitFor(pid), 1, "cat's read of a queue is refused (EBADF) and it says so");
        byte* buffer = stackalloc byte[8];
        Expect(Sys.MessageQueueReceive(20, new Span<byte>(buffer, 8)), 3, "the message is still there");
        Sys.Close(20);
        ExpectUsageBack(before, "a duplicated, unlinked queue");
    }

    // Until the process's threads are all blocked (ThreadInfo state 2), or about two seconds.
    private static bool WaitUntilBlocked(long pid)
    {
        for (int attempt = 0; attempt < 400; attempt++)
        {
            for (int index = 0; Sys.ThreadInfo(index, out ThreadInfo info) == 1; index++)
                if (info.ProcessId == pid && info.State == 2) return true;
            Sys.Sleep(5);
        }
        return false;
    }
}
