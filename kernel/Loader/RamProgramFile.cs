using System;
using Fs;
using Mem;

namespace Loader
{
    /// <summary>
    /// A program file of the RAM file system, read where it lies: each read takes the file-system lock,
    /// copies the piece asked for (a page at most, for the loader; a header or a symbol, for the fault
    /// report) and lets go. No copy of the file is made, so a process costs the kernel heap nothing for
    /// its image, and the lock is never held for long.
    ///
    /// A process keeps its RamProgramFile for the fault report's symbol lookup, so the file may change
    /// while the program runs: a student rewrites it (open with Truncate, then write). The reader notes
    /// the node's Version when it is made; once the version differs, every read fails, and the report
    /// says the symbols are unavailable instead of naming a function of whatever program the file holds
    /// now. No reference count is needed on the node: TeachOS never frees a RamNode (there is no
    /// unlink), and every read finds the node's current bytes under the lock, never a freed array. If
    /// unlink comes, a node must then stay allocated while a reader holds it: count readers on the node.
    /// </summary>
    public sealed class RamProgramFile : IProgramFile
    {
        private readonly RamNode _node;
        private readonly ulong _version;

        private RamProgramFile(RamNode node, ulong version)
        {
            _node = node;
            _version = version;
        }

        /// <summary>The program at <paramref name="path"/>: 0, or -ENOENT, -ENOTDIR or -EISDIR.</summary>
        public static long Open(ReadOnlySpan<char> path, out RamProgramFile file)
        {
            file = null;
            if (path.Length == 0) return -Abi.Errno.ENOENT;      // "" names no file (not the root)
            bool locked = FileSystem.Lock.Acquire();
            RamNode node = RamNode.Lookup(path, out int lookupError);
            long result = node == null ? -lookupError : node.IsDirectory ? -Abi.Errno.EISDIR : 0;
            if (result == 0) file = new RamProgramFile(node, node.Version);      // the version is read under the lock
            FileSystem.Lock.Release(locked);
            return result;
        }

        /// <summary>A second reader of the same file at the same version (fork's child has its own).</summary>
        public RamProgramFile Copy() => new RamProgramFile(_node, _version);

        /// <summary>True once the file was written or truncated after this reader was made.</summary>
        public bool Changed => _node.Version != _version;

        public ulong Length
        {
            get
            {
                bool locked = FileSystem.Lock.Acquire();
                ulong length = Changed ? 0 : (ulong)_node.Length;
                FileSystem.Lock.Release(locked);
                return length;
            }
        }

        public bool ReadAt(ulong offset, Span<byte> buffer)
        {
            bool locked = FileSystem.Lock.Acquire();
            bool inFile = !Changed && Bounds.Fits(offset, (ulong)buffer.Length, (ulong)_node.Length);
            if (inFile) _node.ReadAt((long)offset, buffer);
            FileSystem.Lock.Release(locked);
            return inFile;
        }
    }
}
