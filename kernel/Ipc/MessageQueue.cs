using System;
using Sched;

namespace Ipc
{
    /// <summary>
    /// A named message queue (POSIX mq, without priorities): up to <see cref="MaximumMessages"/> messages of
    /// up to <see cref="MaximumMessageSize"/> bytes each, taken out oldest first. Unlike a pipe, which carries
    /// a stream of bytes, a queue keeps each message whole: one send is one receive.
    ///
    /// The storage is allocated whole when the queue is made, one slot of the largest size per message, so
    /// a send never waits for memory and the queue's cost is known (and charged to its namespace) up front.
    /// A receiver of an empty queue sleeps on <see cref="_canReceive"/>, a sender to a full one on
    /// <see cref="_canSend"/>; a descriptor opened non-blocking gets -EAGAIN instead.
    /// Lock: the slots and the counts are protected by Scheduler.ThreadStateLock, as a pipe's are (see
    /// WaitQueue for why the waiter's check and its sleep must be one step). The name and the references
    /// belong to the namespace (Ipc/IpcNamespace.cs) and its lock.
    /// </summary>
    public sealed class MessageQueue
    {
        public readonly string Name;                     // the queue's own copy, without the "/"
        public readonly int MaximumMessages;
        public readonly int MaximumMessageSize;
        public readonly IpcNamespace Namespace;          // the namespace it is charged to until it is freed

        private readonly byte[] _slots;                  // MaximumMessages slots of MaximumMessageSize bytes
        private readonly int[] _lengths;                 // each slot's message length
        private int _oldest, _count;
        private readonly WaitQueue _canReceive = new WaitQueue("mq receive");
        private readonly WaitQueue _canSend = new WaitQueue("mq send");

        /// <summary>The name in its namespace's table, and each descriptor: IpcNamespace's lock guards it.</summary>
        internal int References;

        /// <summary>The kernel memory a queue of these sizes holds: its slots and their lengths.</summary>
        public static long StorageBytes(int maximumMessages, int maximumMessageSize) =>
            (long)maximumMessages * maximumMessageSize + (long)maximumMessages * sizeof(int);

        internal MessageQueue(ReadOnlySpan<char> name, int maximumMessages, int maximumMessageSize, IpcNamespace owner)
        {
            Name = string.Copy(name);
            MaximumMessages = maximumMessages;
            MaximumMessageSize = maximumMessageSize;
            Namespace = owner;
            _slots = new byte[maximumMessages * maximumMessageSize];
            _lengths = new int[maximumMessages];
        }

        public long Bytes => StorageBytes(MaximumMessages, MaximumMessageSize);

        /// <summary>Messages waiting (a glance: it may change at once).</summary>
        public int Count => _count;

        /// <summary>True if the queue's name is <paramref name="name"/> (without the "/").</summary>
        public bool IsCalled(ReadOnlySpan<char> name)
        {
            if (Name.Length != name.Length) return false;
            for (int i = 0; i < name.Length; i++)
                if (Name[i] != name[i]) return false;
            return true;
        }

        /// <summary>Puts a copy of <paramref name="message"/> at the back: 0, or -EMSGSIZE, -EAGAIN, -EINTR.</summary>
        public long Send(ReadOnlySpan<byte> message, bool nonBlocking)
        {
            if (message.Length > MaximumMessageSize) return -Abi.Errno.EMSGSIZE;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long result;
            while (true)
            {
                if (_count < MaximumMessages)
                {
                    int slot = (_oldest + _count) % MaximumMessages;
                    message.CopyTo(new Span<byte>(_slots, slot * MaximumMessageSize, message.Length));
                    _lengths[slot] = message.Length;
                    _count++;
                    Scheduler.WakeAllLocked(_canReceive);
                    result = 0;
                    break;
                }
                if (nonBlocking) { result = -Abi.Errno.EAGAIN; break; }
                if (Killed) { result = -Abi.Errno.EINTR; break; }
                Scheduler.WaitLocked(_canSend);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        /// <summary>
        /// Takes the oldest message into <paramref name="into"/>: its length, or -EMSGSIZE when the buffer could
        /// not hold the largest message (checked first, so nothing is lost), -EAGAIN, -EINTR.
        /// </summary>
        public long Receive(Span<byte> into, bool nonBlocking)
        {
            if (into.Length < MaximumMessageSize) return -Abi.Errno.EMSGSIZE;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long result;
            while (true)
            {
                if (_count > 0)
                {
                    int length = _lengths[_oldest];
                    new ReadOnlySpan<byte>(_slots, _oldest * MaximumMessageSize, length).CopyTo(into);
                    _oldest = (_oldest + 1) % MaximumMessages;
                    _count--;
                    Scheduler.WakeAllLocked(_canSend);
                    result = length;
                    break;
                }
                if (nonBlocking) { result = -Abi.Errno.EAGAIN; break; }
                if (Killed) { result = -Abi.Errno.EINTR; break; }
                Scheduler.WaitLocked(_canReceive);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        /// <summary>Returns the queue's memory: called once, by its namespace, when the last reference is gone.</summary>
        internal void Free()
        {
            Mem.KernelHeap.Free(_slots);
            Mem.KernelHeap.Free(_lengths);
            Mem.KernelHeap.Free(_canReceive);
            Mem.KernelHeap.Free(_canSend);
            Mem.KernelHeap.Free(Name);
            Mem.KernelHeap.Free(this);
        }

        private static bool Killed => Scheduler.IsKilled(Scheduler.Current);
    }
}
