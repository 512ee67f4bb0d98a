namespace Mem
{
    /// <summary>
    /// One bit per 4 KiB physical frame: 1 = in use (or not RAM at all), 0 = free. The allocator's
    /// bookkeeping, kept free of hardware details so the host tests can exercise it.
    /// A "next" hint makes allocation start where the last one ended instead of at frame 0.
    /// </summary>
    public sealed class FrameBitmap
    {
        private readonly ulong[] _words;
        private readonly ulong _frameCount;
        private ulong _next;

        public ulong FreeCount { get; private set; }

        public ulong FrameCount => _frameCount;

        /// <summary>A bitmap for <paramref name="frameCount"/> frames, all marked in use.</summary>
        public FrameBitmap(ulong frameCount)
        {
            _frameCount = frameCount;
            _words = new ulong[(frameCount + 63) / 64];
            for (int i = 0; i < _words.Length; i++) _words[i] = ulong.MaxValue;
        }

        public bool IsFree(ulong frame) => frame < _frameCount && (_words[frame / 64] & (1UL << (int)(frame % 64))) == 0;

        /// <summary>Marks [first, first + count) free, clipped to the bitmap.</summary>
        public void MarkFree(ulong first, ulong count)
        {
            for (ulong frame = first; frame < first + count && frame < _frameCount; frame++)
            {
                if (IsFree(frame)) continue;
                _words[frame / 64] &= ~(1UL << (int)(frame % 64));
                FreeCount++;
            }
        }

        /// <summary>Marks [first, first + count) in use (reserved), clipped to the bitmap.</summary>
        public void MarkUsed(ulong first, ulong count)
        {
            for (ulong frame = first; frame < first + count && frame < _frameCount; frame++)
            {
                if (!IsFree(frame)) continue;
                _words[frame / 64] |= 1UL << (int)(frame % 64);
                FreeCount--;
            }
        }

        /// <summary>Takes one free frame and returns its number, or -1 when none is left.</summary>
        public long Allocate()
        {
            for (ulong scanned = 0; scanned < _frameCount;)
            {
                ulong frame = (_next + scanned) % _frameCount;
                ulong word = _words[frame / 64];
                if (word == ulong.MaxValue)
                {
                    scanned += 64 - frame % 64;          // a full word: skip to the next one
                    continue;
                }
                ulong bit = 1UL << (int)(frame % 64);
                if ((word & bit) == 0)
                {
                    _words[frame / 64] = word | bit;
                    FreeCount--;
                    _next = frame + 1;
                    return (long)frame;
                }
                scanned++;
            }
            return -1;
        }

        /// <summary>Takes <paramref name="count"/> consecutive free frames; returns the first, or -1.</summary>
        public long AllocateRun(ulong count)
        {
            ulong runStart = 0, runLength = 0;
            for (ulong frame = 0; frame < _frameCount; frame++)
            {
                if (frame % 64 == 0 && _words[frame / 64] == ulong.MaxValue)
                {
                    runLength = 0;                   // a full word: skip to the next one
                    frame += 63;
                    continue;
                }
                if (!IsFree(frame)) { runLength = 0; continue; }
                if (runLength == 0) runStart = frame;
                if (++runLength < count) continue;
                MarkUsed(runStart, count);
                return (long)runStart;
            }
            return -1;
        }

        /// <summary>Gives a frame back. Returns false if it was already free (a double free).</summary>
        public bool Free(ulong frame)
        {
            if (frame >= _frameCount || IsFree(frame)) return false;
            _words[frame / 64] &= ~(1UL << (int)(frame % 64));
            FreeCount++;
            return true;
        }
    }
}
