using Proc;
using System;
using Abi;
using Fs;
using Mem;
using Sched;
using TeachOS.Boundary;

namespace Syscalls
{
    /// <summary>Handlers for file syscalls: read, write, open, close, fstat, pipe, dup2, readdir.</summary>
    [SyscallHandlers]
    public static unsafe class FileSyscalls
    {
        // Data goes through a kernel buffer on the kernel stack, a chunk at a time: the file code never
        // sees a user address, and a pipe may block between chunks without holding user memory.
        // 4 KiB: on the disk each chunk a write hands down is one log commit (Fs/DiskFiles.cs), and a
        // commit costs about a dozen disk operations whatever it carries; four blocks a commit write
        // a large file about three times as fast as one. Small writes still take only what they need.
        private const int ChunkSize = 4096;

        private static Process Current => Process.Current;

        /// <summary>write(fd, buffer, length): returns bytes written.</summary>
        public static long Write(int descriptor, UserBuffer data)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = Write(file, data);
            file.Release();
            return result;
        }

        private static long Write(OpenFile file, UserBuffer data)
        {
            if (!UserMemory.InUserSpace(data)) return -Errno.EFAULT;
            // Only as large as this write needs: C# zeroes a stackalloc buffer, and zeroing 1 KiB for a
            // one-byte write was most of a pipe round trip (docs/guide/04-syscalls.md, "Profiling").
            byte* chunk = stackalloc byte[data.Length < ChunkSize ? (int)data.Length : ChunkSize];
            ulong done = 0;
            while (done < data.Length)
            {
                int size = (int)(data.Length - done < ChunkSize ? data.Length - done : ChunkSize);
                if (!UserMemory.CopyIn(Current.AddressSpace, data.Slice(done, (ulong)size), new Span<byte>(chunk, size)))
                    return done > 0 ? (long)done : -Errno.EFAULT;
                long written = file.Write(new ReadOnlySpan<byte>(chunk, size));
                if (written < 0) return done > 0 ? (long)done : written;
                done += (ulong)written;
                if (written < size) break;
            }
            return (long)done;
        }

