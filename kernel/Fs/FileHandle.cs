using System;
using Sched;

namespace Fs
{
    /// <summary>
    /// An open file of any mounted file system: a node (held while the descriptor lives: an unlinked file
    /// stays readable), a position, and what this descriptor may do. Descriptors shared after fork or
    /// dup2 share one handle and so one position; <see cref="_positionLock"/> makes each read or write
    /// use and move it in one step. It is a sleeping lock: a disk node's ReadAt sleeps while it is held.
    /// </summary>
    public sealed class FileHandle : OpenFile
    {
        private readonly VfsNode _node;
        private readonly bool _readable, _writable, _append;
        private readonly SleepLock _positionLock = new SleepLock("file position");
        private long _position;

        /// <summary>A handle on <paramref name="node"/>, which the caller has held: the handle's Close puts it.</summary>
        public FileHandle(VfsNode node, bool readable, bool writable, bool append)
        {
            _node = node;
            _readable = readable;
            _writable = writable;
            _append = append;
        }

        public override FileKind Kind => FileKind.File;

        public override long Size => _node.Status().Size;

        public override VfsNode Node => _node;

        public override long Read(Span<byte> buffer)
        {
            if (!_readable) return -Abi.Errno.EBADF;
            _positionLock.Acquire();
            long count = _node.ReadAt(_position, buffer);
            if (count > 0) _position += count;
            _positionLock.Release();
            return count;
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (!_writable) return -Abi.Errno.EBADF;
            _positionLock.Acquire();
            long written = _append ? _node.Append(data) : _node.WriteAt(_position, data);   // fewer bytes, or -ENOSPC, when full
            if (_append) _position = _node.Status().Size;
            else if (written > 0) _position += written;
            _positionLock.Release();
            return written;
        }

        public override long Seek(long offset, int whence)
        {
            _positionLock.Acquire();
            long from = whence == Abi.SeekFrom.Start ? 0 : whence == Abi.SeekFrom.Current ? _position
                : whence == Abi.SeekFrom.End ? _node.Status().Size : -1;
            long result = from < 0 ? -Abi.Errno.EINVAL
                : offset > 0 && from > long.MaxValue - offset ? -Abi.Errno.EINVAL
                : from + offset < 0 ? -Abi.Errno.EINVAL : from + offset;
            if (result >= 0) _position = result;
            _positionLock.Release();
            return result;
        }

        public override long Truncate(long length) => !_writable ? -Abi.Errno.EINVAL : _node.Truncate(length);

        public override long Sync() => _node.Sync();

        protected override void Closed()
        {
            _node.Put();
            _positionLock.Free();
        }
    }

    /// <summary>An open directory: readable only through readdir. Holds its node, as a FileHandle does.</summary>
    public sealed class DirectoryHandle : OpenFile
    {
        private readonly VfsNode _node;

        public DirectoryHandle(VfsNode node) => _node = node;

        public override FileKind Kind => FileKind.Directory;

        public override long Size => _node.Status().Size;

        public override VfsNode Node => _node;

        public override long Read(Span<byte> buffer) => -Abi.Errno.EISDIR;

        public override long Write(ReadOnlySpan<byte> data) => -Abi.Errno.EISDIR;

        public override long Sync() => _node.Sync();

        protected override void Closed() => _node.Put();
    }
}
