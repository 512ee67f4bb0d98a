using Abi;

namespace Fs
{
    /// <summary>
    /// Keeps a truncation inside the log's promise of Log.MaximumOperationBlocks blocks per operation.
    /// Freeing a block writes its bitmap block, and clearing its address writes the indirect block
    /// that holds it; a large file's blocks lie under hundreds of indirect blocks (a 64 MiB file has
    /// 257) and may span many bitmap blocks. So the truncation counts the distinct blocks it has
    /// written in this operation, and before it would exceed <see cref="BlocksPerOperation"/> it
    /// ends the operation and begins a new one.
    ///
    /// Each operation leaves a consistent disk: blocks are freed from the end of the file toward its
    /// start, each address cleared in the same operation as its bit, and the inode's Size cut to
    /// below the lowest freed block before the commit. A crash in between leaves a shorter file (or,
    /// for the last Put of an unlinked file, an inode with no links, which the next mount frees:
    /// Fs/OrphanInodes.cs): never a block both free and in use.
    ///
    /// The promise: the caller's operation has written at most 3 blocks before the truncation (unlink:
    /// the directory block, the directory's inode, the inode), the truncation writes the inode and at
    /// most <see cref="BlocksPerOperation"/> others: 3 + 1 + 6 = 10.
    /// A struct, passed by reference: a truncation allocates nothing.
    /// </summary>
    public unsafe struct TruncationBudget
    {
        public const int BlocksPerOperation = Log.MaximumOperationBlocks - 4;

        private readonly Inode _inode;
        private fixed uint _written[BlocksPerOperation];
        private int _used;
        private long _lowestFreed;

        /// <summary>Operations begun again so far (a large file's truncation takes several).</summary>
        public int Renewals { get; private set; }

        public TruncationBudget(Inode inode)
        {
            _inode = inode;
            _used = 0;
            _lowestFreed = long.MaxValue;
            Renewals = 0;
        }

        /// <summary>
        /// Call before freeing <paramref name="address"/>, whose address is held in indirect block
        /// <paramref name="parent"/> (0: in the inode itself) and which holds file block
        /// <paramref name="fileBlock"/> (or, for an indirect block, the first file block it covers).
        /// True: free it. False: the operation was committed and a new one begun, the inode unlocked
        /// and locked again meanwhile: read what you need again and retry.
        /// </summary>
        [TeachOS.Boundary.MayBlock]
        public bool BeforeFreeing(uint address, uint parent, long fileBlock)
        {
            uint bitmapBlock = BlockAllocator.BitmapBlockOf(address);
            bool bitmapNew = !Written(bitmapBlock), parentNew = parent != 0 && !Written(parent);
            int needed = (bitmapNew ? 1 : 0) + (parentNew ? 1 : 0);
            if (_used + needed <= BlocksPerOperation)
            {
                if (bitmapNew) _written[_used++] = bitmapBlock;
                if (parentNew) _written[_used++] = parent;
                if (fileBlock < _lowestFreed) _lowestFreed = fileBlock;
                return true;
            }
            // Full: commit what is freed so far as a shorter file, and go on in a new operation. The
            // inode is unlocked across the commit, because another operation may be waiting for its
            // lock, and the commit waits for every open operation to end.
            ulong freedFrom = (ulong)_lowestFreed * DiskFormat.BlockSize;
            if (_lowestFreed != long.MaxValue && _inode.Size > freedFrom) _inode.Size = freedFrom;
            InodeCache.Update(_inode);
            InodeCache.Unlock(_inode);
            Log.EndOperation();
            Log.BeginOperation();
            InodeCache.Lock(_inode);
            _used = 0;
            Renewals++;
            return false;
        }

        private bool Written(uint block)
        {
            for (int i = 0; i < _used; i++)
                if (_written[i] == block) return true;
            return false;
        }
    }
}
