using System;
using Abi;
using TeachOS;

/// <summary>
/// bigfiletest: the test program of the bigfile lab (docs/assignments/bigfile.md), 6.1810's "large
/// files" on TeachOS's disk. The grader boots it with a fresh 2 MiB disk at /disk (checks.sh: part
/// --disk 2). Each part works in files of its own and removes them.
///
/// 6.1810's bigfile writes every one of the 65,803 blocks a double-indirect inode can hold: 64 MiB,
/// more than two minutes under TCG here, for every grading run. This program writes the same range
/// sparsely instead: blocks chosen where the mapping changes (the first and last direct, single- and
/// double-indirect blocks, the first and last block under several single-indirect blocks of the
/// double-indirect one, and block 65,802, the last there is), each with a pattern of its own, so a
/// wrong index, a wrong level or two blocks sharing one disk block shows as a wrong byte. The "dense"
/// part then fills the whole small disk with one file (about 1,760 blocks: past the single-indirect
/// block, through six single-indirect blocks of the double-indirect one) and reads every byte back.
/// </summary>
public static unsafe class BigFileTest
{
    private const int BlockSize = 1024;
    private const long DirectBlocks = 11, PerBlock = 256;
    private const long FirstDouble = DirectBlocks + PerBlock;                    // 267
    private const long MaximumBlocks = FirstDouble + PerBlock * PerBlock;        // 65,803
    private const long MaximumSize = MaximumBlocks * BlockSize;

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "sparse", Body = &SparseFileThroughTheDoubleIndirectBlock },
        new GradePart { Name = "limit", Body = &WritesStopAtTheLargestFile },
        new GradePart { Name = "dense", Body = &FillTheDiskReadBackAndFreeEverything },
    });

    // The byte at `offset` within file block `block`: different for neighbouring blocks and for
    // blocks 256 apart, so a block read from the wrong place is seen.
    private static byte PatternAt(long block, int offset) => (byte)(block * 31 + offset * 7 + (block >> 8) + 1);

    // The blocks the sparse part writes: where the mapping changes level or indirect block.
    private static long[] SampleBlocks()
    {
        var blocks = new long[64];
        int count = 0;
        foreach (long block in new long[] { 0, 1, 10, 11, 12, 265, 266, FirstDouble, FirstDouble + 1, FirstDouble + 255, FirstDouble + 256, FirstDouble + 257 })
            blocks[count++] = block;
        foreach (long outer in new long[] { 2, 100, 254, 255 })
            foreach (long inner in new long[] { 0, 1, 128, 253, 254, 255 })
                blocks[count++] = FirstDouble + outer * PerBlock + inner;     // 255/255 is block 65,802, the last
        var result = new long[count];
        for (int i = 0; i < count; i++) result[i] = blocks[i];
        return result;
    }

    private static long WriteBlock(int descriptor, long block)
    {
        byte[] data = new byte[BlockSize];
        for (int i = 0; i < BlockSize; i++) data[i] = PatternAt(block, i);
        long seek = Sys.Seek(descriptor, block * BlockSize, SeekFrom.Start);
        return seek < 0 ? seek : Sys.Write(descriptor, data);
    }

    // The first offset in `block` whose byte is not the pattern (or not zero, for a hole); -1 if none.
    private static long FirstWrongByte(int descriptor, long block, bool hole)
    {
        byte[] data = new byte[BlockSize];
        if (Sys.Seek(descriptor, block * BlockSize, SeekFrom.Start) < 0) return 0;
        long read = Sys.Read(descriptor, data);
        if (read != BlockSize) return read < 0 ? read : 0;
        for (int i = 0; i < BlockSize; i++)
            if (data[i] != (hole ? 0 : PatternAt(block, i))) return i;
        return -1;
    }

    private static void SparseFileThroughTheDoubleIndirectBlock()
    {
        const string Path = "/disk/bigfile-sparse";
        Sys.Unlink(Path);
        long descriptor = Sys.Open(Path, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) { Grade.Check("sparse-written", false, "open " + Path + " returned " + Grade.Describe(descriptor)); return; }
        int fd = (int)descriptor;
        long[] blocks = SampleBlocks();

        string firstFailure = "";
        foreach (long block in blocks)
        {
            long written = WriteBlock(fd, block);
            if (written != BlockSize && firstFailure.Length == 0) firstFailure = "block " + block + ": write returned " + Grade.Describe(written);
        }
        Grade.Check("sparse-written", firstFailure.Length == 0,
            blocks.Length + " blocks written, one at a time, from block 0 to block " + (MaximumBlocks - 1) + " (the last a file may have)" +
            (firstFailure.Length == 0 ? ": each write returned " + BlockSize : "; the first that failed: " + firstFailure));

        string wrong = "";
        foreach (long block in blocks)
        {
            long at = FirstWrongByte(fd, block, hole: false);
            if (at != -1 && wrong.Length == 0) wrong = "block " + block + " differs at byte " + at + " (read " + Grade.Describe(at < 0 ? at : 0) + ")";
        }
        Grade.Check("sparse-read-back", wrong.Length == 0 && firstFailure.Length == 0,
            wrong.Length == 0 ? "every written block read back with its own pattern" : wrong);

        string notZero = "";
        foreach (long hole in new long[] { 5, 100, FirstDouble + 2, FirstDouble + 50 * PerBlock + 3, FirstDouble + 255 * PerBlock + 100 })
        {
            long at = FirstWrongByte(fd, hole, hole: true);
            if (at != -1 && notZero.Length == 0) notZero = "block " + hole + " (never written) is not all zeros at byte " + at;
        }
        Grade.Check("holes-read-zero", notZero.Length == 0 && firstFailure.Length == 0,
            notZero.Length == 0 ? "five blocks never written, between the samples, read as zeros" : notZero);

        Sys.PathStatus(Path, out FileStatus status);
        Grade.Check("sparse-size", status.Size == MaximumSize,
            "stat says " + status.Size + " bytes; the last block written is the file's last possible one, so " + MaximumSize);
        Sys.Close(fd);
        Sys.Unlink(Path);
    }

    private static void WritesStopAtTheLargestFile()
    {
        const string Path = "/disk/bigfile-limit";
        Sys.Unlink(Path);
        long descriptor = Sys.Open(Path, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) { Grade.Check("last-byte", false, "open " + Path + " returned " + Grade.Describe(descriptor)); return; }
        int fd = (int)descriptor;
        byte[] two = { 0x5a, 0xa5 };
        Sys.Seek(fd, MaximumSize - 1, SeekFrom.Start);
        long last = Sys.Write(fd, new ReadOnlySpan<byte>(two, 0, 1));
        Sys.Seek(fd, MaximumSize - 1, SeekFrom.Start);
        long across = Sys.Write(fd, two);
        Grade.Check("last-byte", last == 1 && across == 1,
            "a write of 1 byte at offset " + (MaximumSize - 1) + " (the largest file's last byte) returned " + Grade.Describe(last) +
            ", and of 2 bytes there (cut at the end) " + Grade.Describe(across) + "; expected 1 and 1");
        Sys.Seek(fd, MaximumSize, SeekFrom.Start);
        long past = Sys.Write(fd, new ReadOnlySpan<byte>(two, 0, 1));
        Sys.Seek(fd, MaximumSize + 4096, SeekFrom.Start);
        long farPast = Sys.Write(fd, new ReadOnlySpan<byte>(two, 0, 1));
        Grade.Check("efbig", past == -Errno.EFBIG && farPast == -Errno.EFBIG,
            "a write at offset " + MaximumSize + " (one past the largest file) returned " + Grade.Describe(past) +
            ", and 4 KiB further " + Grade.Describe(farPast) + "; expected -EFBIG for both");
        Sys.Close(fd);
        Sys.Unlink(Path);
    }

    // The disk the grader attaches (checks.sh: --disk 2). A file that grows past it without -ENOSPC
    // has file blocks sharing disk blocks; the fill stops there instead of writing on to 64 MiB.
    private const long DiskBytes = 2 * 1024 * 1024;

    // Writes one file until the disk is full; its size in bytes, and how the last write ended (1 if
    // the file outgrew the disk).
    private static long Fill(string path, out long lastResult)
    {
        lastResult = 0;
        long descriptor = Sys.Open(path, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        if (descriptor < 0) { lastResult = descriptor; return 0; }
        byte[] piece = new byte[16 * BlockSize];
        long size = 0;
        while (true)
        {
            for (int i = 0; i < piece.Length; i++) piece[i] = PatternAt((size + i) / BlockSize, (int)((size + i) % BlockSize));
            long written = Sys.Write((int)descriptor, piece);
            if (written <= 0) { lastResult = written; break; }
            size += written;
            if (size > DiskBytes) { lastResult = 1; break; }
        }
        Sys.Close((int)descriptor);
        return size;
    }

    private static void FillTheDiskReadBackAndFreeEverything()
    {
        const string Path = "/disk/bigfile-dense", Sparse = "/disk/bigfile-sparse2";
        Sys.Unlink(Path);
        Sys.Unlink(Sparse);
        long first = Fill(Path, out long ended);
        Grade.Check("fills-the-disk", first > FirstDouble * BlockSize && ended == -Errno.ENOSPC,
            "one file written in 16 KiB pieces until a write failed: " + first + " bytes (" + first / BlockSize +
            " blocks), then " + (ended == 1 ? "still no -ENOSPC, past the disk's 2 MiB (file blocks share disk blocks)" : Grade.Describe(ended)) + "; expected more than " + FirstDouble + " blocks (the 2 MiB disk holds about 1,760) and -ENOSPC");

        long descriptor = Sys.Open(Path, OpenFlags.ReadOnly);
        long wrongAt = -1;
        byte[] piece = new byte[16 * BlockSize];
        for (long at = 0; descriptor >= 0 && at < first && wrongAt < 0;)
        {
            long read = Sys.Read((int)descriptor, piece);
            if (read <= 0) { wrongAt = at; break; }
            for (int i = 0; i < read && wrongAt < 0; i++)
                if (piece[i] != PatternAt((at + i) / BlockSize, (int)((at + i) % BlockSize))) wrongAt = at + i;
            at += read;
        }
        if (descriptor >= 0) Sys.Close((int)descriptor);
        Grade.Check("dense-read-back", descriptor >= 0 && wrongAt < 0 && first > 0,
            wrongAt < 0 ? "all " + first + " bytes read back as written" : "the byte at offset " + wrongAt + " (block " + wrongAt / BlockSize + ") is wrong or missing");

        // Everything freed: the file (by unlink), and a sparse file that reaches far into the
        // double-indirect block (by ftruncate to 0, then unlink). The disk must then hold exactly as
        // much as before.
        long unlinked = Sys.Unlink(Path);
        long sparse = Sys.Open(Sparse, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Truncate);
        long truncated = -1;
        if (sparse >= 0)
        {
            foreach (long block in new long[] { 300, FirstDouble + 100 * PerBlock, MaximumBlocks - 1 }) WriteBlock((int)sparse, block);
            truncated = Sys.Truncate((int)sparse, 0);
            Sys.Close((int)sparse);
        }
        Sys.Unlink(Sparse);
        long second = Fill(Path, out long endedAgain);
        Sys.Unlink(Path);
        Grade.Check("frees-every-block", first > 0 && second == first && unlinked == 0 && truncated == 0,
            "unlink returned " + Grade.Describe(unlinked) + "; a sparse file to block " + (MaximumBlocks - 1) + " truncated to 0 (" + Grade.Describe(truncated) +
            ") and unlinked; then the disk took " + second + " bytes (ending " + Grade.Describe(endedAgain) + "), the first time " + first +
            (second < first ? ": " + (first - second) / BlockSize + " blocks were never freed" : ""));
    }
}
