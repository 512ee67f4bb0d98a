using Sync;

namespace Fs
{
    /// <summary>
    /// A process's open files, by descriptor number (0 stdin, 1 stdout, 2 stderr, ...). Threads of one
    /// process may use it on several CPUs at once, so it has a lock, and <see cref="Acquire"/> hands out
    /// a reference: a file another thread closes meanwhile stays alive until this one calls Release.
    /// </summary>
    public sealed class FileTable
    {
        public const int Size = 32;
        private readonly OpenFile[] _files = new OpenFile[Size];
        private SpinLock _lock;

        /// <summary>The file behind <paramref name="descriptor"/>, with a reference for the caller (Release it), or null.</summary>
        public OpenFile Acquire(int descriptor)
        {
            if (descriptor < 0 || descriptor >= Size) return null;
            bool flags = _lock.Acquire();
            OpenFile file = _files[descriptor];
            file?.AddReference();
            _lock.Release(flags);
            return file;
        }

        /// <summary>
        /// umount's question (Fs/Vfs/MountOperations.cs): is a file of <paramref name="volume"/> open here? Taken
        /// under Scheduler.ThreadStateLock (Proc/ProcessMounts.cs): nothing but this lock is taken inside.
        /// </summary>
        public bool AnyOn(Volume volume)
        {
            bool found = false;
            bool flags = _lock.Acquire();
            for (int i = 0; i < Size && !found; i++)
                if (_files[i]?.Node != null && _files[i].Node.Volume == volume) found = true;
            _lock.Release(flags);
            return found;
        }

        /// <summary>Puts <paramref name="file"/> in the lowest free slot; -1 if the table is full.</summary>
        public int Add(OpenFile file)
        {
            bool flags = _lock.Acquire();
            int descriptor = -1;
            for (int i = 0; i < Size; i++)
            {
                if (_files[i] != null) continue;
                _files[i] = file;
                descriptor = i;
                break;
            }
            _lock.Release(flags);
            return descriptor;
        }

        /// <summary>Makes <paramref name="descriptor"/> refer to <paramref name="file"/>, closing what was there.</summary>
        public void Set(int descriptor, OpenFile file)
        {
            file?.AddReference();
            bool flags = _lock.Acquire();
            OpenFile old = _files[descriptor];
            _files[descriptor] = file;
            _lock.Release(flags);
            old?.Release();                              // outside the lock: closing a pipe end may wake threads
        }

        public bool Close(int descriptor)
        {
            if (descriptor < 0 || descriptor >= Size) return false;
            bool flags = _lock.Acquire();
            OpenFile file = _files[descriptor];
            _files[descriptor] = null;
            _lock.Release(flags);
            file?.Release();
            return file != null;
        }

        /// <summary>
        /// fork's copy of the table: the same files under the same numbers, each with one more reference.
        /// The open files themselves are shared, not copied, so parent and child share each file's offset
        /// (a read in one moves it for the other), as on Unix.
        /// </summary>
        public FileTable Copy()
        {
            var copy = new FileTable();
            bool flags = _lock.Acquire();
            for (int i = 0; i < Size; i++)
            {
                copy._files[i] = _files[i];
                _files[i]?.AddReference();
            }
            _lock.Release(flags);
            return copy;
        }

        public void CloseAll()
        {
            for (int i = 0; i < Size; i++) Close(i);
        }

        /// <summary>Returns the table's memory (after CloseAll).</summary>
        public void Free()
        {
            Mem.KernelHeap.Free(_files);
            Mem.KernelHeap.Free(this);
        }
    }
}
