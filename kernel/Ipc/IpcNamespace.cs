using System;
using Abi;
using Sync;

namespace Ipc
{
    /// <summary>
    /// An IPC namespace: one table of message-queue names. Processes that share it find the same queue under
    /// a name; a process that unshares it (Namespaces/NamespaceSet.cs) gets a fresh, empty table, and no
    /// name it uses can reach a queue of the old one. A descriptor opened before still works: the
    /// namespace is where names are looked up, not a wall around the queues themselves (as on Linux).
    ///
    /// Limits (abi/Ipc.cs MessageQueueLimits): QueuesPerNamespace queues and BytesPerNamespace bytes of
    /// message storage per namespace, counted from a queue's making to its freeing (an unlinked queue still
    /// open still counts), so that neither a table full of names nor a pile of unlinked open queues can
    /// take the kernel's memory.
    ///
    /// Lifetime: two counts. Members are the namespace sets (so, indirectly, the processes) using it;
    /// references are the members plus every queue charged to it. When the last member leaves, every name
    /// is removed (nobody can look one up any more); when the last reference goes (the last open queue
    /// closed), the namespace is freed. A queue's own references (its name in the table, each descriptor)
    /// are counted in MessageQueue.References, under the same lock.
    /// Lock: <see cref="s_lock"/>, one for all IPC namespaces (they change only at open, unlink and close),
    /// taken with no other lock held and none taken under it: nothing is allocated or freed inside it.
    /// </summary>
    public sealed class IpcNamespace
    {
        private readonly MessageQueue[] _names = new MessageQueue[MessageQueueLimits.QueuesPerNamespace];
        private int _members = 1, _references = 1;
        private int _queues;                         // charged: named, or unlinked and still open
        private long _bytes;

        private static SpinLock s_lock;
        private static int s_namespaces, s_queues;
        private static long s_bytes;

        private IpcNamespace() { }

        /// <summary>A new, empty namespace with one member (the caller's namespace set).</summary>
        public static IpcNamespace Create()
        {
            var created = new IpcNamespace();
            bool flags = s_lock.Acquire();
            s_namespaces++;
            s_lock.Release(flags);
            return created;
        }

        /// <summary>Another namespace set uses this namespace (unshare of other kinds copies the set).</summary>
        public void Join()
        {
            bool flags = s_lock.Acquire();
            _members++;
            _references++;
            s_lock.Release(flags);
        }

        /// <summary>A namespace set stops using it; the last member takes every name out with it.</summary>
        public void Leave()
        {
            bool flags = s_lock.Acquire();
            bool last = --_members == 0;
            s_lock.Release(flags);
            if (last)
            {
                // One name at a time, freeing outside the lock: nobody can add one now (no member is left).
                for (int slot = 0; slot < _names.Length; slot++)
                {
                    flags = s_lock.Acquire();
                    MessageQueue queue = _names[slot];
                    _names[slot] = null;
                    bool unused = queue != null && --queue.References == 0;
                    s_lock.Release(flags);
                    if (unused) FreeQueue(queue);
                }
            }
            DropReference();
        }

        /// <summary>
        /// mq_open's lookup in this namespace: the queue <paramref name="name"/> (checked by
        /// MessageQueueNames.Check), with a reference for the caller's descriptor; made if missing and
        /// <paramref name="create"/> (<paramref name="made"/> then says so). 0, or -EEXIST, -ENOENT, -ENOSPC (a
        /// limit of the namespace), -ENOMEM.
        /// </summary>
        public long Open(ReadOnlySpan<char> name, bool create, bool exclusive, int maximumMessages, int maximumMessageSize,
                         out MessageQueue queue, out bool made)
        {
            queue = null;
            made = false;
            long bytes = MessageQueue.StorageBytes(maximumMessages, maximumMessageSize);
            bool flags = s_lock.Acquire();
            long result = Find(name, create, exclusive, out queue);
            if (result == 0 && queue == null)
            {
                if (_queues >= MessageQueueLimits.QueuesPerNamespace || _bytes + bytes > MessageQueueLimits.BytesPerNamespace)
                    result = -Errno.ENOSPC;
                else Charge(1, bytes);                       // held for the queue made below, outside the lock
            }
            s_lock.Release(flags);
            if (result < 0 || queue != null) return result;

            // Kernel memory on a user's behalf: not from the kernel's last frames (Mem/MemoryBudget.cs).
            if (!Mem.MemoryBudget.CanAllocateKernelFrames(Mem.MemoryBudget.FramesFor((ulong)bytes) + 1))
            {
                Uncharge(bytes);
                return -Errno.ENOMEM;
            }
            var fresh = new MessageQueue(name, maximumMessages, maximumMessageSize, this) { References = 2 };   // the name and the caller
            flags = s_lock.Acquire();
            result = Find(name, create, exclusive, out queue);       // another thread may have made it meanwhile
            int free = 0;
            while (free < _names.Length && _names[free] != null) free++;
            if (result == 0 && queue == null && free < _names.Length)
            {
                _names[free] = fresh;
                queue = fresh;
                made = true;
            }
            s_lock.Release(flags);
            if (!made)                                              // lost the race: give back what we made
            {
                fresh.Free();
                Uncharge(bytes);
                if (result == 0 && queue == null) result = -Errno.ENOSPC;
            }
            return result;
        }

