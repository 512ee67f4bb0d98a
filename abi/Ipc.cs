using System.Runtime.InteropServices;

namespace Abi
{
    // The IPC facility's and the namespaces' share of the ABI (syscalls 100-109, abi/Syscalls.cs):
    // message-queue flags, limits and status, and unshare's flags. The guide: docs/guide/10-namespaces.md.

    /// <summary>mq_open's flags besides OpenFlags' ReadOnly/WriteOnly/ReadWrite, Create and Exclusive.</summary>
    public static class MessageQueueFlags
    {
        public const int NonBlocking = 0x800;    // O_NONBLOCK: a send to a full queue or a receive from an empty one gives -EAGAIN
    }

    /// <summary>
    /// The limits a message queue is held to (Linux's /proc/sys/fs/mqueue has the same three, larger).
    /// Each is refused with an error code, never a panic: -EINVAL past the first two at mq_open, -EMSGSIZE
    /// for a message past the queue's size, -ENOSPC past the namespace's share.
    /// </summary>
    public static class MessageQueueLimits
    {
        public const int MaximumName = 31;               // characters after the "/" (-ENAMETOOLONG past it)
        public const int MaximumMessages = 64;           // messages one queue may hold (msg_max)
        public const int MaximumMessageSize = 4096;      // bytes in one message (msgsize_max)
        public const int DefaultMessages = 10;           // when mq_open is given 0 and 0
        public const int DefaultMessageSize = 1024;
        public const int QueuesPerNamespace = 16;        // queues one IPC namespace may hold, named or still open (queues_max)
        public const int BytesPerNamespace = 1 << 20;    // message storage one IPC namespace may hold: 1 MiB
    }

    /// <summary>mq_getattr: one queue, as its descriptor sees it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageQueueAttributes
    {
        public int Flags;                // the descriptor's MessageQueueFlags (NonBlocking)
        public int MaximumMessages;      // mq_maxmsg
        public int MaximumMessageSize;   // mq_msgsize: a receive buffer must hold this many bytes
        public int CurrentMessages;      // mq_curmsgs: messages waiting
    }

    /// <summary>ipcusage: what the IPC objects hold, in the caller's IPC namespace and in all of them.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IpcUsage
    {
        public int QueuesHere;           // queues charged to the caller's namespace: named, or unlinked but still open
        public int NamesHere;            // names in its table
        public long BytesHere;           // their message storage
        public int QueuesEverywhere;     // in every IPC namespace
        public int Namespaces;           // IPC namespaces alive
        public long BytesEverywhere;
        public long KernelHeapBytes;     // the kernel heap's bytes in use (Mem/KernelHeap.cs): all of the kernel, not only IPC
        public long FreeFrames;          // free physical frames
    }

    /// <summary>
    /// unshare's flags: Linux's CLONE_NEW* values, so that what students learn transfers. Ipc and User work;
    /// the others are reserved for the containers issue and give -EINVAL until then.
    /// </summary>
    public static class NamespaceFlags
    {
        public const int Mount = 0x00020000;     // CLONE_NEWNS: a private copy of the mount table (kernel/Fs/Vfs/MountNamespace.cs)
        public const int Cgroup = 0x02000000;    // CLONE_NEWCGROUP (reserved)
        public const int Uts = 0x04000000;       // CLONE_NEWUTS: a private hostname
        public const int Ipc = 0x08000000;       // CLONE_NEWIPC: a fresh, empty table of message queues
        public const int User = 0x10000000;      // CLONE_NEWUSER: ids mapped to the parent namespace's (WriteIdMap)
        public const int Pid = 0x20000000;       // CLONE_NEWPID: a numbering of processes for the caller's children
        public const int Network = 0x40000000;   // CLONE_NEWNET: a network stack of its own, with only loopback (kernel/Net/NetworkNamespaces.cs)
    }

    /// <summary>WriteIdMap's and ReadIdMap's kind: which of a user namespace's two maps.</summary>
    public static class IdMapKind
    {
        public const int Users = 0;              // /proc/PID/uid_map
        public const int Groups = 1;             // /proc/PID/gid_map
    }

    /// <summary>One line of a uid_map or gid_map: Count ids from Inside are the parent namespace's ids from Outside.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IdMapEntry
    {
        public int Inside;
        public int Outside;
        public int Count;
    }
}
