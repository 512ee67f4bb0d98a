using System.Threading;

// The kernel files these tests link (Fs/Permissions/Credentials.cs, UserNamespace.cs) free their objects
// on the kernel heap and guard shared counts with the kernel's spin lock. On the host the garbage
// collector frees, so Free has nothing to do, and the lock is a real one built on .NET's atomics: the
// tests that share a namespace between threads still need one holder at a time.

namespace Mem
{
    internal static class KernelHeap
    {
        public static void Free(object obj) { }
    }
}

namespace Sync
{
    internal struct SpinLock
    {
        private int _locked;

        /// <summary>As the kernel's: returns whether interrupts were on (on the host, never).</summary>
        public bool Acquire()
        {
            while (Interlocked.Exchange(ref _locked, 1) != 0) Thread.SpinWait(1);
            return false;
        }

        public void Release(bool interruptsWereOn) => Volatile.Write(ref _locked, 0);
    }
}
