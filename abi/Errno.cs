namespace Abi
{
    /// <summary>
    /// Error numbers. A syscall that fails returns the negated number in RAX (-EBADF = -9), exactly as
    /// Linux does, so the values are Linux's. Shared by the kernel and the user library (abi/ is
    /// compiled into both), so the two can never disagree.
    /// </summary>
    public static class Errno
    {
        public const int EPERM = 1;          // operation not permitted
        public const int ENOENT = 2;         // no such file or directory
        public const int ESRCH = 3;          // no such process
        public const int EINTR = 4;          // interrupted (the process was killed while waiting)
        public const int EIO = 5;            // input/output error
        public const int E2BIG = 7;          // argument list too long
        public const int ENOEXEC = 8;        // not an executable
        public const int EBADF = 9;          // bad file descriptor
        public const int ECHILD = 10;        // no child to wait for
        public const int EAGAIN = 11;        // try again
        public const int ENOMEM = 12;        // out of memory
        public const int EACCES = 13;        // permission denied: mmap of a file not open for reading
        public const int EFAULT = 14;        // bad address: a user pointer the process may not use
        public const int EBUSY = 16;         // busy: exec while other threads of the process still run
        public const int EEXIST = 17;        // file exists
        public const int EXDEV = 18;         // cross-device link: link or rename between two mounted file systems
        public const int ENOTDIR = 20;       // not a directory
        public const int ENODEV = 19;        // no such device: mmap of a file that cannot be mapped
        public const int EISDIR = 21;        // is a directory
        public const int EINVAL = 22;        // invalid argument
        public const int ENFILE = 23;        // too many open files in the system: a kernel table of them (the disk's inode cache) is full
        public const int EMFILE = 24;        // too many open files
        public const int EFBIG = 27;         // file too large: a write past the largest file the file system can hold
        public const int ENOSPC = 28;        // no space left
        public const int ESPIPE = 29;        // illegal seek
        public const int EROFS = 30;         // read-only file system: /dev's names are fixed (no create, unlink, rename, mkdir, link there)
        public const int EMLINK = 31;        // too many links: the file has as many names as it may
        public const int EPIPE = 32;         // broken pipe: nobody reads the other end
        public const int ERANGE = 34;        // result too large: the caller's buffer is too small for the answer
        public const int EDEADLK = 35;       // it would wait forever: a thread joining a thread that (in turn) joins it
        public const int ENAMETOOLONG = 36;  // path too long
        public const int ENOSYS = 38;        // no such syscall
        public const int ENOTEMPTY = 39;     // directory not empty (rmdir, rename over it)
        public const int ELOOP = 40;         // too many symbolic links in a path (a loop), or O_NOFOLLOW met one
        public const int ENOTSOCK = 88;      // socket operation on a descriptor that is not a socket
        public const int EDESTADDRREQ = 89;  // send on a datagram socket with no address and no connect
        public const int EMSGSIZE = 90;      // message too long: a message larger than its queue's size, or a receive buffer smaller than it
        public const int EPROTONOSUPPORT = 93; // the socket's protocol is not one the kernel has
        public const int EOPNOTSUPP = 95;    // the socket's kind does not do that (listen on a UDP socket)
        public const int EAFNOSUPPORT = 97;  // address family not supported: TeachOS has only IPv4 (AF_INET)
        public const int EADDRINUSE = 98;    // the port is bound by another socket already
        public const int EADDRNOTAVAIL = 99; // no ephemeral port is free, or the address is not one of ours
        public const int ENETUNREACH = 101;  // network unreachable: no route leads to the address
        public const int ECONNRESET = 104;   // the peer reset the connection (a TCP RST)
        public const int ENOBUFS = 105;      // no buffer space: the packet buffers, or a fixed table (TCP's listeners, UDP's endpoints), are full
        public const int EISCONN = 106;      // the socket is connected already
        public const int ENOTCONN = 107;     // the socket is not connected
        public const int ETIMEDOUT = 110;    // timed out: no answer came in time (a ping), or TCP's retransmissions gave up
        public const int ECONNREFUSED = 111; // nobody listens on that port (the peer answered our SYN with RST)
        public const int EHOSTUNREACH = 113; // no route to host

        /// <summary>The symbolic name of an error number ("EBADF"), for messages.</summary>
        public static string Name(int errno)
        {
            switch (errno)
            {
                case EPERM: return "EPERM";
                case ENOENT: return "ENOENT";
                case ESRCH: return "ESRCH";
                case EINTR: return "EINTR";
                case EIO: return "EIO";
                case E2BIG: return "E2BIG";
                case ENOEXEC: return "ENOEXEC";
                case EBADF: return "EBADF";
                case ECHILD: return "ECHILD";
                case EAGAIN: return "EAGAIN";
                case ENOMEM: return "ENOMEM";
                case EACCES: return "EACCES";
                case EFAULT: return "EFAULT";
                case EBUSY: return "EBUSY";
                case EEXIST: return "EEXIST";
                case ENOTDIR: return "ENOTDIR";
                case ENODEV: return "ENODEV";
                case EISDIR: return "EISDIR";
                case EINVAL: return "EINVAL";
                case ENFILE: return "ENFILE";
                case EMFILE: return "EMFILE";
                case EFBIG: return "EFBIG";
                case ENOSPC: return "ENOSPC";
                case ESPIPE: return "ESPIPE";
                case EROFS: return "EROFS";
                case EPIPE: return "EPIPE";
                case ERANGE: return "ERANGE";
                case EDEADLK: return "EDEADLK";
                case ENAMETOOLONG: return "ENAMETOOLONG";
                case ENOSYS: return "ENOSYS";
                case EXDEV: return "EXDEV";
                case EMLINK: return "EMLINK";
                case ENOTEMPTY: return "ENOTEMPTY";
                case ELOOP: return "ELOOP";
                case ENOTSOCK: return "ENOTSOCK";
                case EDESTADDRREQ: return "EDESTADDRREQ";
                case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
                case EOPNOTSUPP: return "EOPNOTSUPP";
                case EAFNOSUPPORT: return "EAFNOSUPPORT";
                case EADDRINUSE: return "EADDRINUSE";
                case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
                case ECONNRESET: return "ECONNRESET";
                case ENOBUFS: return "ENOBUFS";
                case EISCONN: return "EISCONN";
                case ENOTCONN: return "ENOTCONN";
                case ETIMEDOUT: return "ETIMEDOUT";
                case ECONNREFUSED: return "ECONNREFUSED";
                case EMSGSIZE: return "EMSGSIZE";
                case ENETUNREACH: return "ENETUNREACH";
                case EHOSTUNREACH: return "EHOSTUNREACH";
                default: return "E?";
            }
        }
    }
}
