using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// Copy-up: before the first change to a lower file (a write, truncate, chmod or chown, a rename, a
    /// new hard link), the overlay copies it into the upper layer, with its mode and owner, and from then
    /// on reads and changes only the copy. The lower layer is never written: it may be shared by many
    /// containers (an image's layers), and each container's changes stay in its own upper layer.
    ///
    /// Its directory is copied up first (an empty upper directory of the same mode and owner: the
    /// lower entries still show through it, merged), and so on up to the root, whose upper directory
    /// always exists. A file's bytes are copied into a new file in the work directory, which is then
    /// renamed to its place: the rename is one step, so a crash or a full disk leaves the lower file
    /// visible or the whole copy, never half a file. A directory or a link is made in place at once.
    /// A file whose name was removed while it was open (detached) is copied into the work directory and
    /// unlinked there: the writes go to a file nobody can find, as they would on any Unix.
    /// </summary>
    public sealed unsafe partial class OverlayNode
    {
        private const int CopyChunk = 4096;

        /// <summary>Makes sure the node has its upper copy (the volume's change lock taken here unless held).</summary>
        internal int CopyUp(bool withData = true)
        {
            if (_volume.IsReadOnly) return -Errno.EROFS;                 // an upper copy made before a read-only mount stays unwritten too
            if (Upper != null) return 0;
            bool mine = !_volume.Changes.IsHeldByCurrentThread;
            if (mine) _volume.Changes.Acquire();
            int error = CopyUpLocked(withData);
            if (mine) _volume.Changes.Release();
            return error;
        }

        /// <summary>Copy-up with the volume's change lock held.</summary>
        internal int CopyUpLocked(bool withData = true)
        {
            if (_volume.IsReadOnly) return -Errno.EROFS;
            if (Upper != null) return 0;
            if (_detached && _kind != FileKind.File) return -Errno.ENOENT;
            if (!_detached)
            {
                int parentError = _parent.CopyUpLocked();
                if (parentError < 0) return parentError;
            }
            VfsNode lower = Top;
            NodeAttributes attributes = lower.Attributes();
            VfsNode made;
            int error = _kind == FileKind.File ? CopyFile(lower, attributes, withData, out made)
                : _kind == FileKind.Directory ? MakeInPlace(FileKind.Directory, default, attributes, out made)
                : _kind == FileKind.SymbolicLink ? CopyLink(lower, attributes, out made)
                : CannotCopy(out made);                                  // a device: only its driver's volume has those
            if (error < 0) return error;
            bool flags = _volume.LockNodes();
            _layers[0] = made;
            _volume.UnlockNodes(flags);
            return 0;
        }

        // A directory or a link: made under its name at once (mkdir and symlink are one step each).
        private int MakeInPlace(FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode made)
        {
            VfsNode directory = _parent.Upper;
            int error = directory.Create(_name, kind, target, attributes, out made);
            if (error == -Errno.EEXIST && directory.Lookup(_name, out made) == 0 && made.Kind == kind) return 0;   // left by an earlier, interrupted copy-up
            return error;
        }

        private int CopyLink(VfsNode lower, NodeAttributes attributes, out VfsNode made)
        {
            char* target = stackalloc char[Paths.MaximumPathLength];
            int length = lower.ReadLink(new Span<char>(target, Paths.MaximumPathLength));
            made = null;
            if (length < 0) return length;
            return MakeInPlace(FileKind.SymbolicLink, new ReadOnlySpan<char>(target, length), attributes, out made);
        }

        private static int CannotCopy(out VfsNode made)
        {
            made = null;
            return -Errno.EPERM;
        }

        // A file: copied into the work directory under a fresh name, then renamed to its place.
        private int CopyFile(VfsNode lower, NodeAttributes attributes, bool withData, out VfsNode made)
        {
            VfsNode work = _volume.WorkDirectory;
            char* text = stackalloc char[24];
            var workName = WorkName(new Span<char>(text, 24));
            work.Unlink(workName, directory: false);                     // a copy a crash left behind
            int error = work.Create(workName, FileKind.File, default, attributes, out made);
            if (error < 0) return error;
            if (withData) error = CopyBytes(lower, made);
            if (error == 0) error = _detached ? work.Unlink(workName, directory: false) : work.Rename(workName, _parent.Upper, _name);
            if (error < 0)
            {
                work.Unlink(workName, directory: false);
                made.Put();
                made = null;
            }
            return error;
        }

        private static int CopyBytes(VfsNode from, VfsNode to)
        {
            byte* buffer = (byte*)KernelHeap.Allocate(CopyChunk);
            int error = 0;
            for (long offset = 0; ; )
            {
                long read = from.ReadAt(offset, new Span<byte>(buffer, CopyChunk));
                if (read <= 0) { error = (int)read; break; }
                long written = to.WriteAt(offset, new ReadOnlySpan<byte>(buffer, (int)read));
                if (written != read) { error = written < 0 ? (int)written : -Errno.ENOSPC; break; }
                offset += read;
            }
            KernelHeap.Free(buffer);
            return error;
        }

        // "#N": a name no user file in the work directory has (the work directory is the overlay's).
        private Span<char> WorkName(Span<char> buffer)
        {
            ulong number = _volume.NextWorkNumber();                    // under the change lock
            int digits = 1;
            for (ulong rest = number / 10; rest != 0; rest /= 10) digits++;
            buffer[0] = '#';
            for (int i = digits; i >= 1; i--, number /= 10) buffer[i] = (char)('0' + (int)(number % 10));
            return buffer.Slice(0, 1 + digits);
        }
    }
}
