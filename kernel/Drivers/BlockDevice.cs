using System;
using Abi;
using TeachOS.Boundary;

namespace Drivers
{
    /// <summary>
    /// A disk as the file system sees it: an array of <see cref="BlockCount"/> blocks of
    /// <see cref="BlockSize"/> bytes (1 KiB, DiskFormat.BlockSize), read and written whole. The buffer
    /// cache (Fs/BufferCache.cs) is its only regular user; <see cref="BlockDevices.Disk"/> is the one
    /// found at boot.
    ///
    /// Each call returns when the device has finished: the calling thread sleeps meanwhile (it may
    /// not hold a spin lock), and another thread may run, or call in too: a device keeps several
    /// requests in flight at once. The result is 0, or -EIO when the block is past the end, the span is
    /// not one block long, or the device reports an error.
    ///
    /// The public methods are the same for every device and do what every device needs: check the
    /// arguments, charge the request to the calling process's control group and hold it to that
    /// group's io.max (Drivers/IoBandwidth.cs), and for the crash explorer record each write and flush (DiskTrace.cs, `disk-trace`)
    /// and stop the machine at a chosen write (DiskCrashPoint.cs, `crash-after-writes=N`). A device
    /// implements the three protected methods.
    /// </summary>
    public abstract class BlockDevice
    {
        public const int BlockSize = DiskFormat.BlockSize;

        /// <summary>What and where the device is, for the boot log: "virtio-blk at 00:04.0".</summary>
        public abstract string Name { get; }

        /// <summary>The device's size in blocks: valid block numbers are 0 to BlockCount - 1.</summary>
        public ulong BlockCount { get; protected set; }

        /// <summary>Reads block <paramref name="block"/> into <paramref name="into"/> (BlockSize bytes).</summary>
        [MayBlock]
        public int Read(ulong block, Span<byte> into)
        {
            if (block >= BlockCount || into.Length != BlockSize) return -Errno.EIO;
            IoBandwidth.ChargeCurrent(write: false, BlockSize);     // io.max: may wait for the caller's group's budget
            return ReadBlock(block, into);
        }

        /// <summary>
        /// Writes <paramref name="from"/> (BlockSize bytes) to block <paramref name="block"/>. When it
        /// returns 0 the device has the data; whether it survives a power failure before the next
        /// <see cref="Flush"/> depends on the device's cache (QEMU's `cache=writethrough`: it does).
        /// </summary>
        [MayBlock]
        public int Write(ulong block, ReadOnlySpan<byte> from)
        {
            if (block >= BlockCount || from.Length != BlockSize) return -Errno.EIO;
            IoBandwidth.ChargeCurrent(write: true, BlockSize);      // io.max: may wait for the caller's group's budget
            DiskCrashPoint.BeforeWrite();           // with crash-after-writes=N, the (N+1)th never returns
            DiskTrace.BeginWrite();                 // with disk-trace, waits while a flush runs
            int result = WriteBlock(block, from);
            DiskTrace.EndWrite(block, from, written: result == 0);
            DiskCrashPoint.AfterWrite();
            return result;
        }

        /// <summary>
        /// Makes every write that finished before this call durable (a cache flush). The file system's
        /// log calls it between writing its blocks and writing the commit record, and after the commit:
        /// that order is what makes a transaction all-or-nothing.
        /// </summary>
        [MayBlock]
        public int Flush()
        {
            DiskTrace.BeginFlush();                 // with disk-trace, waits for the writes in flight
            int result = FlushWrites();
            DiskTrace.EndFlush();
            return result;
        }

        protected abstract int ReadBlock(ulong block, Span<byte> into);
        protected abstract int WriteBlock(ulong block, ReadOnlySpan<byte> from);

        /// <summary>A device without a write cache (or that does not say) writes through: return 0.</summary>
        protected abstract int FlushWrites();
    }
}
