using System;
using Sched;

namespace Fs
{
    /// <summary>
    /// A pipe: a 4 KiB ring buffer between a writing end and a reading end. A reader of an empty pipe
    /// sleeps until data arrives, or gets 0 (end of file) once no writer is left; a writer of a full
    /// pipe sleeps until there is room, or gets -EPIPE once no reader is left.
    /// Lock: the buffer and the counts are protected by Scheduler.ThreadStateLock (see WaitQueue for why).
    /// </summary>
    public sealed class Pipe
    {
        public const int Capacity = 4096;

        private readonly byte[] _buffer = new byte[Capacity];
        private int _head, _count;
        internal int Readers = 1, Writers = 1;
        private readonly WaitQueue _canRead = new WaitQueue("pipe read");
        private readonly WaitQueue _canWrite = new WaitQueue("pipe write");

        public int Available => _count;

        public static void Create(out PipeEnd reader, out PipeEnd writer)
        {
            var pipe = new Pipe();
            reader = new PipeEnd(pipe, isWriter: false);
            writer = new PipeEnd(pipe, isWriter: true);
        }

        public long Read(Span<byte> destination)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            long result;
            while (true)
            {
                if (_count > 0)
                {
                    int n = _count < destination.Length ? _count : destination.Length;
                    for (int i = 0; i < n; i++) destination[i] = _buffer[(_head + i) % Capacity];
                    _head = (_head + n) % Capacity;
                    _count -= n;
                    Scheduler.WakeAllLocked(_canWrite);
                    result = n;
                    break;
                }
                if (Writers == 0) { result = 0; break; }                          // end of file
                if (Killed) { result = -Abi.Errno.EINTR; break; }
                Scheduler.WaitLocked(_canRead);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return result;
        }

        public long Write(ReadOnlySpan<byte> source)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            int written = 0;
            long result = 0;
            while (written < source.Length)
            {
                if (Readers == 0) { result = -Abi.Errno.EPIPE; break; }
                if (Killed) { result = -Abi.Errno.EINTR; break; }
                if (_count == Capacity) { Scheduler.WaitLocked(_canWrite); continue; }
                int room = Capacity - _count, left = source.Length - written;
                int n = room < left ? room : left;
                for (int i = 0; i < n; i++) _buffer[(_head + _count + i) % Capacity] = source[written + i];
                _count += n;
                written += n;
                Scheduler.WakeAllLocked(_canRead);
            }
            Scheduler.ThreadStateLock.Release(flags);
            return written > 0 ? written : result;
        }

        internal void CloseEnd(bool writer)
        {
            bool flags = Scheduler.ThreadStateLock.Acquire();
            if (writer) Writers--; else Readers--;
            Scheduler.WakeAllLocked(_canRead);
            Scheduler.WakeAllLocked(_canWrite);
            bool unused = Readers == 0 && Writers == 0;
            Scheduler.ThreadStateLock.Release(flags);
            if (unused)
            {
                Mem.KernelHeap.Free(_buffer);
                Mem.KernelHeap.Free(_canRead);
                Mem.KernelHeap.Free(_canWrite);
                Mem.KernelHeap.Free(this);
            }
        }

        private static bool Killed => Scheduler.IsKilled(Scheduler.Current);
    }

    /// <summary>One end of a pipe, as a file descriptor sees it.</summary>
    public sealed class PipeEnd : OpenFile
    {
        private readonly Pipe _pipe;
        private readonly bool _isWriter;

        public PipeEnd(Pipe pipe, bool isWriter)
        {
            _pipe = pipe;
            _isWriter = isWriter;
        }

        public override FileKind Kind => FileKind.Pipe;

        public override long Size => _pipe.Available;

        public override long Read(Span<byte> buffer) => _isWriter ? -Abi.Errno.EBADF : _pipe.Read(buffer);

        public override long Write(ReadOnlySpan<byte> data) => _isWriter ? _pipe.Write(data) : -Abi.Errno.EBADF;

        protected override void Closed() => _pipe.CloseEnd(_isWriter);
    }
}
