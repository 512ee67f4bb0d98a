using System;
using Fs;
using Mem;

namespace Loader
{
    /// <summary>
    /// A program file of any mounted file system, read where it lies: each read asks the node for the
    /// piece wanted (a page at most, for the loader; a header or a symbol, for the fault report). No
    /// copy of the file is made, so a process costs the kernel heap nothing for its image.
    ///
    /// A process keeps its ProgramFile for the fault report's symbol lookup, so the file may change
    /// while the program runs: a student rewrites it (open with Truncate, then write). The reader notes
    /// the node's Version when it is made; once the version differs, every read fails, and the report
    /// says the symbols are unavailable instead of naming a function of whatever program the file holds
    /// now. The reader holds the node (a reference: Fs/Vfs/VfsNode.cs), so a program whose file is
    /// unlinked while it runs still reads a live node; Close gives the reference back.
    /// </summary>
    public sealed class ProgramFile : IProgramFile
    {
        private readonly VfsNode _node;
        private readonly ulong _version;

        /// <summary>Owner, group and mode when it was opened: exec's setuid and setgid bits come from here.</summary>
        public NodeAttributes Attributes { get; }

        private ProgramFile(VfsNode node, ulong version, NodeAttributes attributes)
        {
            _node = node;
            _version = version;
            Attributes = attributes;
        }

        /// <summary>
        /// The program at <paramref name="path"/> (relative to <paramref name="directory"/>), which
        /// <paramref name="who"/> may execute (an x bit for its class; root: any x bit): 0, or -ENOENT,
        /// -ENOTDIR, -ELOOP, -EISDIR (a directory), -EACCES (not a regular file, or not executable).
        /// </summary>
        public static long Open(Credentials who, VfsNode directory, ReadOnlySpan<char> path, out ProgramFile file)
        {
            file = null;
            int error = Paths.Resolve(who, directory, path, followLast: true, out VfsNode node);
            if (error < 0) return error;
            NodeAttributes attributes = node.Attributes();
            if (node.Kind != FileKind.File) error = node.Kind == FileKind.Directory ? -Abi.Errno.EISDIR : -Abi.Errno.EACCES;
            else error = FilePermissions.Check(who, attributes, isDirectory: false, FilePermissions.Execute);
            if (error < 0)
            {
                node.Put();
                return error;
            }
            file = new ProgramFile(node, node.Version, attributes);
            return 0;
        }

        /// <summary>A second reader of the same file at the same version (fork's child has its own).</summary>
        public ProgramFile Copy()
        {
            _node.Hold();
            return new ProgramFile(_node, _version, Attributes);
        }

        /// <summary>Gives the node back and frees the reader. May sleep (a disk node's last Put): no spin lock held.</summary>
        public void Close()
        {
            _node.Put();
            KernelHeap.Free(this);
        }

        /// <summary>True once the file was written or truncated after this reader was made.</summary>
        public bool Changed => _node.Version != _version;

        public ulong Length => Changed ? 0 : (ulong)_node.Status().Size;

        public bool ReadAt(ulong offset, Span<byte> buffer)
        {
            if (Changed || !Bounds.Fits(offset, (ulong)buffer.Length, (ulong)_node.Status().Size)) return false;
            return _node.ReadAt((long)offset, buffer) == buffer.Length && !Changed;
        }
    }
}
