using System;

namespace Fs
{
    /// <summary>/dev/null: every write succeeds and is forgotten; every read is at the end of the file.</summary>
    public sealed class NullDevice : DeviceNode
    {
        public NullDevice(ulong inode) : base(inode) { }

        public override long ReadAt(long offset, Span<byte> destination) => 0;

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => source.Length;
    }
}
