namespace Sched
{
    /// <summary>
    /// First in, first out: the order of round-robin scheduling. A thread that becomes ready goes to
    /// the back; the scheduler takes from the front. A fixed ring of slots (grown when full), so that
    /// adding and taking never allocate in the common case. Pure logic: tested on the host.
    /// The caller holds the scheduler lock.
    /// </summary>
    public sealed class RunQueue<T> where T : class
    {
        private T[] _slots;
        private int _head;
        private int _count;

        public RunQueue(int capacity = 64) => _slots = new T[capacity];

        public int Count => _count;

        public void Enqueue(T item)
        {
            if (_count == _slots.Length) Grow();
            _slots[(_head + _count) % _slots.Length] = item;
            _count++;
        }

        public T Dequeue()
        {
            if (_count == 0) return null;
            T item = _slots[_head];
            _slots[_head] = null;
            _head = (_head + 1) % _slots.Length;
            _count--;
            return item;
        }

        /// <summary>Removes <paramref name="item"/> wherever it is (a killed thread leaving the queue).</summary>
        public bool Remove(T item)
        {
            for (int i = 0; i < _count; i++)
            {
                int at = (_head + i) % _slots.Length;
                if (_slots[at] != item) continue;
                for (int j = i; j < _count - 1; j++)
                    _slots[(_head + j) % _slots.Length] = _slots[(_head + j + 1) % _slots.Length];
                _slots[(_head + _count - 1) % _slots.Length] = null;
                _count--;
                return true;
            }
            return false;
        }

        public bool Contains(T item)
        {
            for (int i = 0; i < _count; i++)
                if (_slots[(_head + i) % _slots.Length] == item) return true;
            return false;
        }

        public T Peek(int index) => index < _count ? _slots[(_head + index) % _slots.Length] : null;

        private void Grow()
        {
            var larger = new T[_slots.Length * 2];
            for (int i = 0; i < _count; i++) larger[i] = _slots[(_head + i) % _slots.Length];
            _slots = larger;
            _head = 0;
        }
    }
}
