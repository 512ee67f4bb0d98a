namespace Syscalls
{
    /// <summary>
    /// Error numbers. A syscall that fails returns the negated number in RAX (-EBADF = -9), exactly as
    /// Linux does, so the values are Linux's. The user library turns them back into names.
    /// </summary>
    public static class Errno
    {
        public const int EPERM = 1;          // operation not permitted
        public const int ENOENT = 2;         // no such file or directory
        public const int ESRCH = 3;          // no such process
        public const int EINTR = 4;          // interrupted (the process was killed while waiting)
        public const int E2BIG = 7;          // argument list too long
        public const int ENOEXEC = 8;        // not an executable
        public const int EBADF = 9;          // bad file descriptor
        public const int ECHILD = 10;        // no child to wait for
        public const int EAGAIN = 11;        // try again
        public const int ENOMEM = 12;        // out of memory
        public const int EFAULT = 14;        // bad address: a user pointer the process may not use
        public const int EEXIST = 17;        // file exists
        public const int ENOTDIR = 20;       // not a directory
        public const int EISDIR = 21;        // is a directory
        public const int EINVAL = 22;        // invalid argument
        public const int EMFILE = 24;        // too many open files
        public const int ENOSPC = 28;        // no space left
        public const int ESPIPE = 29;        // illegal seek
        public const int EPIPE = 32;         // broken pipe: nobody reads the other end
        public const int ENAMETOOLONG = 36;  // path too long
        public const int ENOSYS = 38;        // no such syscall
    }
}
