using TeachOS;

/// <summary>
/// pivot_root NEW_ROOT PUT_OLD: makes the mount at NEW_ROOT the root of this mount namespace and mounts the
/// old root at PUT_OLD (under NEW_ROOT), from where `umount` takes it away: how a container makes its image
/// its whole world (kernel/Fs/Vfs/MountOperations.cs). Root only. The usual steps, after `unshare -m sh`:
/// `mount -t tmpfs none /new; mkdir /new/old; cd /new; pivot_root . old; cd /`.
/// </summary>
public static class PivotRootProgram
{
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error("usage: pivot_root NEW_ROOT PUT_OLD\n");
            return 2;
        }
        long result = Sys.PivotRoot(args[0], args[1]);
        if (result == 0) return 0;
        Files.ReportError("pivot_root", args[0], result);
        return 1;
    }
}
