using Mem;

namespace Sched
{
    /// <summary>
    /// Every thread that exists, whatever its state: running, ready, blocked, or a zombie not yet
    /// joined. ps lists them (the threadinfo syscall walks this table by index), kill and thread_join
    /// find threads here by id, and a process's threads are found here when it is killed or reaped.
    /// Lock: <see cref="Scheduler.ThreadStateLock"/>, because threads come and go on every CPU.
    /// </summary>
    public static class ThreadTable
    {
        private static Thread[] s_threads = new Thread[InitialSize];
        private static int s_count;

        public static int Count => s_count;

        /// <summary>The index-th thread; an index past the end gives null.</summary>
        public static Thread At(int index) => index < s_count ? s_threads[index] : null;

        /// <summary>The thread with this id, or null.</summary>
        public static Thread FindLocked(int id)
        {
            for (int i = 0; i < s_count; i++)
                if (s_threads[i].Id == id) return s_threads[i];
            return null;
        }

        /// <summary>Adds a new thread; the table doubles when full (so: thread context only, never an interrupt handler).</summary>
        public static void AddLocked(Thread thread)
        {
            if (s_count == s_threads.Length)
            {
                Thread[] larger = new Thread[s_threads.Length * 2];
                for (int i = 0; i < s_count; i++) larger[i] = s_threads[i];
                KernelHeap.Free(s_threads);
                s_threads = larger;
            }
            s_threads[s_count++] = thread;
        }

        private const int InitialSize = 256;

        // Halves the table when a quarter full, so that a burst of threads leaves no memory behind.
        private static void ShrinkWhenMostlyEmpty()
        {
            if (s_threads.Length <= InitialSize || s_count > s_threads.Length / 4) return;
            Thread[] smaller = new Thread[s_threads.Length / 2];
            for (int i = 0; i < s_count; i++) smaller[i] = s_threads[i];
            KernelHeap.Free(s_threads);
            s_threads = smaller;
        }

        /// <summary>Takes a thread out (the last one moves into its slot: order is not kept).</summary>
        public static void RemoveLocked(Thread thread)
        {
            for (int i = 0; i < s_count; i++)
            {
                if (s_threads[i] != thread) continue;
                s_threads[i] = s_threads[--s_count];
                s_threads[s_count] = null;
                ShrinkWhenMostlyEmpty();
                return;
            }
        }
    }
}
