using System;
using TeachOS.Boundary;

namespace Abi
{
    /// <summary>
    /// Every TeachOS system call, declared once: here, and in the parts beside this file for the mounts,
    /// the network and the virtual machines (abi/Syscalls.*.cs). The syscall generator (analyzers/) reads this
    /// interface and produces both sides, so numbers and signatures cannot drift apart:
    /// <list type="bullet">
    /// <item>in the kernel, the dispatch table that calls the handler of the same name in a
    ///   [SyscallHandlers] class (kernel/Syscalls/), with each user-facing type turned into the type
    ///   the kernel sees: a span becomes a UserBuffer, a string a UserString, an out/ref parameter a
    ///   UserPointer&lt;T&gt;;</item>
    /// <item>in the user library, a stub `Sys.Name(...)` with exactly this signature.</item>
    /// </list>
    /// Registers: each parameter takes one register, a span two (address, length); at most six.
    /// Results: a value >= 0, or a negated errno (abi/Errno.cs).
    /// </summary>
    [SyscallTable]
    public partial interface ISyscalls
    {
        /// <summary>Ends the calling process with <paramref name="status"/> (0-255). Does not return.</summary>
        [Syscall(0)] long Exit(int status);

        /// <summary>The calling process's id.</summary>
        [Syscall(1)] long GetPid();

        /// <summary>The parent's id (0 for init).</summary>
        [Syscall(2)] long GetParentPid();

        /// <summary>Writes <paramref name="data"/> to a descriptor; returns the bytes written.</summary>
        [Syscall(3)] long Write(int descriptor, ReadOnlySpan<byte> data);

        /// <summary>Reads into <paramref name="buffer"/>; returns the bytes read, 0 at end of file.</summary>
        [Syscall(4)] long Read(int descriptor, Span<byte> buffer);

        /// <summary>Opens a file or directory (flags: abi/Structures.cs OpenFlags); returns a descriptor.</summary>
        [Syscall(5)] long Open(string path, int flags);

        /// <summary>Closes a descriptor.</summary>
        [Syscall(6)] long Close(int descriptor);

        /// <summary>What a descriptor refers to, and its size.</summary>
        [Syscall(7)] long FileStatus(int descriptor, out FileStatus status);

        /// <summary>Creates a pipe: a read descriptor and a write descriptor.</summary>
        [Syscall(8)] long Pipe(out PipeDescriptors descriptors);

        /// <summary>dup2: makes <paramref name="newDescriptor"/> refer to what <paramref name="oldDescriptor"/> does.</summary>
        [Syscall(9)] long Duplicate(int oldDescriptor, int newDescriptor);

        /// <summary>
        /// Starts a program in a new child process (arguments include argv[0]); returns its pid. The
        /// child's descriptors 0, 1 and 2 are the caller's <paramref name="input"/>, <paramref name="output"/>
        /// and <paramref name="errorOutput"/>, and it inherits no others: no stray pipe end keeps a pipe open.
        /// </summary>
        [Syscall(10)] long Spawn(string path, string[] arguments, int input, int output, int errorOutput);

        /// <summary>
        /// Copies the calling process: the child gets a copy of its memory, shares its open files (one
        /// offset between them, as after dup2) and resumes from this same call with only the calling
        /// thread. Returns the child's pid in the parent and 0 in the child.
        /// </summary>
        [Syscall(40)] long Fork();

        /// <summary>
        /// Replaces the calling process's program with the one at <paramref name="path"/>, with
        /// <paramref name="arguments"/> as its argv; pid, parent and open descriptors stay. Does not return
        /// when it works; on an error the caller runs on, unchanged. -EBUSY while other threads of the
        /// process are alive.
        /// </summary>
        [Syscall(41)] long Exec(string path, string[] arguments);

        /// <summary>
        /// mmap: maps <paramref name="length"/> bytes of new memory (rounded up to pages) and returns its
        /// address, in the mapping window, at the lowest free place (<paramref name="address"/> is a hint
        /// TeachOS does not use: pass 0). <paramref name="flags"/> must hold MappingFlags.Private; with
        /// MappingFlags.Anonymous the pages start zeroed (descriptor -1, offset 0). Pages get frames on
        /// first touch. -EINVAL for bad flags, protection or a zero length; -ENOMEM when memory or the
        /// window cannot hold it, or the process has 64 mappings; -EBADF, -ENODEV for files.
        /// </summary>
        [Syscall(42)] long MapMemory(ulong address, ulong length, int protection, int flags, int descriptor, long offset);

