using TeachOS;

/// <summary>
/// umount DIR: takes the mount at DIR out of this process's mount namespace (a tmpfs no namespace mounts any
/// more frees its files). Root only (EPERM); EINVAL if DIR is not a mount point; EBUSY while another mount
/// sits inside it or a process of the namespace has its current directory or an open file there.
/// </summary>
public static class UmountProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error("usage: umount DIR...\n");
            return 2;
        }
        int status = 0;
        foreach (string target in args)
        {
            long result = Sys.Unmount(target);
            if (result == 0) continue;
            Files.ReportError("umount", target, result);
            status = 1;
        }
        return status;
    }
}