        // The queue called `name`, with a reference for the caller, or null if the caller may make it. Lock held.
        private long Find(ReadOnlySpan<char> name, bool create, bool exclusive, out MessageQueue queue)
        {
            queue = null;
            for (int slot = 0; slot < _names.Length; slot++)
            {
                MessageQueue named = _names[slot];
                if (named == null || !named.IsCalled(name)) continue;
                if (create && exclusive) return -Errno.EEXIST;
                named.References++;
                queue = named;
                return 0;
            }
            return create ? 0 : -Errno.ENOENT;
        }

        /// <summary>mq_unlink: takes the name out; the queue lives on while descriptors hold it. 0 or -ENOENT.</summary>
        public long Unlink(ReadOnlySpan<char> name)
        {
            MessageQueue queue = null;
            bool flags = s_lock.Acquire();
            for (int slot = 0; slot < _names.Length && queue == null; slot++)
            {
                if (_names[slot] == null || !_names[slot].IsCalled(name)) continue;
                queue = _names[slot];
                _names[slot] = null;
            }
            bool unused = queue != null && --queue.References == 0;
            s_lock.Release(flags);
            if (unused) FreeQueue(queue);
            return queue == null ? -Errno.ENOENT : 0;
        }

        /// <summary>A descriptor on <paramref name="queue"/> closed for the last time.</summary>
        public static void Release(MessageQueue queue)
        {
            bool flags = s_lock.Acquire();
            bool unused = --queue.References == 0;
            s_lock.Release(flags);
            if (unused) FreeQueue(queue);
        }

        // The last reference to a queue is gone: its memory goes back, and so does its charge (and with it
        // the namespace's reference, which may be the last).
        private static void FreeQueue(MessageQueue queue)
        {
            IpcNamespace owner = queue.Namespace;
            long bytes = queue.Bytes;
            queue.Free();
            owner.Uncharge(bytes);
        }

        private void Charge(int queues, long bytes)          // lock held
        {
            _queues += queues;
            _bytes += bytes;
            _references++;
            s_queues += queues;
            s_bytes += bytes;
        }

        private void Uncharge(long bytes)
        {
            bool flags = s_lock.Acquire();
            _queues--;
            _bytes -= bytes;
            s_queues--;
            s_bytes -= bytes;
            s_lock.Release(flags);
            DropReference();
        }

        private void DropReference()
        {
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            if (gone) s_namespaces--;
            s_lock.Release(flags);
            if (!gone) return;
            Mem.KernelHeap.Free(_names);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>ipcusage's figures for this namespace and for all.</summary>
        public void Usage(ref IpcUsage usage)
        {
            bool flags = s_lock.Acquire();
            usage.QueuesHere = _queues;
            usage.BytesHere = _bytes;
            int names = 0;
            for (int slot = 0; slot < _names.Length; slot++)
                if (_names[slot] != null) names++;
            usage.NamesHere = names;
            usage.QueuesEverywhere = s_queues;
            usage.BytesEverywhere = s_bytes;
            usage.Namespaces = s_namespaces;
            s_lock.Release(flags);
        }
    }
}
