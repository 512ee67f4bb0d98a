using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// readdir of an overlay directory: the entries of all its layers, upper first, each name once, none
    /// that a whiteout hides, and never the whiteouts and opaque markers themselves. The same rules as
    /// lookup (Fs/Overlay/OverlayLookup.cs), applied to whole directories: a whiteout in layer i hides the
    /// name in layers below i; a name first seen in layer i hides the same name in the layers below
    /// unless both are directories (merged: shown once).
    ///
    /// readdir asks for one entry at a time by index, and the layers have to be read whole to know
    /// which names survive, so the merged list is made when index 0 is asked for (a new listing) and
    /// kept on the node (<see cref="_listing"/>) for the following indexes. A name found in more than
    /// one layer takes the inode number lookup would give it, so getcwd's search (Fs/Vfs/PathNames.cs)
    /// finds a directory by its number.
    /// </summary>
    public sealed unsafe partial class OverlayNode
    {
        private DirectoryEntry[] _listing;
        private int _listingCount;

        // One name while the layers are read: where it shows, and from which layer down it is hidden.
        private struct MergedName
        {
            public DirectoryEntry Entry;
            public bool Visible;          // some layer shows it (a whiteout alone makes an invisible one)
            public bool InSeveral;        // found in more than one layer: its inode number is lookup's
            public int HiddenBelow;       // layers deeper than this one do not show it
        }

        public override int ReadDirectory(int index, out DirectoryEntry entry)
        {
            entry = default;
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (index < 0) return -Errno.EINVAL;
            if (index == 0 || _listing == null)
            {
                int error = BuildListing();
                if (error < 0) return error;
            }
            bool flags = _volume.LockNodes();
            bool exists = index < _listingCount;
            if (exists) entry = _listing[index];
            _volume.UnlockNodes(flags);
            return exists ? 1 : 0;
        }

        /// <summary>rmdir's question: 0 if the directory shows no entry, -ENOTEMPTY if it does.</summary>
        internal int CheckEmpty()
        {
            int error = BuildListing();
            return error < 0 ? error : _listingCount > 0 ? -Errno.ENOTEMPTY : 0;
        }

        private void FreeListing()
        {
            if (_listing != null) KernelHeap.Free(_listing);
            _listing = null;
            _listingCount = 0;
        }

        private int BuildListing()
        {
            var names = new MergedName[16];
            int count = 0, error = 0;
            for (int layer = 0; layer < _layers.Length && error == 0 && !_detached; layer++)
                if (_layers[layer] != null) error = AddLayer(_layers[layer], layer, ref names, ref count);
            var listing = new DirectoryEntry[count == 0 ? 1 : count];
            int shown = 0;
            for (int i = 0; i < count && error == 0; i++)
            {
                if (!names[i].Visible) continue;
                listing[shown] = names[i].Entry;
                if (names[i].InSeveral) error = InodeByLookup(ref listing[shown]);
                shown++;
            }
            KernelHeap.Free(names);
            if (error < 0)
            {
                KernelHeap.Free(listing);
                return error;
            }
            bool flags = _volume.LockNodes();
            DirectoryEntry[] old = _listing;
            _listing = listing;
            _listingCount = shown;
            _volume.UnlockNodes(flags);
            if (old != null) KernelHeap.Free(old);
            return 0;
        }

        // Reads one layer's directory into names.
        private static int AddLayer(VfsNode directory, int layer, ref MergedName[] names, ref int count)
        {
            char* text = stackalloc char[DirectoryEntry.MaximumName];
            for (int index = 0; ; index++)
            {
                int found = directory.ReadDirectory(index, out DirectoryEntry entry);
                if (found <= 0) return found;
                int length = entry.NameLength < DirectoryEntry.MaximumName ? entry.NameLength : DirectoryEntry.MaximumName;
                for (int i = 0; i < length; i++) text[i] = (char)entry.Name[i];
                var name = new ReadOnlySpan<char>(text, length);
                if (name.SequenceEqual(Whiteouts.OpaqueMarker)) continue;   // the layer's directory was cut there already
                bool whiteout = Whiteouts.IsReserved(name);
                int at = Find(names, count, whiteout ? name.Slice(Whiteouts.Prefix.Length) : name);
                if (at < 0)
                {
                    at = Add(ref names, ref count, entry);
                    if (whiteout) RemovePrefix(ref names[at].Entry);
                    names[at].Visible = false;
                    names[at].HiddenBelow = int.MaxValue;
                }
                ref MergedName merged = ref names[at];
                if (whiteout)
                {
                    if (layer < merged.HiddenBelow) merged.HiddenBelow = layer;
                    continue;
                }
                if (layer > merged.HiddenBelow) continue;
                if (!merged.Visible)
                {
                    entry.Inode = OverlayVolume.InodeFor(layer, entry.Inode);
                    merged.Entry = entry;
                    merged.Visible = true;
                    if (entry.Kind != (int)FileKind.Directory && layer > 0) merged.HiddenBelow = layer;   // a lower file is whole
                }
                else merged.InSeveral = true;
            }
        }

        // A name of several layers: its number is the one lookup gives (the origin's).
        private int InodeByLookup(ref DirectoryEntry entry)
        {
            char* text = stackalloc char[DirectoryEntry.MaximumName];
            for (int i = 0; i < entry.NameLength; i++) text[i] = (char)entry.Name[i];
            int error = FindChild(new ReadOnlySpan<char>(text, entry.NameLength), out OverlayNode child);
            if (error < 0) return error;
            entry.Inode = child._inode;
            entry.Kind = (int)child._kind;
            child.Put();
            return 0;
        }

        private static int Find(MergedName[] names, int count, ReadOnlySpan<char> name)
        {
            for (int i = 0; i < count; i++)
            {
                if (names[i].Entry.NameLength != name.Length) continue;
                int same = 0;
                fixed (byte* bytes = names[i].Entry.Name)
                    while (same < name.Length && bytes[same] == (byte)name[same]) same++;
                if (same == name.Length) return i;
            }
            return -1;
        }

        private static int Add(ref MergedName[] names, ref int count, DirectoryEntry entry)
        {
            if (count == names.Length)
            {
                var larger = new MergedName[count * 2];
                for (int i = 0; i < count; i++) larger[i] = names[i];
                KernelHeap.Free(names);
                names = larger;
            }
            names[count] = new MergedName { Entry = entry };
            return count++;
        }

        // ".wh.NAME" becomes "NAME": the entry stands for the name it hides.
        private static void RemovePrefix(ref DirectoryEntry entry)
        {
            int prefix = Whiteouts.Prefix.Length;
            for (int i = 0; i + prefix < entry.NameLength; i++) entry.Name[i] = entry.Name[i + prefix];
            entry.NameLength -= prefix;
        }
    }
}