        /// <summary>
        /// munmap: unmaps every mapped page of [address, address + length) (whole mappings or parts of
        /// them); parts with nothing mapped are no error. -EINVAL if the address is not page-aligned,
        /// the length is 0, or the range leaves the mapping window.
        /// </summary>
        [Syscall(43)] long UnmapMemory(ulong address, ulong length);

        /// <summary>
        /// The mappings of process <paramref name="pid"/> (0: the caller), for vmmap: fills
        /// <paramref name="records"/> with MappingRecords (abi/Structures.cs), one per run of pages alike,
        /// lowest address first, and sets <paramref name="needed"/> to how many there are. Returns that
        /// count, or -ERANGE (nothing written) when the buffer holds fewer: call again with room for
        /// <paramref name="needed"/>. -ESRCH for no such process (or one that has exited).
        /// </summary>
        [Syscall(50)] long MemoryMap(int pid, Span<byte> records, out int needed);

        /// <summary>Waits for a child (pid, or -1 for any) to exit; returns its pid and exit status.</summary>
        [Syscall(11)] long Wait(int pid, out int status);

        /// <summary>Ends another process (its exit status becomes 137).</summary>
        [Syscall(12)] long Kill(int pid);

        /// <summary>Moves the end of the heap by <paramref name="increment"/> bytes; returns the old end.</summary>
        [Syscall(13)] long Sbrk(long increment);

        /// <summary>Blocks for at least <paramref name="milliseconds"/>.</summary>
        [Syscall(14)] long Sleep(long milliseconds);

        /// <summary>Milliseconds since boot.</summary>
        [Syscall(15)] long Uptime();

        /// <summary>Lets other ready threads run first.</summary>
        [Syscall(16)] long Yield();

        /// <summary>Entry <paramref name="index"/> of an open directory: 1 if filled, 0 past the end.</summary>
        [Syscall(17)] long ReadDirectory(int descriptor, int index, out DirectoryEntry entry);

        // ---- Paths and the file tree (60-79). A relative path starts at the current directory; a
        // symbolic link before the last part is always followed (at most 10 in one path: -ELOOP).
        // Errors as Unix gives them: -ENOENT, -EEXIST, -ENOTDIR, -EISDIR, -ENAMETOOLONG, -EFAULT; -EACCES
        // where the mode bits refuse, -EPERM where only an owner may (docs/guide/09-who-may-do-what.md). ----

        /// <summary>mkdir: a new empty directory. -EEXIST if the name is taken.</summary>
        [Syscall(60)] long MakeDirectory(string path);

        /// <summary>unlink: removes a name of a file or symbolic link (-EISDIR for a directory). The file lives on while a descriptor holds it.</summary>
        [Syscall(61)] long Unlink(string path);

        /// <summary>rmdir: removes an empty directory. -ENOTEMPTY, -ENOTDIR, -EBUSY for a mount point.</summary>
        [Syscall(62)] long RemoveDirectory(string path);

        /// <summary>link: <paramref name="newPath"/> becomes another name of the file at <paramref name="existing"/>. -EPERM for a directory, -EMLINK, -EXDEV across file systems.</summary>
        [Syscall(63)] long Link(string existing, string newPath);

        /// <summary>symlink: a symbolic link at <paramref name="linkPath"/> whose text is <paramref name="target"/> (which need not exist).</summary>
        [Syscall(64)] long SymbolicLink(string target, string linkPath);

        /// <summary>readlink: a symbolic link's text into <paramref name="buffer"/> (no NUL, cut to fit); returns its length. -EINVAL if not a link.</summary>
        [Syscall(65)] long ReadLink(string path, Span<byte> buffer);

        /// <summary>
        /// rename: moves <paramref name="from"/> to <paramref name="to"/>, replacing a file (or empty directory)
        /// there in one step. -EINVAL moving a directory into itself, -EXDEV across file systems.
        /// </summary>
        [Syscall(66)] long Rename(string from, string to);

        /// <summary>chdir: relative paths start at <paramref name="path"/> from now on (children inherit it).</summary>
        [Syscall(67)] long ChangeDirectory(string path);

        /// <summary>getcwd: the current directory's absolute path and a NUL; returns its length. -ERANGE if the buffer is too small.</summary>
        [Syscall(68)] long GetCurrentDirectory(Span<byte> buffer);

        /// <summary>lseek: moves a file's position (SeekFrom in abi/Structures.cs); returns the new one. -ESPIPE on pipes and the console, -EINVAL before the start.</summary>
        [Syscall(69)] long Seek(int descriptor, long offset, int whence);

