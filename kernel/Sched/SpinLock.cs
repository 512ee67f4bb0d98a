using Arch.X64;

namespace Sched
{
    /// <summary>
    /// A lock for data shared between CPUs and with interrupt handlers. Acquiring it turns interrupts
    /// off on this CPU first (an interrupt handler that wanted the same lock would otherwise spin
    /// forever on a CPU that can never release it), then spins until the lock word is ours.
    /// Releasing restores the interrupt state from before. Hold it briefly; never block while holding it.
    ///
    /// The kernel's locks, and the order in which they may be nested (outer first):
    ///   1. Scheduler.Lock    run queue, thread states, wait queues, sleeping threads
    /// Each lock's users say which lock protects what.
    /// </summary>
    public sealed unsafe class SpinLock
    {
        private uint _locked;
        public readonly string Name;

        public SpinLock(string name) => Name = name;

        /// <summary>Takes the lock; returns whether interrupts were on (give it back to Release).</summary>
        public bool Acquire()
        {
            bool interruptsWereOn = Cpu.InterruptsEnabled;
            Cpu.DisableInterrupts();
            fixed (uint* word = &_locked)
                while (Atomic.Exchange(word, 1) != 0) Cpu.Pause();
            return interruptsWereOn;
        }

        public void Release(bool interruptsWereOn)
        {
            fixed (uint* word = &_locked) Atomic.Exchange(word, 0);
            if (interruptsWereOn) Cpu.EnableInterrupts();
        }

        public bool IsHeld => _locked != 0;
    }
}
