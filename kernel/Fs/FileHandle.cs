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
            long available = _node.Length - _position;
            int count = (int)(available < buffer.Length ? available : buffer.Length);
            if (count > 0)
            {
                new ReadOnlySpan<byte>(_node.Data, (int)_position, count).CopyTo(buffer);
                _position += count;
            }
            FileSystem.Lock.Release(flags);
            return count > 0 ? count : 0;
        }

        public override long Write(ReadOnlySpan<byte> data)
        {
            if (!_writable) return -Abi.Errno.EBADF;
            bool flags = FileSystem.Lock.Acquire();
            if (_append) _position = _node.Length;
            _node.EnsureCapacity(_position + data.Length);
            data.CopyTo(new Span<byte>(_node.Data, (int)_position, data.Length));
            _position += data.Length;
            if (_position > _node.Length) _node.Length = _position;
            _node.Version++;
            FileSystem.Lock.Release(flags);
            return data.Length;
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
