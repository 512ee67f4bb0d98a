using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// "overlay": the mount call's name for the overlay file system (Linux's overlayfs), so that
    /// `mount -t overlay none TARGET -o lowerdir=A:B,upperdir=C,workdir=D` and ctr run can make one. The
    /// options are OverlayOptions' to parse and check; the source is a label, as on Linux. MS_RDONLY is
    /// refused: an overlay without upperdir and workdir is read-only already, and one with them is meant
    /// to be written.
    /// </summary>
    public sealed class OverlayType : FileSystemType
    {
        public override string Name => "overlay";

        public override int Create(Credentials who, VfsNode start, ReadOnlySpan<char> source, int flags, ReadOnlySpan<char> data, out Volume volume)
        {
            volume = null;
            if ((flags & MountFlags.ReadOnly) != 0) return -Errno.EINVAL;
            int result = OverlayOptions.CreateVolume(who, start, data, out OverlayVolume overlay);
            volume = overlay;
            return result;
        }
    }
}
