using System;
using Abi;

namespace Fs
{
    /// <summary>
    /// "overlay", the mount type: `mount -t overlay overlay TARGET -o lowerdir=A:B,upperdir=C,workdir=D`, as
    /// on Linux (the source is a label; Fs/Overlay/OverlayOptions.cs reads the options). MountFlags.ReadOnly
    /// (`-o ro`) shows the layers and the upper one as they are and refuses every change.
    /// </summary>
    public sealed class OverlayType : FileSystemType
    {
        public override string Name => "overlay";

        public override int Create(Credentials who, VfsNode start, ReadOnlySpan<char> source, int flags, ReadOnlySpan<char> data, out Volume volume)
        {
            int error = OverlayOptions.CreateVolume(who, start, data, (flags & MountFlags.ReadOnly) != 0, out OverlayVolume overlay);
            volume = overlay;
            return error;
        }
    }
}
