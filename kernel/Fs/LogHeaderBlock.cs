using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The log's header block as bytes (abi/DiskFormat.cs, DiskLogHeader): Count, then the home
    /// address of each logged block, little-endian words. Written by the log at commit, read by
    /// recovery at mount.
    /// </summary>
    public static unsafe class LogHeaderBlock
    {
        public static void Store(Span<byte> block, int count, uint[] homes)
        {
            block.Clear();
            fixed (byte* bytes = block)
            {
                var header = (DiskLogHeader*)bytes;
                header->Count = (uint)count;
                for (int i = 0; i < count; i++) header->Blocks[i] = homes[i];
            }
        }

        /// <summary>The header's count, and its first <paramref name="homes"/>.Length addresses copied into <paramref name="homes"/>.</summary>
        public static uint Load(ReadOnlySpan<byte> block, uint[] homes)
        {
            fixed (byte* bytes = block)
            {
                var header = (DiskLogHeader*)bytes;
                for (int i = 0; i < homes.Length && i < DiskLogHeader.MaximumBlocks; i++) homes[i] = header->Blocks[i];
                return header->Count;
            }
        }
    }
}
