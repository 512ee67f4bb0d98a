using System.Runtime.InteropServices;

namespace Abi
{
    /// <summary>mount's flags (abi/Syscalls.cs Mount): Linux's MS_* values, so that what students learn transfers.</summary>
    public static class MountFlags
    {
        public const int ReadOnly = 0x1;         // MS_RDONLY: every change through this mount is -EROFS
        public const int Bind = 0x1000;          // MS_BIND: the source directory seen at the target too (the type is ignored)
    }

    /// <summary>ReadMount: one line of the caller's mount table, as Linux's /proc/self/mounts shows it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct MountInfo
    {
        public const int MaximumType = 16, MaximumSource = 48, MaximumTarget = 128;
        public int Flags;                        // MountFlags.ReadOnly or 0
        public int TypeLength, SourceLength, TargetLength;
        public fixed byte Type[MaximumType];     // "ramfs", "tmpfs", "bind", "disk", ...
        public fixed byte Source[MaximumSource]; // mount's first argument: "none", or the bound directory
        public fixed byte Target[MaximumTarget]; // where it is mounted, as the caller's namespace names it
    }
}