        /// <summary>ftruncate: sets a file's size (cut, or extended with zeros). -EINVAL unless open for writing.</summary>
        [Syscall(70)] long Truncate(int descriptor, long length);

        /// <summary>fsync: returns once the file's changes are durable (at once in RAM; a log commit on the disk).</summary>
        [Syscall(71)] long Sync(int descriptor);

        /// <summary>stat: what <paramref name="path"/> names (following a last symbolic link): kind, size, links, inode.</summary>
        [Syscall(72)] long PathStatus(string path, out FileStatus status);

        /// <summary>lstat: as stat, but a last symbolic link is described itself.</summary>
        [Syscall(73)] long LinkStatus(string path, out FileStatus status);

        // ---- Credentials and permissions (80-99; docs/guide/09-who-may-do-what.md). Ids run from 0
        // (root) to UserIds.MaximumId; a larger or negative id is -EINVAL, except -1 where a call says
        // "unchanged". A process that is not root (effective uid 0) may only move its ids among the
        // values it already holds (real, effective, saved): -EPERM otherwise. ----

        /// <summary>getuid: the real user id (who started the program).</summary>
        [Syscall(80)] long GetUserId();

        /// <summary>geteuid: the effective user id (whose rights the permission checks use).</summary>
        [Syscall(81)] long GetEffectiveUserId();

        /// <summary>getgid: the real group id.</summary>
        [Syscall(82)] long GetGroupId();

        /// <summary>getegid: the effective group id.</summary>
        [Syscall(83)] long GetEffectiveGroupId();

        /// <summary>
        /// setuid: root sets real, effective and saved uid to <paramref name="userId"/> (no way back);
        /// others may set only the effective uid, and only to their real or saved uid.
        /// </summary>
        [Syscall(84)] long SetUserId(int userId);

        /// <summary>setgid: as setuid, for the group ids (root: effective uid 0).</summary>
        [Syscall(85)] long SetGroupId(int groupId);

        /// <summary>
        /// setreuid: sets the real and effective uid (-1: unchanged). Others than root may set the real uid
        /// to the real or effective one and the effective uid to the real, effective or saved one. When the
        /// real uid changes, or the effective one becomes other than the real, the saved uid becomes the new effective.
        /// </summary>
        [Syscall(86)] long SetRealEffectiveUserId(int realUserId, int effectiveUserId);

        /// <summary>setregid: as setreuid, for the group ids.</summary>
        [Syscall(87)] long SetRealEffectiveGroupId(int realGroupId, int effectiveGroupId);

        /// <summary>setresuid: sets real, effective and saved uid (-1: unchanged); others than root only to one of the three current values.</summary>
        [Syscall(88)] long SetUserIds(int realUserId, int effectiveUserId, int savedUserId);

        /// <summary>setresgid: as setresuid, for the group ids.</summary>
        [Syscall(89)] long SetGroupIds(int realGroupId, int effectiveGroupId, int savedGroupId);

        /// <summary>getresuid: the real, effective and saved uid.</summary>
        [Syscall(90)] long GetUserIds(out int realUserId, out int effectiveUserId, out int savedUserId);

        /// <summary>getresgid: the real, effective and saved gid.</summary>
        [Syscall(91)] long GetGroupIds(out int realGroupId, out int effectiveGroupId, out int savedGroupId);

        /// <summary>
        /// getgroups: the supplementary group ids, 4 bytes each, into <paramref name="groups"/>; returns
        /// how many there are. An empty buffer asks only for the count; -EINVAL if the buffer is too small.
        /// </summary>
        [Syscall(92)] long GetGroups(Span<byte> groups);

        /// <summary>setgroups: root only (-EPERM); 4 bytes a group, at most UserIds.MaximumGroups (-EINVAL).</summary>
        [Syscall(93)] long SetGroups(ReadOnlySpan<byte> groups);

        /// <summary>
        /// chmod: sets the permission bits (FileMode: 07777) of what <paramref name="path"/> names (following a
        /// last symbolic link). Only the owner or root: -EPERM. A non-root owner who is not in the file's group
        /// loses the setgid bit.
        /// </summary>
        [Syscall(94)] long ChangeMode(string path, int mode);

        /// <summary>fchmod: as chmod, for an open file.</summary>
        [Syscall(95)] long ChangeModeDescriptor(int descriptor, int mode);

