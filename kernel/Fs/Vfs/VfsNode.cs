using System;

namespace Fs
{
    /// <summary>
    /// One file, directory or symbolic link of some mounted file system, as the rest of the kernel sees
    /// it: the VFS (virtual file system) layer. The RAM file system (Fs/RamFs.cs) and the disk file
    /// system each implement this class; path resolution (Fs/Vfs/PathResolver.cs), the open-file
    /// handles (Fs/FileHandle.cs), the program loader and the syscalls use only this class, so a file
    /// on any mounted file system can be opened, read, written, listed and run.
    ///
    /// Results: 0 (or a count) on success, a negated errno (abi/Errno.cs) on failure.
    ///
    /// References: a node handed out (by Lookup, Create, Volume.Root's Hold, Paths.Resolve) carries one
    /// reference for the caller, who gives it back with Put. A node whose last name is removed
    /// (Unlink, Rename over it) stays usable while references remain, and is freed at the last Put:
    /// an unlinked file stays readable through a descriptor that holds it, as on Unix.
    ///
    /// Locking rules (the VFS's side of the contract):
    /// <list type="bullet">
    /// <item>The VFS never holds a spin lock while it calls a node's operation: a disk node's
    ///   operations sleep (buffer cache, log). A node takes whatever locks it needs inside each call.</item>
    /// <item>Hold never sleeps (it may be called with a spin lock held: a process's current-directory
    ///   lock). Put may sleep (the last Put of an unlinked disk file frees its blocks); it is called with
    ///   no spin lock held.</item>
    /// <item>Each operation is atomic with respect to the others on the same file system: Rename
    ///   replaces its target in one step, and checks there that a directory is not moved into itself.</item>
    /// </list>
    /// </summary>
    public abstract class VfsNode
    {
        /// <summary>The mounted file system this node belongs to (Rename and Link across two are -EXDEV).</summary>
        public abstract Volume Volume { get; }

        /// <summary>File, Directory or SymbolicLink; fixed for the node's life.</summary>
        public abstract FileKind Kind { get; }

        /// <summary>The node's number, unique within its volume (with Volume, its identity).</summary>
        public abstract ulong Inode { get; }

        /// <summary>Counts changes to a file's contents: a reader made before one knows it is stale.</summary>
        public abstract ulong Version { get; }

        /// <summary>Kind, size, link count, inode number, owner, group and mode, read together.</summary>
        public abstract NodeStatus Status();

        /// <summary>
        /// Owner, group and permission bits alone: what every permission check reads (Fs/Permissions/),
        /// once for each directory a path walks through, so it is cheap (no directory is counted).
        /// </summary>
        public abstract NodeAttributes Attributes();

        /// <summary>
        /// chmod and chown: sets mode (07777), owner and group as given, in one step. Who may do it is the
        /// caller's question (Fs/Permissions/FilePermissions.cs); the node only stores. 0, or -EIO (a damaged
        /// disk inode), -EPERM (a volume that keeps no owners: the kernel tests' read-only one).
        /// </summary>
        public abstract int SetAttributes(NodeAttributes attributes);

        /// <summary>One more reference (never sleeps).</summary>
        public abstract void Hold();

        /// <summary>Gives a reference back; the last one frees a node that has no names left (may sleep).</summary>
        public abstract void Put();

        // ---- Directories. On a node that is not a directory each returns -ENOTDIR. ----

        /// <summary>
        /// The child named <paramref name="name"/> (held), "." (this node) or ".." (the parent; the
        /// volume's root is its own parent: the VFS crosses mount points itself). -ENOENT if missing.
        /// </summary>
        public abstract int Lookup(ReadOnlySpan<char> name, out VfsNode child);

        /// <summary>
        /// Makes a new file, directory or symbolic link (to <paramref name="target"/>, unused for the
        /// others) named <paramref name="name"/>, owned and moded as <paramref name="attributes"/> say
        /// (the caller applied the umask: Fs/Permissions/FilePermissions.cs NewNode); returns it held.
        /// -EEXIST if the name is taken, -ENAMETOOLONG past Volume.MaximumNameLength, -ENOENT in a removed
        /// directory, -ENOSPC when full.
        /// </summary>
        public abstract int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created);

        /// <summary>
        /// A new name for <paramref name="target"/> (a hard link): -EXDEV on another volume, -EPERM for a
        /// directory, -EMLINK when it has the most links it may, -EEXIST if the name is taken.
        /// </summary>
        public abstract int Link(ReadOnlySpan<char> name, VfsNode target);

        /// <summary>
        /// Removes the name. <paramref name="directory"/> false (unlink): files and symbolic links, -EISDIR
        /// for a directory. True (rmdir): directories only, -ENOTDIR otherwise, -ENOTEMPTY unless empty.
        /// </summary>
        public abstract int Unlink(ReadOnlySpan<char> name, bool directory);

        /// <summary>
        /// Moves this directory's entry <paramref name="name"/> to <paramref name="toDirectory"/> as
        /// <paramref name="toName"/>, replacing what is there as Unix does (a file by a file, an empty
        /// directory by a directory; -EISDIR, -ENOTDIR, -ENOTEMPTY otherwise). -EINVAL when a directory
        /// would move into itself or below itself; -EXDEV when toDirectory is on another volume.
        /// </summary>
        public abstract int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName);

        /// <summary>The <paramref name="index"/>-th entry ("." and ".." are not listed): 1 filled, 0 past the end.</summary>
        public abstract int ReadDirectory(int index, out Abi.DirectoryEntry entry);

        // ---- Files. On a directory they return -EISDIR; on a symbolic link -EINVAL. ----

        /// <summary>Copies bytes from <paramref name="offset"/>; returns how many (0 at or past the end).</summary>
        public abstract long ReadAt(long offset, Span<byte> destination);

        /// <summary>Writes at <paramref name="offset"/>, growing the file; the bytes written, or -ENOSPC if none fit.</summary>
        public abstract long WriteAt(long offset, ReadOnlySpan<byte> source);

        /// <summary>Writes at the file's end, found and written in one step (O_APPEND): the bytes written.</summary>
        public abstract long Append(ReadOnlySpan<byte> source);

        /// <summary>Sets the file's size: the bytes past it are gone, a gap reads as zeros. -EINVAL if negative or too large.</summary>
        public abstract int Truncate(long length);

        /// <summary>Makes the node's changes durable (fsync): nothing to do in RAM, a log commit on a disk.</summary>
        public abstract int Sync();

        // ---- Symbolic links. ----

        /// <summary>Copies the link's target (truncated to the span); returns its length. -EINVAL if not a link.</summary>
        public abstract int ReadLink(Span<char> destination);

        /// <summary>The same node: same volume and inode number (two node objects may stand for one inode).</summary>
        public bool IsSameAs(VfsNode other) => other != null && other.Volume == Volume && other.Inode == Inode;
    }

    /// <summary>What stat tells about a node.</summary>
    public struct NodeStatus
    {
        public FileKind Kind;
        public long Size;            // bytes (files), entries (directories), target length (links)
        public int Links;            // names in directories (directories: 2 + subdirectories, as Unix counts)
        public ulong Inode;
        public NodeAttributes Attributes;
    }

}
