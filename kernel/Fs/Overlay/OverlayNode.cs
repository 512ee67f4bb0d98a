using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// One file, directory or symbolic link of an overlay (Fs/Overlay/OverlayVolume.cs): the nodes of
    /// the layers that make it, one slot per layer (<see cref="_layers"/>: [0] upper, [1..] lower).
    /// A directory keeps every layer's directory of that path, down to the first opaque one: its
    /// lookups and listings merge them. A file or link keeps its uppermost node, and the lower node it
    /// came from (its origin) once copied up. What it reads comes from the uppermost slot in use
    /// (<see cref="Top"/>); what it changes goes to the upper slot, filled by copy-up first.
    /// This file: identity, references, attributes and the file operations; Fs/Overlay/OverlayLookup.cs
    /// finds children; Fs/Overlay/CopyUp.cs, Fs/Overlay/OverlayChanges.cs, Fs/Overlay/MergedListing.cs.
    ///
    /// The inode number is the origin's: the uppermost lower node if there is one, else the upper node
    /// (with its layer number: OverlayVolume.InodeFor). It does not change at copy-up, so a file keeps its
    /// number, and the volume finds a live node again by it.
    /// </summary>
    public sealed unsafe partial class OverlayNode : VfsNode
    {
        private readonly OverlayVolume _volume;
        private readonly FileKind _kind;
        private readonly ulong _inode;
        private readonly VfsNode[] _layers;          // held nodes, one slot per layer; null where the layer has none
        private OverlayNode _parent;                 // held; null for the root (its own parent)
        private string _name;                        // its name in _parent: where copy-up puts it
        private int _references = 1;                 // the creator's
        private bool _detached;                      // its name is gone (unlink, rename over it)

        /// <summary>The volume's list of live nodes (Fs/Overlay/OverlayVolume.cs).</summary>
        internal OverlayNode NextLive;

        // After copy-up a file's version is the upper node's, lifted above any lower version: a reader
        // made before (a program being run) then sees a changed version, never an equal one by chance.
        private const ulong CopiedUpVersions = 1UL << 40;

        /// <summary>A node made of <paramref name="layers"/> (held; this node takes them over), named <paramref name="name"/> in <paramref name="parent"/> (held by the caller for it).</summary>
        internal OverlayNode(OverlayVolume volume, OverlayNode parent, ReadOnlySpan<char> name, VfsNode[] layers)
        {
            _volume = volume;
            _parent = parent;
            _name = parent == null ? null : string.Copy(name);
            _layers = layers;
            int top = TopLayer(layers);
            _kind = layers[top].Kind;
            int origin = OriginLayer(layers);
            _inode = OverlayVolume.InodeFor(origin, layers[origin].Inode);
        }

        /// <summary>The layer the node's contents come from: the uppermost slot in use.</summary>
        internal static int TopLayer(VfsNode[] layers)
        {
            for (int i = 0; i < layers.Length; i++)
                if (layers[i] != null) return i;
            return -1;
        }

        /// <summary>The layer that names the node: the uppermost lower one holding it, else the upper one.</summary>
        internal static int OriginLayer(VfsNode[] layers)
        {
            for (int i = 1; i < layers.Length; i++)
                if (layers[i] != null) return i;
            return 0;
        }

        /// <summary>Empties the slots below the first opaque directory: nothing of those layers shows through it.</summary>
        internal static void CutBelowOpaque(VfsNode[] layers)
        {
            for (int i = 0; i < layers.Length; i++)
            {
                if (layers[i] == null || !Whiteouts.IsOpaque(layers[i])) continue;
                for (int below = i + 1; below < layers.Length; below++)
                {
                    layers[below]?.Put();
                    layers[below] = null;
                }
                return;
            }
        }

        internal VfsNode Top => _layers[TopLayer(_layers)];

        internal VfsNode Upper => _layers[0];

        /// <summary>True if some lower layer holds this path: removing it must leave a whiteout.</summary>
        internal bool HasLower => OriginLayer(_layers) != 0;

        internal bool IsDetached => _detached;

        public override Volume Volume => _volume;

        public override FileKind Kind => _kind;

        public override ulong Inode => _inode;

        public override ulong Version => Upper != null && HasLower ? CopiedUpVersions + Upper.Version : Top.Version;

        public override NodeStatus Status()
        {
            NodeStatus status = Top.Status();
            status.Inode = _inode;
            return status;
        }

        public override NodeAttributes Attributes() => Top.Attributes();

        /// <summary>chmod, chown: on the upper copy (made first, with the lower's mode and owner).</summary>
        public override int SetAttributes(NodeAttributes attributes)
        {
            int error = CopyUp();
            return error < 0 ? error : Upper.SetAttributes(attributes);
        }

        public override void Hold() => _volume.Hold(this);

        public override void Put()
        {
            if (!_volume.Put(this)) return;
            // The last reference: off the live list already; give back the layers' nodes, the parent, the
            // name and the listing (the layers' Puts may sleep: no lock is held here).
            for (int i = 0; i < _layers.Length; i++) _layers[i]?.Put();
            KernelHeap.Free(_layers);
            FreeListing();
            if (_name != null) KernelHeap.Free(_name);
            OverlayNode parent = _parent;
            OverlayVolume volume = _volume;
            KernelHeap.Free(this);
            volume.NodeFreed();                          // the root's last Put frees an unmounted volume (a child holds its parent: the root goes last)
            parent?.Put();
        }

        internal void HoldLocked() => _references++;

        internal bool PutLocked()
        {
            if (_references <= 0) Diagnostics.Panic.Halt("OverlayNode.Put: more Puts than Holds");
            return --_references == 0;
        }

        // ---- Files: reads from the top layer, changes on the upper copy. ----

        public override long ReadAt(long offset, Span<byte> destination) => Top.ReadAt(offset, destination);

        public override long WriteAt(long offset, ReadOnlySpan<byte> source)
        {
            int error = _kind == FileKind.File ? CopyUp() : 0;
            return error < 0 ? error : Top.WriteAt(offset, source);
        }

        public override long Append(ReadOnlySpan<byte> source)
        {
            int error = _kind == FileKind.File ? CopyUp() : 0;
            return error < 0 ? error : Top.Append(source);
        }

        /// <summary>truncate, O_TRUNC: copy-up first; to length 0 nothing of the lower file is worth copying.</summary>
        public override int Truncate(long length)
        {
            if (_kind != FileKind.File) return Top.Truncate(length);           // the layer's -EISDIR or -EINVAL
            int error = CopyUp(withData: length != 0);
            return error < 0 ? error : Upper.Truncate(length);
        }

        public override int Sync() => Top.Sync();

        public override int ReadLink(Span<char> destination) => Top.ReadLink(destination);
    }
}
