using TeachOS.Boundary;

namespace Sched
{
    /// <summary>
    /// A lock whose waiters sleep instead of spinning (xv6's sleeplock), for work that takes long or must
    /// wait for other CPUs while it holds the lock: a process's memory changes, which map thousands of
    /// pages and send TLB shootdowns. A spin lock cannot be held there: it turns interrupts off, and a
    /// CPU spinning for it with interrupts off could never answer the holder's shootdown.
    /// Acquire it with no spin lock held (it may block); the holder may be switched out, and may take
    /// spin locks inside it. It is not reentrant: a thread that holds it must not take it again.
    /// </summary>
    public sealed class SleepLock
    {
        private Thread _holder;
        private readonly WaitQueue _waiters;

        public SleepLock(string name) => _waiters = new WaitQueue(name);

        [MayBlock]
        public void Acquire()
        {
            Thread self = Scheduler.Current;
            bool flags = Scheduler.ThreadStateLock.Acquire();
            while (_holder != null)
            {
                if (_holder == self) Diagnostics.Panic.Halt("SleepLock.Acquire: the thread holds it already");
                Scheduler.WaitLocked(_waiters);     // a kill wakes us too: we look again and wait again
            }
            _holder = self;
            Scheduler.ThreadStateLock.Release(flags);
        }

        public void Release()
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (_holder != Scheduler.Current) Diagnostics.Panic.Halt("SleepLock.Release: the thread does not hold it");
            _holder = null;
            Scheduler.WakeAllLocked(_waiters);
            Scheduler.ThreadStateLock.Release(flags);
        }

        public bool IsHeldByCurrentThread => _holder == Scheduler.Current;

        /// <summary>Gives back the lock's memory when its owner (a process) is freed; nobody may hold it.</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_waiters);
            Mem.KernelHeap.Free(this);
        }
    }
}
