using System.Runtime.InteropServices;

namespace Abi
{
    // Structures that cross the user/kernel boundary by copy (Mem/UserMemory.cs). Both sides
    // compile this file, so their layouts are the same by construction. Only plain numbers and fixed
    // buffers: no references, since a kernel address means nothing to a user program and vice versa.

    /// <summary>fstat: what kind of file a descriptor refers to and how big it is.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FileStatus
    {
        public int Kind;             // 1 file, 2 directory, 3 console, 4 pipe, 5 symbolic link, 6 message queue, 7 character device (/dev/null...) (Fs/FileKind.cs)
        public int Links;            // names the node has (directories: 2 + subdirectories); 0 for pipes and descriptor 0's console
        public long Size;            // bytes in a file; entries in a directory; bytes waiting in a pipe; a link's target length; messages in a queue
        public ulong Inode;          // the node's number within its file system (0 for pipes and the console)
        public int Mode;             // permission bits (FileMode: 07777); 0600 for pipes, 0620 for the console
        public int UserId;           // owner
        public int GroupId;          // group
        public int Reserved;         // keeps the structure a multiple of 8 bytes
    }

    /// <summary>readdir: one entry of a directory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct DirectoryEntry
    {
        public const int MaximumName = 60;       // a disk directory entry's name (abi/DiskFormat.cs)
        public int Kind;                         // as FileStatus.Kind
        public int NameLength;
        public long Size;
        public ulong Inode;
        public fixed byte Name[MaximumName];
    }

    /// <summary>threadinfo: what ps shows for one thread.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ThreadInfo
    {
        public const int MaximumName = 24;
        public int ThreadId;
        public int ProcessId;
        public int ParentProcessId;
        public int State;            // 0 ready, 1 running, 2 blocked, 3 sleeping, 4 zombie (Sched/ThreadState.cs)
        public long CpuTicks;
        public long KernelStackUsed; // high-water mark in bytes
        public long KernelStackSize;
        public int Cpu;
        public int NameLength;
        public fixed byte Name[MaximumName];
        public int UserId;           // the process's real user id
        public int EffectiveUserId;
    }

    /// <summary>
    /// One logical CPU, for the `cpus` program: where it sits in the topology (CPUID leaf 0xB) and what it
    /// is doing. Logical CPUs with the same Package and Core are hyper-threads (SMT siblings) of one core.
    /// </summary>
    public unsafe struct CpuInfo
    {
        public const int MaximumName = 24;
        public int Id;               // logical CPU number: bit Id of an affinity mask
        public int ApicId;           // the local APIC's id, from which the topology is read
        public int Package;          // socket
        public int Core;             // core within the package
        public int SmtThread;        // which hyper-thread of that core
        public int Online;           // 1 once the CPU has started and is scheduling
        public int RunningThreadId;  // 0 when idle
        public int RunningProcessId; // 0 for a kernel thread or idle
        public int ReadyCount;       // threads waiting in its run queue
        public long BusyTicks;       // timer ticks spent running threads
        public long IdleTicks;       // timer ticks spent idle
        public int NameLength;       // of the running thread's name
        public fixed byte Name[MaximumName];
    }

    /// <summary>Flags for open.</summary>
    public static class OpenFlags
    {
        public const int ReadOnly = 0;
        public const int WriteOnly = 1;
        public const int ReadWrite = 2;
        public const int Create = 0x40;          // O_CREAT: make the file if it is missing
        public const int Exclusive = 0x80;       // O_EXCL: with Create, -EEXIST if the name exists (even as a symbolic link)
        public const int Truncate = 0x200;       // O_TRUNC: empty a file opened for writing
        public const int Append = 0x400;         // O_APPEND: every write goes to the end, found and written in one step
        public const int Directory = 0x10000;    // O_DIRECTORY: -ENOTDIR unless the path names a directory
        public const int NoFollow = 0x20000;     // O_NOFOLLOW: -ELOOP if the last part is a symbolic link
    }

