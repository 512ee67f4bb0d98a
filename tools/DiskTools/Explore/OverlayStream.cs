using Abi;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>
/// A disk image as a stream: the blocks in <see cref="Overlay"/> over a base image that is never
/// changed. The crash explorer builds thousands of states of one 128 MiB disk; each is the base plus
/// a few dozen written blocks, so a state costs a dictionary of those blocks, not a copy of the disk.
/// Writes (log recovery's) go to the overlay too, block by block, as new arrays: the overlay's
/// arrays are shared between states.
/// </summary>
public sealed class OverlayStream : Stream
{
    private const int BlockSize = DiskFormat.BlockSize;
    private readonly Stream baseImage;
    private long position;

    public OverlayStream(Stream baseImage, Dictionary<uint, byte[]> overlay)
    {
        this.baseImage = baseImage;
        Overlay = overlay;
    }

    /// <summary>Block number to its bytes (BlockSize each) where the state differs from the base.</summary>
    public Dictionary<uint, byte[]> Overlay { get; }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => baseImage.Length;

    public override long Position
    {
        get => position;
        set => position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length && position < Length)
        {
            uint block = (uint)(position / BlockSize);
            int inBlock = (int)(position % BlockSize);
            int piece = (int)Math.Min(Math.Min(BlockSize - inBlock, buffer.Length - done), Length - position);
            Span<byte> into = buffer.Slice(done, piece);
            if (Overlay.TryGetValue(block, out byte[]? bytes)) bytes.AsSpan(inBlock, piece).CopyTo(into);
            else
            {
                baseImage.Position = position;
                baseImage.ReadExactly(into);
            }
            position += piece;
            done += piece;
        }
        return done;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            uint block = (uint)(position / BlockSize);
            int inBlock = (int)(position % BlockSize);
            int piece = Math.Min(BlockSize - inBlock, buffer.Length - done);
            // A fresh array each time: the overlay's arrays may be shared with other states (the trace's).
            var bytes = new byte[BlockSize];
            if (piece < BlockSize)
            {
                if (Overlay.TryGetValue(block, out byte[]? old)) old.CopyTo(bytes, 0);
                else
                {
                    baseImage.Position = (long)block * BlockSize;
                    baseImage.ReadAtLeast(bytes, BlockSize, throwOnEndOfStream: false);
                }
            }
            Overlay[block] = bytes;
            buffer.Slice(done, piece).CopyTo(bytes.AsSpan(inBlock));
            position += piece;
            done += piece;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => Length + offset,
    };

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException("a disk's size is fixed");
}
