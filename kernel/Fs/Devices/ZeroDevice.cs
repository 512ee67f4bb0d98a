using System;

namespace Fs
{
    /// <summary>
    /// /dev/zero: a read fills the whole buffer it is given with zeros and never reaches an end; writes
    /// are forgotten, as /dev/null's are. The buffer is the caller's (read's chunk on the kernel stack:
    /// Syscalls/FileSyscalls.cs), so a read of a gigabyte costs no more kernel memory than a read of a byte.
    /// </summary>
    public sealed class ZeroDevice : DeviceNode
    {
        public ZeroDevice(ulong inode) : base(inode) { }

        public override long ReadAt(long offset, Span<byte> destination)
        {
            destination.Clear();
            return destination.Length;
        }

        public override long WriteAt(long offset, ReadOnlySpan<byte> source) => source.Length;
    }
}
