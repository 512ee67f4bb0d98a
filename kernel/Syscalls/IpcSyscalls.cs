using System;
using Abi;
using Fs;
using Ipc;
using Mem;
using Namespaces;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>
    /// Handlers for the message queues (Ipc/): mq_open, mq_send, mq_receive, mq_unlink, mq_getattr, and
    /// ipcusage. A queue's name is looked up in the caller's IPC namespace (Namespaces/NamespaceSet.cs);
    /// the queue then is a descriptor like a pipe end, and every later call goes through it.
    /// </summary>
    [SyscallHandlers]
    public static unsafe class IpcSyscalls
    {
        // "/", the longest name and a NUL: a longer string has no NUL in reach and is -ENAMETOOLONG.
        private const int NameCapacity = MessageQueueLimits.MaximumName + 2;

        private const int KnownOpenFlags = 3 | OpenFlags.Create | OpenFlags.Exclusive | MessageQueueFlags.NonBlocking;

        private static Process Current => Process.Current;

        /// <summary>mq_open(name, flags, maximum messages, maximum message size): a new descriptor.</summary>
        public static long MessageQueueOpen(UserString name, int flags, int maximumMessages, int maximumMessageSize)
        {
            char* text = stackalloc char[NameCapacity];
            long length = CopyInName(name, new Span<char>(text, NameCapacity));
            if (length < 0) return length;
            int access = flags & 3;
            if (access == 3 || (flags & ~KnownOpenFlags) != 0) return -Errno.EINVAL;
            bool create = (flags & OpenFlags.Create) != 0;
            if (create && maximumMessages == 0 && maximumMessageSize == 0)
            {
                maximumMessages = MessageQueueLimits.DefaultMessages;
                maximumMessageSize = MessageQueueLimits.DefaultMessageSize;
            }
            if (create && (maximumMessages < 1 || maximumMessages > MessageQueueLimits.MaximumMessages
                           || maximumMessageSize < 1 || maximumMessageSize > MessageQueueLimits.MaximumMessageSize))
                return -Errno.EINVAL;

            ReadOnlySpan<char> withoutSlash = new ReadOnlySpan<char>(text + 1, (int)length - 1);
            NamespaceSet namespaces = ProcessNamespaces.HoldOf(Current);
            long result = namespaces.Ipc.Open(withoutSlash, create, (flags & OpenFlags.Exclusive) != 0,
                                              maximumMessages, maximumMessageSize, out MessageQueue queue, out bool made);
            if (result == 0)
            {
                var descriptor = new MessageQueueDescriptor(queue, canSend: access != OpenFlags.ReadOnly,
                    canReceive: access != OpenFlags.WriteOnly, nonBlocking: (flags & MessageQueueFlags.NonBlocking) != 0);
                result = Current.Files.Add(descriptor);
                if (result < 0)
                {
                    // No descriptor for it: a queue this call made goes again, so that a failed mq_open leaves nothing.
                    if (made) namespaces.Ipc.Unlink(withoutSlash);
                    descriptor.Release();
                    result = -Errno.EMFILE;
                }
            }
            namespaces.Release();
            if (result == -Errno.ENOMEM) OutOfMemoryKiller.RelieveIfCritical();
            return result;
        }

        /// <summary>mq_send(fd, message): 0 once the message is in the queue.</summary>
        public static long MessageQueueSend(int descriptor, UserBuffer message)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file is MessageQueueDescriptor queue ? Send(queue, message) : -Errno.EBADF;
            file.Release();
            return result;
        }

        private static long Send(MessageQueueDescriptor queue, UserBuffer message)
        {
            // The size first: a message too long is refused before a byte of it is read.
            if (message.Length > (ulong)queue.Queue.MaximumMessageSize) return -Errno.EMSGSIZE;
            if (!UserMemory.InUserSpace(message)) return -Errno.EFAULT;
            int length = (int)message.Length;
            byte* copy = stackalloc byte[length > 0 ? length : 1];
            if (!UserMemory.CopyIn(Current.AddressSpace, message, new Span<byte>(copy, length))) return -Errno.EFAULT;
            return queue.Send(new ReadOnlySpan<byte>(copy, length));
        }

        /// <summary>mq_receive(fd, buffer): the oldest message's length.</summary>
        public static long MessageQueueReceive(int descriptor, UserBuffer buffer)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file is MessageQueueDescriptor queue ? Receive(queue, buffer) : -Errno.EBADF;
            file.Release();
            return result;
        }

        private static long Receive(MessageQueueDescriptor queue, UserBuffer buffer)
        {
            int size = queue.Queue.MaximumMessageSize;
            if (buffer.Length < (ulong)size) return -Errno.EMSGSIZE;
            if (!UserMemory.InUserSpace(buffer)) return -Errno.EFAULT;
            // The buffer must take a message before one is taken out of the queue: a message taken and then
            // not delivered would be lost. Writing the (zeroed) chunk there first proves the pages writable.
            byte* chunk = stackalloc byte[size];
            UserBuffer destination = buffer.Slice(0, (ulong)size);
            if (!UserMemory.CopyOut(Current.AddressSpace, destination, new ReadOnlySpan<byte>(chunk, size))) return -Errno.EFAULT;
            long length = queue.Receive(new Span<byte>(chunk, size));
            if (length <= 0) return length;
            return UserMemory.CopyOut(Current.AddressSpace, buffer.Slice(0, (ulong)length), new ReadOnlySpan<byte>(chunk, (int)length))
                ? length : -Errno.EFAULT;
        }

        /// <summary>mq_unlink(name): 0 once the name is gone from the caller's IPC namespace.</summary>
        public static long MessageQueueUnlink(UserString name)
        {
            char* text = stackalloc char[NameCapacity];
            long length = CopyInName(name, new Span<char>(text, NameCapacity));
            if (length < 0) return length;
            NamespaceSet namespaces = ProcessNamespaces.HoldOf(Current);
            long result = namespaces.Ipc.Unlink(new ReadOnlySpan<char>(text + 1, (int)length - 1));
            namespaces.Release();
            return result;
        }

        /// <summary>mq_getattr(fd, &amp;attributes).</summary>
        public static long MessageQueueStatus(int descriptor, UserPointer<MessageQueueAttributes> attributes)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            MessageQueueDescriptor queue = file as MessageQueueDescriptor;
            MessageQueueAttributes result = queue != null ? queue.Attributes : default;
            file.Release();
            if (queue == null) return -Errno.EBADF;
            return UserMemory.Write(Current.AddressSpace, attributes, result) ? 0 : -Errno.EFAULT;
        }

        /// <summary>ipcusage(&amp;usage): the IPC objects' counts and bytes, with the kernel heap's and the free frames.</summary>
        public static long IpcUsage(UserPointer<IpcUsage> usage)
        {
            var result = new IpcUsage();
            NamespaceSet namespaces = ProcessNamespaces.HoldOf(Current);
            namespaces.Ipc.Usage(ref result);
            namespaces.Release();
            result.KernelHeapBytes = (long)KernelHeap.BytesInUse;
            result.FreeFrames = (long)FrameAllocator.FreeFrames;
            return UserMemory.Write(Current.AddressSpace, usage, result) ? 0 : -Errno.EFAULT;
        }

        // The name onto the kernel stack, checked (Ipc/MessageQueueNames.cs): its length with the "/", or an error.
        private static long CopyInName(UserString name, Span<char> into)
        {
            byte* bytes = stackalloc byte[NameCapacity];
            long length = UserMemory.CopyInString(Current.AddressSpace, name, new Span<byte>(bytes, NameCapacity));
            if (length < 0) return length;
            for (int i = 0; i < length; i++) into[i] = (char)bytes[i];
            long error = MessageQueueNames.Check(into.Slice(0, (int)length));
            return error < 0 ? error : length;
        }
    }
}
