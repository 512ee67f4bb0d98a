using System;

namespace Fs
{
    /// <summary>
    /// An open device file (/dev/null, /dev/zero, /dev/console): reads and writes go straight to the
    /// device's node, with no position (a device's bytes are not at places), so no lock is held while a
    /// console read waits for a line. lseek is -ESPIPE on a terminal and changes nothing elsewhere;
    /// ftruncate and fsync are refused as OpenFile refuses them; mmap refuses anything but a file.
    /// </summary>
    public sealed class DeviceHandle : OpenFile
    {
        private readonly DeviceNode _node;
        private readonly bool _readable, _writable;

        /// <summary>A handle on <paramref name="node"/> (held by the caller: Close puts it).</summary>
        public DeviceHandle(DeviceNode node, bool readable, bool writable)
        {
            _node = node;
            _readable = readable;
            _writable = writable;
        }

        public override FileKind Kind => FileKind.CharacterDevice;

        public override VfsNode Node => _node;

        public override long Read(Span<byte> buffer) => _readable ? _node.ReadAt(0, buffer) : -Abi.Errno.EBADF;

        public override long Write(ReadOnlySpan<byte> data) => _writable ? _node.WriteAt(0, data) : -Abi.Errno.EBADF;

        public override long Seek(long offset, int whence)
        {
            if (_node.IsTerminal) return -Abi.Errno.ESPIPE;
            bool known = whence == Abi.SeekFrom.Start || whence == Abi.SeekFrom.Current || whence == Abi.SeekFrom.End;
            return known ? 0 : -Abi.Errno.EINVAL;
        }

        protected override void Closed() => _node.Put();
    }
}
