using Abi;
using Arch.X64;
using Drivers;
using Terminal;
using Time;

namespace Fs
{
    /// <summary>
    /// The file system on the disk, mounted at <see cref="MountPoint"/> while the initrd's RAM file
    /// system stays at "/". The choice: the programs boot from the initrd (GRUB hands it over with the
    /// kernel, and the shell, /bin and /etc must be there before any driver runs), and the disk holds
    /// what must survive a reboot. A student's files go under /disk.
    ///
    /// Mount, in order: start the buffer cache on the device; read the superblock and refuse a disk
    /// whose numbers do not add up (a wrong magic, a version this kernel does not read, regions out of
    /// order or past the device's end), with one clear line and no panic; run the log's recovery
    /// (Fs/LogRecovery.cs), which finishes an operation a crash cut short; then the log and the inode
    /// cache; check that inode 1 is a directory, the root; finally free the inodes a crash left with
    /// no name (Fs/OrphanInodes.cs).
    /// </summary>
    public static unsafe class DiskFileSystem
    {
        public const string MountPoint = "/disk";

        /// <summary>The superblock of the mounted disk (read once: nothing changes it while mounted).</summary>
        public static DiskSuperblock Superblock { get; private set; }

        public static bool Mounted { get; private set; }

        /// <summary>
        /// At boot, after the initrd: mounts the disk <paramref name="device"/> (null: none attached) at
        /// <see cref="MountPoint"/>, making that directory in the RAM file system first. A disk that
        /// cannot be mounted leaves the RAM file system alone, with the reason on the console.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public static void MountAtBoot(BlockDevice device)
        {
            if (device == null || !Mount(device)) return;
            int made = PathOperations.MakeDirectory(Credentials.Kernel, Mounts.Root, MountPoint);
            int error = made == -Errno.EEXIST ? 0 : made;
            if (error == 0) error = Mounts.Mount(MountPoint, DiskVolume.Instance);
            if (error < 0) Console.WriteLine($"disk: not mounted: {MountPoint}: {Errno.Name(-error)}");
        }

        /// <summary>Mounts the file system on <paramref name="device"/>; false (after saying why) if it cannot.</summary>
        [TeachOS.Boundary.MayBlock]
        public static bool Mount(BlockDevice device)
        {
            BufferCache.Initialize(device);
            Buffer buffer = BufferCache.Read(DiskFormat.SuperblockNumber);
            DiskSuperblock superblock;
            fixed (byte* bytes = buffer.Data) superblock = *(DiskSuperblock*)bytes;
            BufferCache.Release(buffer);
            if (!SuperblockIsSound(superblock, device.BlockCount)) return false;
            Superblock = superblock;

            // Timed with the time-stamp counter (calibrated against the PIT before any disk is found):
            // the figure `make bench` reports as a cold boot's recovery time.
            ulong recoveryStart = Cpu.ReadTimestamp();
            if (!LogRecovery.Recover(superblock, out int recovered)) return false;
            ulong recoveryCycles = Cpu.ReadTimestamp() - recoveryStart;
            if (recovered > 0 && Clock.TimestampHertz > 0)
                Console.WriteLine($"disk: recovered {recovered} blocks in {recoveryCycles * 1000000 / Clock.TimestampHertz} us");
            Log.Initialize(superblock);
            InodeCache.Initialize();

            Inode root = InodeCache.Get(DiskFormat.RootInode);
            InodeCache.Lock(root);
            bool rootIsDirectory = root.IsDirectory && !root.Corrupt;
            InodeCache.Unlock(root);
            Log.BeginOperation();
            InodeCache.Put(root);
            Log.EndOperation();
            if (!rootIsDirectory)
            {
                Console.WriteLine($"disk: not mounted: inode {DiskFormat.RootInode} (the root) is not a directory");
                return false;
            }
            OrphanInodes.Free();

            Mounted = true;
            string recovery = recovered > 0 ? "recovered a committed operation of " : "log clean, ";
            Console.WriteLine($"disk: mounted at {MountPoint}: {superblock.Size} blocks, {superblock.InodeCount} inodes, " +
                $"{recovery}{recovered} blocks; {BufferCache.Capacity} buffers, at most {Log.Capacity} blocks a commit");
            return true;
        }

        // The checks fsck's SuperblockChecks makes, enough that every later block number is trusted.
        private static bool SuperblockIsSound(in DiskSuperblock s, ulong deviceBlocks)
        {
            if (s.Magic != DiskFormat.Magic)
                { Console.WriteLine($"disk: not mounted: bad superblock magic 0x{s.Magic:x8} (a TeachOS disk has 0x{DiskFormat.Magic:x8}: run mkfs)"); return false; }
            if (s.Version != DiskFormat.Version)
                { Console.WriteLine($"disk: not mounted: superblock version {s.Version}, this kernel reads version {DiskFormat.Version}"); return false; }
            if (s.Size > deviceBlocks)
                { Console.WriteLine($"disk: not mounted: the superblock says {s.Size} blocks, the device has {deviceBlocks}"); return false; }
            // In 64 bits: a corrupt count near 2^32 must not wrap round to a small region.
            ulong inodeBlocks = ((ulong)s.InodeCount + DiskFormat.InodesPerBlock - 1) / DiskFormat.InodesPerBlock;
            ulong bitmapBlocks = ((ulong)s.Size + DiskFormat.BitsPerBlock - 1) / DiskFormat.BitsPerBlock;
            bool ordered = s.LogStart > DiskFormat.SuperblockNumber
                && (ulong)s.LogStart + s.LogBlocks <= s.InodeStart
                && (ulong)s.InodeStart + inodeBlocks <= s.BitmapStart
                && (ulong)s.BitmapStart + bitmapBlocks <= s.DataStart
                && s.DataStart < s.Size && s.InodeCount > DiskFormat.RootInode;
            if (!ordered)
                { Console.WriteLine($"disk: not mounted: the superblock's regions do not add up (log {s.LogStart}+{s.LogBlocks}, inodes {s.InodeStart} for {s.InodeCount}, bitmap {s.BitmapStart}, data {s.DataStart}, size {s.Size})"); return false; }
            if (Log.CapacityOf(s) < Log.MaximumOperationBlocks)
                { Console.WriteLine($"disk: not mounted: a log of {s.LogBlocks} blocks cannot hold one operation ({Log.MaximumOperationBlocks} blocks and the header)"); return false; }
            return true;
        }
    }
}
