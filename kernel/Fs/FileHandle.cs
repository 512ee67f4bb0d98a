using System;

namespace Fs
{
    /// <summary>An open file of the RAM file system: a node, a position, and what this descriptor may do.</summary>
    public sealed class FileHandle : OpenFile
    {
        private readonly RamNode _node;
        private readonly bool _readable, _writable, _append;
        private long _position;

        public FileHandle(RamNode node, bool readable, bool writable, bool append)
        {
            _node = node;
            _readable = readable;
            _writable = writable;
            _append = append;
        }

        public override FileKind Kind => FileKind.File;

        public override long Size => _node.Length;

        public override long Read(Span<byte> buffer)
        {
            if (!_readable) return -Abi.Errno.EBADF;
            bool flags = FileSystem.Lock.Acquire();
            int count = _node.ReadAt(_position, buffer);
            _position += count;
            FileSystem.Lock.Release(flags);
            return count;
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (!_writable) return -Abi.Errno.EBADF;
            bool flags = FileSystem.Lock.Acquire();
            if (_append) _position = _node.Length;
            long written = _node.WriteAt(_position, data);      // fewer bytes, or -ENOSPC, when full
            if (written > 0) _position += written;
            FileSystem.Lock.Release(flags);
            return written;
        }
    }

    /// <summary>An open directory: readable only through readdir.</summary>
    public sealed class DirectoryHandle : OpenFile
    {
        public readonly RamNode Node;

        public DirectoryHandle(RamNode node) => Node = node;

        public override FileKind Kind => FileKind.Directory;

        public override long Size => Node.ChildCount;

        public override long Read(Span<byte> buffer) => -Abi.Errno.EISDIR;

        public override long Write(ReadOnlySpan<byte> data) => -Abi.Errno.EISDIR;
    }
}