        /// <summary>
        /// chown: sets owner and group (-1: unchanged). Only root may change the owner; the owner may change
        /// the group to one it belongs to; -EPERM otherwise. Clears the setuid and setgid bits.
        /// </summary>
        [Syscall(96)] long ChangeOwner(string path, int userId, int groupId);

        /// <summary>fchown: as chown, for an open file.</summary>
        [Syscall(97)] long ChangeOwnerDescriptor(int descriptor, int userId, int groupId);

        /// <summary>umask: sets the bits taken away from new files' modes (mask &amp; 0777); returns the old mask. Children inherit it.</summary>
        [Syscall(98)] long SetFileCreationMask(int mask);

        // ---- IPC objects and namespaces (100-109): named message queues, private to an IPC namespace,
        // and unshare. Limits and flags: abi/Ipc.cs; the guide's chapter: docs/guide/10-namespaces.md. ----

        /// <summary>
        /// mq_open: the message queue called <paramref name="name"/> ("/" and 1-31 printable characters, no
        /// other "/") in the caller's IPC namespace, as a new descriptor. <paramref name="flags"/>: OpenFlags.ReadOnly,
        /// WriteOnly or ReadWrite (which of send and receive the descriptor allows), with OpenFlags.Create (make it
        /// if missing, holding up to <paramref name="maximumMessages"/> messages of up to
        /// <paramref name="maximumMessageSize"/> bytes; 0 and 0 for MessageQueueLimits' defaults), OpenFlags.Exclusive
        /// (-EEXIST if it exists) and MessageQueueFlags.NonBlocking (send and receive give -EAGAIN instead of waiting).
        /// -EINVAL for a bad name or sizes past MessageQueueLimits, -ENAMETOOLONG, -ENOENT without Create,
        /// -ENOSPC when the namespace holds its most queues or bytes, -ENOMEM, -EMFILE.
        /// </summary>
        [Syscall(100)] long MessageQueueOpen(string name, int flags, int maximumMessages, int maximumMessageSize);

        /// <summary>
        /// mq_send: puts <paramref name="message"/> (0 to the queue's message size bytes) at the back of the queue,
        /// waiting while it is full. -EMSGSIZE if too long, -EAGAIN if full and the descriptor is non-blocking,
        /// -EBADF if it was not opened for writing, -EINTR if the process is killed while waiting.
        /// </summary>
        [Syscall(101)] long MessageQueueSend(int descriptor, ReadOnlySpan<byte> message);

        /// <summary>
        /// mq_receive: takes the oldest message into <paramref name="buffer"/>, waiting while the queue is empty;
        /// returns its length. -EMSGSIZE (nothing taken) if the buffer is shorter than the queue's message size,
        /// -EAGAIN if empty and non-blocking, -EBADF if not opened for reading, -EINTR if killed while waiting.
        /// </summary>
        [Syscall(102)] long MessageQueueReceive(int descriptor, Span<byte> buffer);

        /// <summary>
        /// mq_unlink: removes the name from the caller's IPC namespace; the queue lives on for the descriptors
        /// still open on it and is freed with the last. -ENOENT, -EINVAL, -ENAMETOOLONG as mq_open.
        /// </summary>
        [Syscall(103)] long MessageQueueUnlink(string name);

        /// <summary>mq_getattr: a queue's sizes, its messages waiting and the descriptor's flags (abi/Ipc.cs). -EBADF unless a queue's descriptor.</summary>
        [Syscall(104)] long MessageQueueStatus(int descriptor, out MessageQueueAttributes attributes);

        /// <summary>
        /// What the IPC objects hold (abi/Ipc.cs IpcUsage): queues and their bytes in the caller's namespace and in
        /// all, the IPC namespaces alive, with the kernel heap's bytes and the free frames, for tests and `mq stat`.
        /// </summary>
        [Syscall(105)] long IpcUsage(out IpcUsage usage);

        /// <summary>
        /// unshare: the calling process leaves the namespaces named by <paramref name="flags"/> (NamespaceFlags in
        /// abi/Ipc.cs, Linux's CLONE_NEW* values) for new, empty ones; its children from now on inherit them.
        /// NamespaceFlags.Mount gives a copy of the mount table, changed from then on apart from the others' (mount,
        /// umount, pivot_root); NamespaceFlags.Ipc gives a fresh queue table; NamespaceFlags.User a user namespace whose maps are still
        /// to be written (WriteIdMap; until then the caller's ids show as 65534 and it may do nothing privileged);
        /// -EINVAL for it in a process of several threads, -ENOSPC past 32 nested user namespaces. Uts gives a copy
        /// of the host name to change privately; Pid a new PID namespace for the caller's children, whose next
        /// child is its pid 1 (the caller keeps its own pid). Uts and Pid need root (-EPERM); Pid is -EINVAL when
        /// the caller's children already have a new namespace, -ENOSPC past 32 nested PID namespaces. Mount needs
        /// root too. The flags of namespaces TeachOS does not have yet (network, cgroup) and unknown bits give -EINVAL.
        /// </summary>
        [Syscall(106)] long Unshare(int flags);

