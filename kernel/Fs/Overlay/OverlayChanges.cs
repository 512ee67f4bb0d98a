using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// Changing an overlay directory's names: create, link, unlink, rmdir, rename. Every change is made
    /// in the upper layer, after copying up what it touches (Fs/Overlay/CopyUp.cs); a name that a lower
    /// layer holds cannot be deleted there, so it is hidden by a whiteout (Fs/Overlay/Whiteouts.cs):
    /// <list type="bullet">
    /// <item>unlink or rmdir of a name with a lower part writes <c>.wh.NAME</c>, then removes the upper part.</item>
    /// <item>a new name removes its whiteout; a new directory there is made opaque first, or the old
    ///   lower directory's entries would show through it again.</item>
    /// <item>rename moves the upper copy and whites out the old name if a lower file was there. A directory
    ///   with a lower part is refused (-EXDEV, as Linux without redirect_dir): moving it would mean copying
    ///   the whole tree; mv then copies and deletes, as it does between volumes.</item>
    /// </list>
    /// Each takes the volume's change lock, so lookups and changes of one change never interleave with another's.
    /// </summary>
    public sealed unsafe partial class OverlayNode
    {
        public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
        {
            created = null;
            int error = CheckNewName(name);
            if (error < 0) return error;
            _volume.Changes.Acquire();
            error = Exists(name);
            if (error == 0) error = CopyUpLocked();
            VfsNode upper = Upper;
            bool whitedOut = error == 0 && Whiteouts.Hides(upper, name);
            VfsNode made = null;
            if (error == 0) error = upper.Create(name, kind, target, attributes, out made);
            if (error == 0 && whitedOut && kind == FileKind.Directory && (error = Whiteouts.MarkOpaque(made)) < 0)
                upper.Unlink(name, directory: true);
            if (error == 0 && whitedOut) error = Whiteouts.Remove(upper, name);
            made?.Put();
            OverlayNode child = null;
            if (error == 0) error = FindChild(name, out child);
            _volume.Changes.Release();
            created = child;
            return error;
        }

        public override int Link(ReadOnlySpan<char> name, VfsNode target)
        {
            if (target is not OverlayNode file || file._volume != _volume) return -Errno.EXDEV;
            if (file._kind == FileKind.Directory) return -Errno.EPERM;
            int error = CheckNewName(name);
            if (error < 0) return error;
            _volume.Changes.Acquire();
            error = Exists(name);
            if (error == 0) error = CopyUpLocked();
            if (error == 0) error = file.CopyUpLocked();
            bool whitedOut = error == 0 && Whiteouts.Hides(Upper, name);
            if (error == 0) error = Upper.Link(name, file.Upper);
            if (error == 0 && whitedOut) error = Whiteouts.Remove(Upper, name);
            _volume.Changes.Release();
            return error;
        }

        public override int Unlink(ReadOnlySpan<char> name, bool directory)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            _volume.Changes.Acquire();
            int error = FindChild(name, out OverlayNode child);
            if (error == 0)
            {
                error = child._kind == FileKind.Directory ? (directory ? child.CheckEmpty() : -Errno.EISDIR)
                    : directory ? -Errno.ENOTDIR : 0;
                bool lower = error == 0 && LowerHas(name);
                if (error == 0) error = _volume.IsReadOnly ? -Errno.EROFS : lower && name.Length > _volume.MaximumNewNameLength ? -Errno.ENAMETOOLONG : 0;
                if (error == 0) error = CopyUpLocked();
                // The whiteout first: if the removal then fails, the name still shows its upper part.
                if (error == 0 && lower) error = Whiteouts.Write(Upper, name);
                if (error == 0 && child.Upper != null && directory) error = Whiteouts.RemoveAll(child.Upper);
                if (error == 0 && child.Upper != null) error = Upper.Unlink(name, directory);
                if (error == 0) child.Detach();
                child.Put();
            }
            _volume.Changes.Release();
            return error;
        }

        public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (toDirectory is not OverlayNode destination || destination._volume != _volume) return -Errno.EXDEV;
            int error = destination.CheckNewName(toName);
            if (error < 0) return error;
            _volume.Changes.Acquire();
            error = FindChild(name, out OverlayNode moving);
            if (error == 0)
            {
                error = RenameLocked(name, moving, destination, toName);
                moving.Put();
            }
            _volume.Changes.Release();
            return error;
        }

        private int RenameLocked(ReadOnlySpan<char> name, OverlayNode moving, OverlayNode destination, ReadOnlySpan<char> toName)
        {
            if (moving._kind == FileKind.Directory && moving.HasLower) return -Errno.EXDEV;
            int error = destination.FindChild(toName, out OverlayNode replaced);
            if (error == -Errno.ENOENT) error = 0;
            if (error < 0) return error;
            if (replaced == moving) { replaced.Put(); return 0; }          // two names of one file: nothing to do
            if (replaced != null)
                error = moving._kind == FileKind.Directory && replaced._kind != FileKind.Directory ? -Errno.ENOTDIR
                    : moving._kind != FileKind.Directory && replaced._kind == FileKind.Directory ? -Errno.EISDIR
                    : replaced._kind == FileKind.Directory ? replaced.CheckEmpty() : 0;
            bool lowerAtOldName = error == 0 && LowerHas(name);
            if (error == 0 && lowerAtOldName && name.Length > _volume.MaximumNewNameLength) error = -Errno.ENAMETOOLONG;
            if (error == 0) error = moving.CopyUpLocked();
            if (error == 0) error = destination.CopyUpLocked();
            if (error == 0) error = CopyUpLocked();
            // A directory that lands where a lower directory of that name is (replaced, or whited out)
            // must be opaque, or the lower entries would show through it.
            bool whitedOut = error == 0 && Whiteouts.Hides(destination.Upper, toName);
            if (error == 0 && replaced != null && replaced.Upper != null && replaced._kind == FileKind.Directory)
                error = Whiteouts.RemoveAll(replaced.Upper);
            if (error == 0 && moving._kind == FileKind.Directory && (whitedOut || destination.LowerHas(toName)))
                error = Whiteouts.MarkOpaque(moving.Upper);
            if (error == 0) error = Upper.Rename(name, destination.Upper, toName);
            if (error == 0) error = Whiteouts.Remove(destination.Upper, toName);
            if (error == 0 && lowerAtOldName) error = Whiteouts.Write(Upper, name);   // the lower file at the old name stays hidden
            if (error == 0)
            {
                replaced?.Detach();
                // A file with a lower origin keeps its upper copy but gives its inode number up: the old name's
                // origin would otherwise find it again under a new file made there. A directory (upper only) moves.
                if (moving.HasLower) moving.Detach();
                else moving.MoveTo(destination, toName);
            }
            replaced?.Put();
            return error;
        }

        // What a new name must be: not the overlay's, short enough for its whiteout, in a writable overlay.
        private int CheckNewName(ReadOnlySpan<char> name)
        {
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (name.Length == 0) return -Errno.ENOENT;
            if (Whiteouts.IsReserved(name)) return -Errno.EINVAL;
            if (_volume.IsReadOnly) return -Errno.EROFS;
            return name.Length > _volume.MaximumNewNameLength ? -Errno.ENAMETOOLONG : 0;
        }

        // Does a lower layer of this directory hold name (of any kind), not hidden by a whiteout above it?
        // Then removing it or renaming it away must leave a whiteout, or the lower one would show again.
        private bool LowerHas(ReadOnlySpan<char> name)
        {
            if (Upper != null && Whiteouts.Hides(Upper, name)) return false;
            for (int i = 1; i < _layers.Length; i++)
            {
                VfsNode directory = _layers[i];
                if (directory == null) continue;
                if (directory.Lookup(name, out VfsNode found) == 0)
                {
                    found.Put();
                    return true;
                }
                if (Whiteouts.Hides(directory, name)) return false;
            }
            return false;
        }

        // 0 if name is free here (-EEXIST if taken, -ENOENT if this directory was removed).
        private int Exists(ReadOnlySpan<char> name)
        {
            if (_detached) return -Errno.ENOENT;
            int error = FindChild(name, out OverlayNode existing);
            if (error == -Errno.ENOENT) return 0;
            if (error == 0) existing.Put();
            return error == 0 ? -Errno.EEXIST : error;
        }

        // The name is gone: lookups no longer find this node, and a write copies it up to a nameless file.
        private void Detach()
        {
            bool flags = _volume.LockNodes();
            _detached = true;
            _volume.UnlockNodes(flags);
        }

        // A rename moved this node: copy-up now puts it under its new name in its new directory.
        private void MoveTo(OverlayNode directory, ReadOnlySpan<char> name)
        {
            directory.Hold();
            string newName = string.Copy(name);
            bool flags = _volume.LockNodes();
            OverlayNode oldParent = _parent;
            string oldName = _name;
            _parent = directory;
            _name = newName;
            _volume.UnlockNodes(flags);
            KernelHeap.Free(oldName);
            oldParent.Put();
        }
    }
}
