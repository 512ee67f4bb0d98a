using Abi;
using Fs;
using Proc;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for what a descriptor's file does besides read and write: lseek, ftruncate, fsync.</summary>
    [SyscallHandlers]
    public static class DescriptorSyscalls
    {
        /// <summary>lseek(fd, offset, whence): the new position. -ESPIPE for pipes and the console, -EINVAL before the start.</summary>
        public static long Seek(int descriptor, long offset, int whence)
        {
            OpenFile file = Process.Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file.Seek(offset, whence);
            file.Release();
            return result;
        }

        /// <summary>ftruncate(fd, length): -EINVAL unless a file open for writing and a length from 0 to the largest file.</summary>
        public static long Truncate(int descriptor, long length)
        {
            OpenFile file = Process.Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file.Truncate(length);
            file.Release();
            return result;
        }

        /// <summary>fsync(fd): 0 once the file's changes are durable (at once in RAM).</summary>
        public static long Sync(int descriptor)
        {
            OpenFile file = Process.Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file.Sync();
            file.Release();
            return result;
        }
    }
}
