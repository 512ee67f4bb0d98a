using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// Finding a name in an overlay directory: the layers are asked from the top, and each answer
    /// decides how far down to go (Linux's ovl_lookup, with OCI whiteouts):
    /// <list type="bullet">
    /// <item>The first layer that holds the name gives the node's kind and contents.</item>
    /// <item>A whiteout <c>.wh.NAME</c> in a layer hides the name in the layers below it (not in its own).</item>
    /// <item>A directory continues into the layers below as long as they hold a directory of that name,
    ///   down to an opaque one; a different kind below ends it.</item>
    /// <item>A file or link of the upper layer keeps the lower one below it, if any: its origin, whose
    ///   inode number it carries (a copied-up file keeps its number).</item>
    /// </list>
    /// The overlay's own names (<c>.wh.*</c>) are never found.
    /// </summary>
    public sealed unsafe partial class OverlayNode
    {
        public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
        {
            child = null;
            if (_kind != FileKind.Directory) return -Errno.ENOTDIR;
            if (Paths.IsDot(name) || (Paths.IsDotDot(name) && _parent == null))
            {
                Hold();
                child = this;
                return 0;
            }
            if (Paths.IsDotDot(name))
            {
                // Read and held in one step: a rename may move this directory and put its old parent meanwhile.
                bool flags = _volume.LockNodes();
                OverlayNode parent = _parent;
                parent.HoldLocked();
                _volume.UnlockNodes(flags);
                child = parent;
                return 0;
            }
            int error = FindChild(name, out OverlayNode found);
            child = found;
            return error;
        }

        /// <summary>The overlay node for <paramref name="name"/> in this directory, held: the live one if any, else a new one.</summary>
        internal int FindChild(ReadOnlySpan<char> name, out OverlayNode child)
        {
            child = null;
            if (Whiteouts.IsReserved(name) || _detached) return -Errno.ENOENT;     // a removed directory holds nothing
            var layers = new VfsNode[_layers.Length];
            int error = CollectLayers(name, layers);
            if (error < 0)
            {
                KernelHeap.Free(layers);
                return error;
            }
            int origin = OriginLayer(layers);
            OverlayNode live = _volume.FindLive(OverlayVolume.InodeFor(origin, layers[origin].Inode));
            if (live != null)
            {
                // Someone holds this file already: the same node for everyone (a copy-up is seen by all).
                ReleaseLayers(layers);
                child = live;
                return 0;
            }
            Hold();                                               // the child's reference to its parent
            var made = new OverlayNode(_volume, this, name, layers);
            child = _volume.FindLiveOrAdd(made.Inode, made);
            if (child != made) made.Put();                        // another lookup made it first: use that one
            return 0;
        }

        // Fills layers[i] with layer i's node for name (held), as the class comment says. -ENOENT if none.
        private int CollectLayers(ReadOnlySpan<char> name, VfsNode[] layers)
        {
            int top = -1;
            for (int i = 0; i < _layers.Length; i++)
            {
                VfsNode directory = _layers[i];
                if (directory == null) continue;
                if (directory.Lookup(name, out VfsNode found) == 0)
                {
                    if (top >= 0 && found.Kind != layers[top].Kind)
                    {
                        found.Put();                                     // a file over a directory or the reverse: ends here
                        break;
                    }
                    layers[i] = found;
                    if (top < 0) top = i;
                    if (found.Kind != FileKind.Directory && (top != 0 || i > 0)) break;   // a lower file, or the upper one's origin
                    if (found.Kind == FileKind.Directory && Whiteouts.IsOpaque(found)) break;
                }
                if (Whiteouts.Hides(directory, name)) break;
            }
            return top < 0 ? -Errno.ENOENT : 0;
        }

        private static void ReleaseLayers(VfsNode[] layers)
        {
            for (int i = 0; i < layers.Length; i++) layers[i]?.Put();
            KernelHeap.Free(layers);
        }
    }
}
