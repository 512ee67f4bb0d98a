namespace Fs
{
    /// <summary>The RAM file system as a mountable volume (at "/": Fs/Vfs/Mounts.cs). Nothing to sync: nothing survives power-off.</summary>
    public sealed class RamVolume : Volume
    {
        public static RamVolume Instance { get; } = new RamVolume();

        public override string Name => "ramfs";

        public override VfsNode HoldRoot()
        {
            RamNode.Root.Hold();
            return RamNode.Root;
        }

        public override int MaximumNameLength => RamNode.MaximumNameLength;

        public override int Sync() => 0;
    }
}
