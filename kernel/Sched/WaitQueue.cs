namespace Sched
{
    /// <summary>
    /// Threads waiting for the same event: a key press, a child's exit, data in a pipe, a thread's end.
    /// The waiter checks its condition and blocks while holding Scheduler.Lock, and whoever makes the
    /// condition true wakes the queue while holding the same lock: so no wake-up can slip in between
    /// "the pipe is empty" and "I am asleep" and be lost.
    /// </summary>
    public sealed class WaitQueue
    {
        public readonly string Name;
        internal readonly RunQueue<Thread> Waiters = new RunQueue<Thread>(4);

        public WaitQueue(string name) => Name = name;

        public int Count => Waiters.Count;
    }
}
