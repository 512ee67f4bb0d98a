using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// The marks an overlay leaves in a writable layer, in the OCI image-spec's spelling (image-spec
    /// layer.md, "Whiteouts"), so that an image layer unpacked from a tar and an overlay's upper directory
    /// say "deleted" the same way and either can become the other (a container's upper layer committed
    /// as a new image layer is used as it is):
    /// <list type="bullet">
    /// <item>A whiteout: an empty file named <c>.wh.NAME</c> beside where NAME was. It hides NAME in every
    ///   layer below its own; an entry NAME in the same layer stays visible (OCI's rule).</item>
    /// <item>An opaque directory: a directory holding an entry <c>.wh..wh..opq</c>. Nothing of the layers
    ///   below shows through it: a directory removed and made again starts empty.</item>
    /// </list>
    /// Linux's overlayfs marks the same things with a 0/0 character device and an extended attribute;
    /// TeachOS's file systems have neither, and the OCI names need nothing but ordinary files. The price:
    /// the names starting with <c>.wh.</c> are the overlay's own, never shown and never made by a user,
    /// and a name may be at most <see cref="Prefix"/>'s length shorter than the upper layer allows.
    /// </summary>
    public static class Whiteouts
    {
        public const string Prefix = ".wh.";
        public const string OpaqueMarker = ".wh..wh..opq";

        /// <summary>The longest whiteout name: <see cref="Prefix"/> and the longest name of any volume.</summary>
        public const int MaximumWhiteoutName = 4 + DirectoryEntry.MaximumName;

        /// <summary>True for a name the overlay keeps for itself (a whiteout or the opaque marker).</summary>
        public static bool IsReserved(ReadOnlySpan<char> name) => name.Length >= Prefix.Length && name.Slice(0, Prefix.Length).SequenceEqual(Prefix);

        /// <summary>Writes ".wh.NAME" into <paramref name="buffer"/>; the whiteout's name.</summary>
        public static ReadOnlySpan<char> NameFor(ReadOnlySpan<char> name, Span<char> buffer)
        {
            Prefix.AsSpan().CopyTo(buffer);
            name.CopyTo(buffer.Slice(Prefix.Length));
            return buffer.Slice(0, Prefix.Length + name.Length);
        }

        /// <summary>Does <paramref name="directory"/> (one layer's) hold a whiteout for <paramref name="name"/>?</summary>
        public static unsafe bool Hides(VfsNode directory, ReadOnlySpan<char> name)
        {
            if (name.Length + Prefix.Length > directory.Volume.MaximumNameLength) return false;   // it could not have been written
            char* text = stackalloc char[MaximumWhiteoutName];
            return Exists(directory, NameFor(name, new Span<char>(text, MaximumWhiteoutName)));
        }

        /// <summary>Is <paramref name="directory"/> (one layer's) opaque: nothing below shows through it?</summary>
        public static bool IsOpaque(VfsNode directory) => Exists(directory, OpaqueMarker);

        /// <summary>Writes a whiteout for <paramref name="name"/> in <paramref name="directory"/>, an upper directory (0 if there is one already).</summary>
        public static unsafe int Write(VfsNode directory, ReadOnlySpan<char> name)
        {
            char* text = stackalloc char[MaximumWhiteoutName];
            return MakeEmptyFile(directory, NameFor(name, new Span<char>(text, MaximumWhiteoutName)));
        }

        /// <summary>Removes the whiteout for <paramref name="name"/>, if any: the name is about to stand for a new entry.</summary>
        public static unsafe int Remove(VfsNode directory, ReadOnlySpan<char> name)
        {
            if (name.Length + Prefix.Length > directory.Volume.MaximumNameLength) return 0;
            char* text = stackalloc char[MaximumWhiteoutName];
            int error = directory.Unlink(NameFor(name, new Span<char>(text, MaximumWhiteoutName)), directory: false);
            return error == -Errno.ENOENT ? 0 : error;
        }

        /// <summary>Makes <paramref name="directory"/> (an upper one) opaque.</summary>
        public static int MarkOpaque(VfsNode directory) => MakeEmptyFile(directory, OpaqueMarker);

        /// <summary>
        /// Removes every whiteout and the opaque marker from an upper directory that shows nothing any
        /// more, so that the layer's own rmdir finds it empty. The caller checked that no other entry is
        /// left: a name that is not the overlay's would be visible, and the directory not empty.
        /// </summary>
        public static unsafe int RemoveAll(VfsNode directory)
        {
            char* text = stackalloc char[DirectoryEntry.MaximumName];
            for (int index = 0; ;)
            {
                int found = directory.ReadDirectory(index, out DirectoryEntry entry);
                if (found <= 0) return found;
                var name = new Span<char>(text, entry.NameLength);
                for (int i = 0; i < entry.NameLength; i++) text[i] = (char)entry.Name[i];
                if (!IsReserved(name)) { index++; continue; }
                int error = directory.Unlink(name, directory: false);
                if (error < 0) return error;               // the entries moved down by one: the same index again
            }
        }

        private static bool Exists(VfsNode directory, ReadOnlySpan<char> name)
        {
            if (directory.Lookup(name, out VfsNode found) < 0) return false;
            found.Put();
            return true;
        }

        // A whiteout or marker is an empty file, mode 0, root's: nobody may read or write it, and nobody sees it.
        private static int MakeEmptyFile(VfsNode directory, ReadOnlySpan<char> name)
        {
            int error = directory.Create(name, FileKind.File, default, new NodeAttributes(0, UserIds.Root, UserIds.Root), out VfsNode made);
            if (error == -Errno.EEXIST) return 0;
            if (error == 0) made.Put();
            return error;
        }
    }
}