        /// <summary>read(fd, buffer, length): returns bytes read, 0 at end of file.</summary>
        public static long Read(int descriptor, UserBuffer buffer)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = Read(file, buffer);
            file.Release();
            return result;
        }

        private static long Read(OpenFile file, UserBuffer buffer)
        {
            if (!UserMemory.InUserSpace(buffer)) return -Errno.EFAULT;
            // A read of nothing returns at once, as POSIX says: an empty pipe or the console would
            // otherwise wait for data the caller did not ask for, for ever if none comes.
            if (buffer.Length == 0) return 0;
            int size = (int)(buffer.Length < ChunkSize ? buffer.Length : ChunkSize);
            byte* chunk = stackalloc byte[size];                 // as Write's: no larger than the read
            long read = file.Read(new Span<byte>(chunk, size));
            if (read <= 0) return read;
            if (!UserMemory.CopyOut(Current.AddressSpace, buffer, new ReadOnlySpan<byte>(chunk, (int)read)))
                return -Errno.EFAULT;
            return read;
        }

        /// <summary>
        /// open(path, flags): returns a new descriptor. A relative path starts at the current directory;
        /// OpenFlags say what to create, truncate, refuse (abi/Structures.cs); PathOperations.OpenNode
        /// resolves (Fs/Vfs/PathOperations.cs).
        /// </summary>
        public static long Open(UserString path, int flags)
        {
            // The path is copied onto the kernel stack: looking it up allocates nothing.
            char* text = stackalloc char[UserPaths.Capacity];
            long length = UserPaths.CopyIn(path, new Span<char>(text, UserPaths.Capacity));
            if (length < 0) return length;
            int access = flags & 3;
            if (access == 3) return -Errno.EINVAL;
            VfsNode directory = Current.HoldCurrentDirectory();
            int error = PathOperations.OpenNode(Current.Credentials, directory, new ReadOnlySpan<char>(text, (int)length), flags, out VfsNode node);
            directory.Put();
            return error < 0 ? error : Open(node, access, flags);
        }

        // A descriptor for node (held: the handle takes the reference over, or it is put here).
        private static long Open(VfsNode node, int access, int flags)
        {
            bool readable = access == OpenFlags.ReadOnly || access == OpenFlags.ReadWrite;
            bool writable = access == OpenFlags.WriteOnly || access == OpenFlags.ReadWrite;
            OpenFile file;
            if (node.Kind == FileKind.Directory)
            {
                if (writable) { node.Put(); return -Errno.EISDIR; }
                file = new DirectoryHandle(node);
            }
            else
            {
                if (writable && (flags & OpenFlags.Truncate) != 0)
                {
                    int truncated = node.Truncate(0);
                    if (truncated < 0) { node.Put(); return truncated; }
                }
                file = new FileHandle(node, readable, writable, (flags & OpenFlags.Append) != 0);
            }
            int descriptor = Current.Files.Add(file);
            if (descriptor < 0)
            {
                file.Release();
                return -Errno.EMFILE;
            }
            return descriptor;
        }

        public static long Close(int descriptor) => Current.Files.Close(descriptor) ? 0 : -Errno.EBADF;

        /// <summary>fstat(fd, &amp;status): what the descriptor refers to, its size, link count and inode number.</summary>
        public static long FileStatus(int descriptor, UserPointer<FileStatus> status)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            var result = new FileStatus { Kind = (int)file.Kind, Size = file.Size };
            if (file.Node != null)
            {
                NodeStatus node = file.Node.Status();
                result.Links = node.Links;
                result.Inode = node.Inode;
                result.Mode = node.Attributes.Mode;
                // In the caller's user namespace's ids (65534 for an owner it does not map).
                result.UserId = Current.Credentials.UserNamespace.FromKernel(node.Attributes.UserId, group: false);
                result.GroupId = Current.Credentials.UserNamespace.FromKernel(node.Attributes.GroupId, group: true);
            }
            else
            {
                // A pipe or the console has no node to own it: it is the caller's own, as Linux shows it.
                result.Mode = file.Kind == FileKind.Pipe ? PipeMode : ConsoleMode;
                result.UserId = Current.Credentials.UserNamespace.FromKernel(Current.Credentials.EffectiveUserId, group: false);
                result.GroupId = Current.Credentials.UserNamespace.FromKernel(Current.Credentials.EffectiveGroupId, group: true);
            }
            file.Release();
            return UserMemory.Write(Current.AddressSpace, status, result) ? 0 : -Errno.EFAULT;
        }

        private const int PipeMode = FileMode.OwnerRead | FileMode.OwnerWrite;                          // 0600
        private const int ConsoleMode = FileMode.OwnerRead | FileMode.OwnerWrite | FileMode.GroupWrite;   // 0620, a terminal's

        /// <summary>pipe(&amp;descriptors): a new pipe; fills in its read and write descriptors.</summary>
        public static long Pipe(UserPointer<PipeDescriptors> descriptors)
        {
            // Check the destination first, so a bad pointer does not leave behind two descriptors.
            if (!UserMemory.Write(Current.AddressSpace, descriptors, default)) return -Errno.EFAULT;
            // The buffer is kernel memory on the user's behalf: not from the kernel's last frames.
            if (!Mem.MemoryBudget.CanAllocateKernelFrames(Mem.MemoryBudget.FramesFor(Fs.Pipe.Capacity) + 1))
            {
                OutOfMemoryKiller.RelieveIfCritical();
                return -Errno.ENOMEM;
            }
            Fs.Pipe.Create(out PipeEnd reader, out PipeEnd writer);
            int readDescriptor = Current.Files.Add(reader);
            int writeDescriptor = readDescriptor < 0 ? -1 : Current.Files.Add(writer);
            if (writeDescriptor < 0)
            {
                if (readDescriptor >= 0) Current.Files.Close(readDescriptor); else reader.Release();
                writer.Release();
                return -Errno.EMFILE;
            }
            var result = new PipeDescriptors { Read = readDescriptor, Write = writeDescriptor };
            if (!UserMemory.Write(Current.AddressSpace, descriptors, result))
            {
                Current.Files.Close(readDescriptor);
                Current.Files.Close(writeDescriptor);
                return -Errno.EFAULT;
            }
            return 0;
        }

        /// <summary>dup2(old, new): makes descriptor new refer to what old refers to. Returns new.</summary>
        public static long Duplicate(int oldDescriptor, int newDescriptor)
        {
            if (newDescriptor < 0 || newDescriptor >= FileTable.Size) return -Errno.EBADF;
            OpenFile file = Current.Files.Acquire(oldDescriptor);
            if (file == null) return -Errno.EBADF;
            if (oldDescriptor != newDescriptor) Current.Files.Set(newDescriptor, file);
            file.Release();
            return newDescriptor;
        }

        /// <summary>readdir(fd, index, &amp;entry): the index-th entry of a directory; 1 if filled, 0 past the end.</summary>
        public static long ReadDirectory(int descriptor, int index, UserPointer<DirectoryEntry> entry)
        {
            OpenFile file = Current.Files.Acquire(descriptor);
            if (file == null) return -Errno.EBADF;
            long result = file is DirectoryHandle directory ? ReadDirectory(directory.Node, index, entry) : -Errno.ENOTDIR;
            file.Release();
            return result;
        }

        private static long ReadDirectory(VfsNode directory, int index, UserPointer<DirectoryEntry> entry)
        {
            if (index < 0) return -Errno.EINVAL;
            int found = directory.ReadDirectory(index, out DirectoryEntry result);
            if (found <= 0) return found;
            return UserMemory.Write(Current.AddressSpace, entry, result) ? 1 : -Errno.EFAULT;
        }
    }
}
