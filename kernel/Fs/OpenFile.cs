namespace Fs
{
    /// <summary>
    /// Something a file descriptor refers to: a file or directory of a mounted file system, the console, one end of a
    /// pipe. Descriptors in several processes (after spawn or dup2) can share one OpenFile; it counts
    /// its references and closes for real when the last one goes.
    /// Read and Write return a byte count, or a negative errno (abi/Errno.cs).
    /// </summary>
    public abstract unsafe class OpenFile
    {
        private ulong _references = 1;                  // changed atomically: several CPUs may share the file

        public abstract FileKind Kind { get; }

        public virtual long Read(System.Span<byte> buffer) => -Abi.Errno.EBADF;

        public virtual long Write(System.ReadOnlySpan<byte> data) => -Abi.Errno.EBADF;

        /// <summary>Size in bytes (files), or bytes waiting to be read (pipes, console).</summary>
        public virtual long Size => 0;

        /// <summary>The file-system node behind the descriptor (fstat's link count and inode), or null.</summary>
        public virtual VfsNode Node => null;

        /// <summary>lseek: moves the position (Abi.SeekFrom); the new one. -ESPIPE where there is none (pipes, the console).</summary>
        public virtual long Seek(long offset, int whence) => -Abi.Errno.ESPIPE;

        /// <summary>ftruncate: sets a file's size. -EINVAL for what is not a file open for writing.</summary>
        public virtual long Truncate(long length) => -Abi.Errno.EINVAL;

        /// <summary>fsync: makes the file's changes durable. -EINVAL for what has nothing to sync (pipes, the console).</summary>
        public virtual long Sync() => -Abi.Errno.EINVAL;

        public void AddReference()
        {
            fixed (ulong* count = &_references) Arch.X64.Atomic.Add(count, 1);
        }

        public void Release()
        {
            ulong left;
            fixed (ulong* count = &_references) left = Arch.X64.Atomic.Add(count, ulong.MaxValue);   // minus one
            if (left > 0) return;
            Closed();
            Mem.KernelHeap.Free(this);
        }

        /// <summary>The last reference is gone (a pipe end tells the other end).</summary>
        protected virtual void Closed() { }
    }

    public enum FileKind
    {
        File = 1,
        Directory = 2,
        Console = 3,
        Pipe = 4,
        SymbolicLink = 5,
        CharacterDevice = 6,     // a name in /dev that leads to a driver: its bytes come and go one at a time (Fs/Devices/DeviceNode.cs)
    }
}