        /// <summary>
        /// Writes a user namespace's uid map (<paramref name="kind"/> IdMapKind.Users) or gid map (Groups), once, as a
        /// write of `INSIDE OUTSIDE COUNT` to Linux's /proc/PID/uid_map: <paramref name="count"/> ids from
        /// <paramref name="inside"/> are the parent namespace's from <paramref name="outside"/>. The namespace is
        /// that of process <paramref name="pid"/> (0: the caller); the writer must be in it or in its parent. A
        /// writer that is root in the parent namespace may map any ids the parent maps; anyone else only its own
        /// effective uid (gid), one id, and only if it made the namespace. -EPERM otherwise or when written already,
        /// -EINVAL for bad numbers, -ESRCH for no such process.
        /// </summary>
        [Syscall(107)] long WriteIdMap(int pid, int kind, int inside, int outside, int count);

        /// <summary>Reads a map back (as /proc/PID/uid_map): 1 and the entry if written, 0 if not yet, -EINVAL, -ESRCH.</summary>
        [Syscall(108)] long ReadIdMap(int pid, int kind, out IdMapEntry entry);

        /// <summary>
        /// setns: the caller joins the namespaces of process <paramref name="pid"/> (as the caller's PID namespace
        /// numbers it) named by <paramref name="flags"/> (NamespaceFlags Mount, Uts, Ipc, Pid; 0: all of them), as
        /// Linux's setns on /proc/PID/ns/*. Pid changes only where the caller's future children are born (and must be
        /// the caller's own PID namespace or one below it: -EINVAL). Root in the target's user namespace only
        /// (-EPERM); -ESRCH for no such process; -EINVAL for other flags (User included).
        /// </summary>
        [Syscall(109)] long SetNamespaces(int pid, int flags);

        // ---- The containers' namespaces (110-119; kernel/Namespaces, guide chapter 10). ----

        /// <summary>
        /// sethostname: the host name of the caller's UTS namespace becomes <paramref name="name"/> (1 to 64 bytes,
        /// UtsNamespace.MaximumHostName). Root only (-EPERM); -EINVAL for an empty or longer name, -EFAULT.
        /// </summary>
        [Syscall(110)] long SetHostName(ReadOnlySpan<byte> name);

        /// <summary>gethostname: copies the host name into <paramref name="name"/> (as much as fits); returns its whole length.</summary>
        [Syscall(111)] long GetHostName(Span<byte> name);

        /// <summary>
        /// Starts a thread of this process at <paramref name="entry"/> on the given stack, with the two
        /// arguments in rdi and rsi, named <paramref name="name"/> (for ps and the scheduler trace); returns its id.
        /// </summary>
        [Syscall(18)] long ThreadCreate(ulong entry, ulong stackTop, ulong argument0, ulong argument1, string name);

        /// <summary>Ends the calling thread only.</summary>
        [Syscall(19)] long ThreadExit(int code);

        /// <summary>Waits for a thread of this process to end; returns its exit code.</summary>
        [Syscall(20)] long ThreadJoin(int threadId);

        /// <summary>Facts about the <paramref name="index"/>-th thread, for ps: 1 if filled, 0 past the end.</summary>
        [Syscall(21)] long ThreadInfo(int index, out ThreadInfo info);

        /// <summary>The calling thread's id.</summary>
        [Syscall(22)] long GetThreadId();

        /// <summary>
        /// Lets a thread of this process (0: the caller) run only on the logical CPUs whose bits are set
        /// in <paramref name="mask"/> (bit n: CPU n). -EINVAL if the mask names no online CPU.
        /// </summary>
        [Syscall(23)] long SetAffinity(int threadId, ulong mask);

        /// <summary>The affinity mask of a thread of this process (0: the caller).</summary>
        [Syscall(24)] long GetAffinity(int threadId, out ulong mask);

        /// <summary>Facts about logical CPU <paramref name="index"/> (its core, package, what it runs): 1 if filled, 0 past the end.</summary>
        [Syscall(25)] long CpuInfo(int index, out CpuInfo info);
    }
}
