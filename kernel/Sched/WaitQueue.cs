namespace Sched
{
    /// <summary>
    /// Threads waiting for the same event: a key press, a child's exit, data in a pipe, a thread's end.
    /// The waiter checks its condition and blocks while holding Scheduler.ThreadStateLock, and whoever
    /// makes the condition true wakes the queue while holding the same lock: so no wake-up can slip in between
    /// "the pipe is empty" and "I am asleep" and be lost.
    /// The queue is a list threaded through the waiting threads themselves (Thread.NextWaiter): a
    /// thread waits on one queue at a time, so waiting never needs to allocate.
    /// </summary>
    public sealed class WaitQueue
    {
        public readonly string Name;
        private Thread _first, _last;
        public int Count { get; private set; }

        public WaitQueue(string name) => Name = name;

        internal void Add(Thread thread)
        {
            thread.NextWaiter = null;
            if (_last == null) _first = thread; else _last.NextWaiter = thread;
            _last = thread;
            Count++;
        }

        internal Thread TakeFirst()
        {
            Thread thread = _first;
            if (thread == null) return null;
            _first = thread.NextWaiter;
            if (_first == null) _last = null;
            thread.NextWaiter = null;
            Count--;
            return thread;
        }

        internal bool Remove(Thread thread)
        {
            Thread previous = null;
            for (Thread at = _first; at != null; previous = at, at = at.NextWaiter)
            {
                if (at != thread) continue;
                if (previous == null) _first = at.NextWaiter; else previous.NextWaiter = at.NextWaiter;
                if (_last == at) _last = previous;
                at.NextWaiter = null;
                Count--;
                return true;
            }
            return false;
        }
    }
}
