using TeachOS;

/// <summary>
/// rmdir DIR...: removes each empty directory (syscall 62). In /sys/fs/cgroup it removes a control
/// group, which must hold no process and no child group (EBUSY otherwise: kernel/Cgroups/ControlGroupTree.cs);
/// `rm -r` cannot, since a group's control files are the kernel's and cannot be unlinked.
/// </summary>
public static class RemoveDirectoryProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) { Console.Error("usage: rmdir DIR...\n"); return 2; }
        int failures = 0;
        foreach (string path in args)
        {
            long result = Sys.RemoveDirectory(path);
            if (result < 0) { Files.ReportError("rmdir", path, result); failures++; }
        }
        return failures == 0 ? 0 : 1;
    }
}