    /// <summary>
    /// A file's permission bits, as Unix numbers them (octal). Three groups of read/write/execute: the
    /// owner's, the group's, everyone else's; then the three special bits.
    /// </summary>
    public static class FileMode
    {
        public const int SetUserId = 0x800;      // 04000: exec runs the program with the file owner's effective uid
        public const int SetGroupId = 0x400;     // 02000: ... with its group; on a directory, new files take the directory's group
        public const int Sticky = 0x200;         // 01000: in a directory, only a file's owner, the directory's owner or root may remove or rename it
        public const int OwnerRead = 0x100;      // 0400
        public const int OwnerWrite = 0x80;      // 0200
        public const int OwnerExecute = 0x40;    // 0100 (on a directory: search, i.e. pass through it in a path)
        public const int GroupRead = 0x20;       // 040
        public const int GroupWrite = 0x10;      // 020
        public const int GroupExecute = 0x8;     // 010
        public const int OtherRead = 0x4;        // 04
        public const int OtherWrite = 0x2;       // 02
        public const int OtherExecute = 0x1;     // 01
        public const int AnyExecute = OwnerExecute | GroupExecute | OtherExecute;   // 0111
        public const int Permissions = 0x1FF;    // 0777
        public const int All = 0xFFF;            // 07777: what chmod may set
        public const int Program = 0x1ED;        // 0755, rwxr-xr-x: a program anyone may run and only its owner change
    }

    /// <summary>The limits of user and group ids (credentials syscalls 80-93).</summary>
    public static class UserIds
    {
        public const int Root = 0;               // the superuser: passes every read and write check
        public const int MaximumId = 65535;      // larger ids are -EINVAL (TeachOS keeps ids small and positive)
        public const int Unchanged = -1;         // setreuid, setresuid, chown: leave this id as it is
        public const int MaximumGroups = 16;     // supplementary groups a process may hold
    }

    /// <summary>lseek's <c>whence</c>: where the offset is counted from.</summary>
    public static class SeekFrom
    {
        public const int Start = 0;              // SEEK_SET
        public const int Current = 1;            // SEEK_CUR
        public const int End = 2;                // SEEK_END
    }

    /// <summary>
    /// memorymap (vmmap): one run of user pages that look alike in the page tables: consecutive
    /// addresses, the same bits in their entries, the same backing. Kernel/Mem/MappingWalk.cs makes them.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MappingRecord
    {
        public ulong Start;          // first address of the run (page-aligned)
        public ulong End;            // first address after it
        public int Flags;            // PageFlags: what the entries say
        public int Software;         // the entries' bits 9-11, which the MMU ignores and the kernel may use (copy-on-write)
        public int Backing;          // MappingBacking: what the process keeps there
        public int Frames;           // physical frames behind the run (0 when its entries are not present)
    }

    /// <summary>Bits of <see cref="MappingRecord.Flags"/>, each the page-table entry's bit of that name.</summary>
    public static class PageFlags
    {
        public const int Present = 1;
        public const int User = 2;
        public const int Writable = 4;
        public const int Executable = 8;     // the entry's NX bit (63) is clear
        public const int Accessed = 16;      // the CPU set bit 5: the page was read or written since the bit was last cleared
        public const int Dirty = 32;         // the CPU set bit 6: the page was written
    }

    /// <summary>Values of <see cref="MappingRecord.Backing"/>: which region of the process a run lies in (Mem/UserLayout.cs).</summary>
    public static class MappingBacking
    {
        public const int Unknown = 0;        // mapped, but in no region the process knows of
        public const int Program = 1;        // the ELF's segments: code, read-only data, data, bss
        public const int Heap = 2;           // between the end of the program and the break (sbrk)
        public const int Stack = 3;          // the main thread's stack, below StackTop
        public const int ThreadStack = 4;    // a thread's stack (in the heap) from its top down to its stack pointer
        public const int Mmap = 5;           // a mapping made by mmap
    }
}

namespace Abi
{
    /// <summary>mmap's protection (Linux's PROT_ values): Read, or Read | Write (write implies read on x86).</summary>
    public static class MemoryProtection
    {
        public const int None = 0;
        public const int Read = 1;
        public const int Write = 2;
        public const int Execute = 4;
    }

    /// <summary>mmap's flags (Linux's MAP_ values). TeachOS maps Private memory only.</summary>
    public static class MappingFlags
    {
        public const int Shared = 0x01;
        public const int Private = 0x02;
        public const int Anonymous = 0x20;
    }

    /// <summary>pipe: the two descriptors it creates.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    public struct PipeDescriptors
    {
        public int Read;
        public int Write;
    }
}
