using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sched
{
    /// <summary>
    /// First in, first out: the order of round-robin scheduling. A thread that becomes ready goes to
    /// the back; the scheduler takes from the front. A ring of slots that only <see cref="Reserve"/>
    /// enlarges: adding and taking never allocate, because the timer interrupt adds woken sleepers
    /// and an interrupt handler must not allocate (docs/analyzers/TOS0004.md). The scheduler reserves
    /// room for every thread in every queue when a thread is created, so a queue is never full.
    /// Pure logic: tested on the host. The caller holds the scheduler lock.
    /// </summary>
    public sealed class RunQueue<T> where T : class
    {
        /// <summary>
        /// One place in the ring. A struct around the reference, not a plain T[]: C# arrays of a class
        /// are covariant (a Thread[] may really be an array of a subclass), so every store into a T[]
        /// calls the runtime's StelemRef to check the element's type, 25 instructions on every enqueue.
        /// An array of structs has no such check, and the queue's code is shared by every T.
        /// </summary>
        public struct Slot
        {
            public T Item;
        }

        private Slot[] _slots;
        private int _head;
        private int _count;

        private readonly int _initialCapacity;

        public RunQueue(int capacity = 64)
        {
            _slots = new Slot[capacity];
            _initialCapacity = capacity;
        }

        public int Count => _count;
        public int Capacity => _slots.Length;

        /// <summary>Adds at the back; false (and nothing added) if the queue is full.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]     // every switch adds and takes one: no call for either
        public bool TryEnqueue(T item)
        {
            Slot[] slots = _slots;                        // a local: see Wrap
            if (_count == slots.Length) return false;
            ref T place = ref slots[(int)((uint)(_head + _count) % (uint)slots.Length)].Item;
#if TEACHOS_KERNEL
            // Stored as the reference's bits, with no write barrier. A barrier tells a garbage
            // collector that an old object now points at a young one; the kernel has no collector,
            // and its barrier (RhpAssignRef, runtime/Internal/Runtime/Allocator.cs) is that same
            // plain store reached by a call: 3 instructions saved on every yield. The host tests run
            // this file under .NET's real collector, which needs the barrier: they take the #else.
            Unsafe.As<T, nint>(ref place) = Unsafe.As<T, nint>(ref item);
#else
            place = item;
#endif
            _count++;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Dequeue()
        {
            if (_count == 0) return null;
            // The fields in locals, read once: after the store into the slot below, the compiler would
            // otherwise read them again (it cannot tell that the store does not change them).
            Slot[] slots = _slots;
            uint length = (uint)slots.Length;             // (reading it is also the array's null check)
            int head = _head;
            // No bounds check: _head is always a wrapped position, below the array's length (the
            // constructor, Reserve and Shrink set it to 0; Dequeue wraps it). The compiler cannot know
            // that, and would test it on every switch (2 instructions).
            ref Slot place = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), head);
            T item = place.Item;
            place.Item = null;
            _head = Wrap(head + 1, length);
            _count--;
            return item;
        }

        /// <summary>
        /// A position in the ring, wrapped. Unsigned: the compiler then knows that the remainder of a
        /// division by an array's length (read into a local, so that it knows it is the same array)
        /// is below that length, and drops the bounds check of the index (2 instructions of each
        /// enqueue); a signed % could in its view be negative. Positions are never negative, so the
        /// two agree.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Wrap(int position, uint length) => (int)((uint)position % length);

        /// <summary>Removes <paramref name="item"/> wherever it is (a killed thread leaving the queue).</summary>
        public bool Remove(T item)
        {
            for (int i = 0; i < _count; i++)
            {
                int at = (_head + i) % _slots.Length;
                if (_slots[at].Item != item) continue;
                for (int j = i; j < _count - 1; j++)
                    _slots[(_head + j) % _slots.Length] = _slots[(_head + j + 1) % _slots.Length];
                _slots[(_head + _count - 1) % _slots.Length].Item = null;
                _count--;
                return true;
            }
            return false;
        }

        public bool Contains(T item)
        {
            for (int i = 0; i < _count; i++)
                if (_slots[(_head + i) % _slots.Length].Item == item) return true;
            return false;
        }

        public T Peek(int index) => index < _count ? _slots[(_head + index) % _slots.Length].Item : null;

        /// <summary>
        /// Makes room for at least <paramref name="capacity"/> items (doubling, so that reserving one
        /// more each time stays cheap). It may allocate: call it from thread context, never from an
        /// interrupt handler. Returns the array it replaced (or null), for the caller to free.
        /// </summary>
        public Slot[] Reserve(int capacity)
        {
            if (capacity <= _slots.Length) return null;
            int size = _slots.Length;
            while (size < capacity) size *= 2;
            var larger = new Slot[size];
            for (int i = 0; i < _count; i++) larger[i] = _slots[(_head + i) % _slots.Length];
            Slot[] old = _slots;
            _slots = larger;
            _head = 0;
            return old;
        }

        /// <summary>
        /// Halves the ring when at most a quarter of it could still be needed (<paramref name="capacity"/>
        /// items), never below its first size: after a burst of threads, the memory goes back. Returns
        /// the array it replaced (or null), for the caller to free. Thread context, like Reserve.
        /// </summary>
        public Slot[] Shrink(int capacity)
        {
            if (_slots.Length <= _initialCapacity || capacity > _slots.Length / 4 || _count > capacity) return null;
            var smaller = new Slot[_slots.Length / 2];
            for (int i = 0; i < _count; i++) smaller[i] = _slots[(_head + i) % _slots.Length];
            Slot[] old = _slots;
            _slots = smaller;
            _head = 0;
            return old;
        }
    }
}
