using System;
using Sync;

namespace Namespaces
{
    /// <summary>
    /// A UTS namespace: the host name (Linux's `struct uts_namespace`, named after the utsname that uname
    /// returns). Processes sharing it see one name; unshare(NamespaceFlags.Uts) gives the caller a copy it may
    /// change without the rest of the system noticing: a container's `hostname web1` stays inside it. A new
    /// namespace starts with its parent's name, as on Linux.
    ///
    /// Lifetime: counted by the namespace sets that use it (NamespaceSet.cs); the last one frees it.
    /// Lock: <see cref="s_lock"/> for the name and the count; nothing is allocated or freed under it.
    /// </summary>
    public sealed class UtsNamespace
    {
        /// <summary>Linux's HOST_NAME_MAX: longer names are -EINVAL.</summary>
        public const int MaximumHostName = 64;

        private const string InitialHostName = "teachos";

        private readonly byte[] _name = new byte[MaximumHostName];
        private int _length;
        private int _references = 1;

        private static SpinLock s_lock;

        private UtsNamespace() { }

        /// <summary>The initial namespace's, named "teachos".</summary>
        public static UtsNamespace CreateInitial()
        {
            var made = new UtsNamespace();
            for (int i = 0; i < InitialHostName.Length; i++) made._name[i] = (byte)InitialHostName[i];
            made._length = InitialHostName.Length;
            return made;
        }

        /// <summary>A new namespace with this one's name (unshare).</summary>
        public UtsNamespace Copy()
        {
            var made = new UtsNamespace();
            bool flags = s_lock.Acquire();
            for (int i = 0; i < _length; i++) made._name[i] = _name[i];
            made._length = _length;
            s_lock.Release(flags);
            return made;
        }

        public UtsNamespace Hold()
        {
            bool flags = s_lock.Acquire();
            _references++;
            s_lock.Release(flags);
            return this;
        }

        public void Release()
        {
            bool flags = s_lock.Acquire();
            bool gone = --_references == 0;
            s_lock.Release(flags);
            if (!gone) return;
            Mem.KernelHeap.Free(_name);
            Mem.KernelHeap.Free(this);
        }

        /// <summary>Copies the name into <paramref name="into"/> (at most its length); returns the name's whole length.</summary>
        public int ReadHostName(Span<byte> into)
        {
            bool flags = s_lock.Acquire();
            int length = _length;
            for (int i = 0; i < length && i < into.Length; i++) into[i] = _name[i];
            s_lock.Release(flags);
            return length;
        }

        /// <summary>Replaces the name (the caller checked its length against <see cref="MaximumHostName"/>).</summary>
        public void WriteHostName(ReadOnlySpan<byte> name)
        {
            bool flags = s_lock.Acquire();
            for (int i = 0; i < name.Length; i++) _name[i] = name[i];
            _length = name.Length;
            s_lock.Release(flags);
        }
    }
}
