using System;
using Abi;
using Mem;

namespace Fs
{
    /// <summary>
    /// The overlay's mount options, in Linux's syntax: <c>lowerdir=A:B,upperdir=C,workdir=D</c>. A is
    /// the uppermost lower layer, B the one below it (as `ctr` stacks an image's layers, newest first); C
    /// receives the changes; D, an empty directory on C's volume, is where copies are made before they
    /// appear (Fs/Overlay/CopyUp.cs). Without upperdir and workdir the overlay is read-only.
    ///
    /// Refused, as Linux refuses them: an unknown, repeated or empty option, upperdir without workdir or
    /// the reverse, more than OverlayVolume.MaximumLowerLayers lowers (-EINVAL); a path that does not
    /// resolve (-ENOENT, -ENOTDIR...); upperdir and workdir on two volumes, or one inside the other
    /// (-EINVAL); the upper or work directory inside a lower one or around it (-ELOOP, Linux's answer for
    /// "overlapping layers": the overlay would write into a layer it promises never to write, and a
    /// lookup could walk into itself).
    /// </summary>
    public static class OverlayOptions
    {
        // A directory tree deeper than this is not climbed when looking for overlap (Fs/Vfs/PathNames.cs's limit).
        private const int MaximumDepth = 128;

        /// <summary>
        /// Parses <paramref name="data"/>, resolves its paths as <paramref name="who"/> from <paramref name="start"/>,
        /// and makes the volume (one reference, the caller's); <paramref name="readOnly"/> for `mount -o ro`.
        /// </summary>
        public static int CreateVolume(Credentials who, VfsNode start, ReadOnlySpan<char> data, bool readOnly, out OverlayVolume volume)
        {
            volume = null;
            ReadOnlySpan<char> lowerList = default, upperPath = default, workPath = default;
            bool haveLower = false, haveUpper = false, haveWork = false;
            while (data.Length > 0)
            {
                int comma = IndexOf(data, ',');
                ReadOnlySpan<char> option = comma < 0 ? data : data.Slice(0, comma);
                data = comma < 0 ? default : data.Slice(comma + 1);
                int equals = IndexOf(option, '=');
                if (equals <= 0 || equals == option.Length - 1) return -Errno.EINVAL;
                ReadOnlySpan<char> key = option.Slice(0, equals), value = option.Slice(equals + 1);
                int error = key.SequenceEqual("lowerdir") ? Take(ref haveLower, ref lowerList, value)
                    : key.SequenceEqual("upperdir") ? Take(ref haveUpper, ref upperPath, value)
                    : key.SequenceEqual("workdir") ? Take(ref haveWork, ref workPath, value)
                    : -Errno.EINVAL;
                if (error < 0) return error;
            }
            if (!haveLower || haveUpper != haveWork) return -Errno.EINVAL;
            var lowers = new VfsNode[OverlayVolume.MaximumLowerLayers];
            int lowerCount = 0;
            VfsNode upper = null, work = null;
            int result = ResolveLowers(who, start, lowerList, lowers, ref lowerCount);
            if (result == 0 && haveUpper) result = ResolveDirectory(who, start, upperPath, out upper);
            if (result == 0 && haveWork) result = ResolveDirectory(who, start, workPath, out work);
            if (result == 0 && haveUpper) result = CheckLayers(lowers, lowerCount, upper, work);
            if (result == 0) volume = new OverlayVolume(lowers, lowerCount, upper, work, readOnly);   // it takes the references over
            else
            {
                for (int i = 0; i < lowerCount; i++) lowers[i].Put();
                upper?.Put();
                work?.Put();
            }
            KernelHeap.Free(lowers);
            return result;
        }

        private static int IndexOf(ReadOnlySpan<char> text, char wanted)
        {
            for (int i = 0; i < text.Length; i++)
                if (text[i] == wanted) return i;
            return -1;
        }

        private static int Take(ref bool seen, ref ReadOnlySpan<char> slot, ReadOnlySpan<char> value)
        {
            if (seen) return -Errno.EINVAL;                      // given twice: which one was meant?
            seen = true;
            slot = value;
            return 0;
        }

        private static int ResolveLowers(Credentials who, VfsNode start, ReadOnlySpan<char> list, VfsNode[] lowers, ref int count)
        {
            int layers = 1;
            for (int i = 0; i < list.Length; i++)
                if (list[i] == ':') layers++;
            if (layers > lowers.Length) return -Errno.EINVAL;          // counted before any lookup, as Linux does
            while (true)
            {
                int colon = IndexOf(list, ':');
                ReadOnlySpan<char> path = colon < 0 ? list : list.Slice(0, colon);
                if (path.Length == 0 || count == lowers.Length) return -Errno.EINVAL;
                int error = ResolveDirectory(who, start, path, out lowers[count]);
                if (error < 0) return error;
                count++;
                if (colon < 0) return 0;
                list = list.Slice(colon + 1);
            }
        }

        private static int ResolveDirectory(Credentials who, VfsNode start, ReadOnlySpan<char> path, out VfsNode directory)
        {
            int error = Paths.Resolve(who, start, path, followLast: true, out directory);
            if (error < 0) return error;
            if (directory.Kind == FileKind.Directory) return 0;
            directory.Put();
            directory = null;
            return -Errno.ENOTDIR;
        }

        private static int CheckLayers(VfsNode[] lowers, int lowerCount, VfsNode upper, VfsNode work)
        {
            if (upper.Volume != work.Volume) return -Errno.EINVAL;   // the copy's rename into place cannot cross volumes
            if (IsWithin(upper, work) || IsWithin(work, upper)) return -Errno.EINVAL;
            for (int i = 0; i < lowerCount; i++)
                if (IsWithin(upper, lowers[i]) || IsWithin(lowers[i], upper)
                    || IsWithin(work, lowers[i]) || IsWithin(lowers[i], work)) return -Errno.ELOOP;
            return 0;
        }

        // Is inner outer itself or below it? Climbs ".." (across mount points, as the resolver does) to the root.
        private static bool IsWithin(VfsNode inner, VfsNode outer)
        {
            inner.Hold();
            VfsNode at = inner;
            bool within = false;
            for (int depth = 0; depth < MaximumDepth && !within; depth++)
            {
                within = at.IsSameAs(outer);
                if (within || Paths.Resolve(Credentials.Kernel, at, "..", followLast: true, out VfsNode up) < 0) break;
                bool top = up.IsSameAs(at);                      // "/.." is "/": the climb is over
                at.Put();
                at = up;
                if (top) break;
            }
            at.Put();
            return within;
        }
    }
}
