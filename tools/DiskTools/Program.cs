namespace TeachOS.Tools.DiskTools;

/// <summary>
/// The disk file system's host tools, one program with three commands:
///   DiskTools mkfs IMAGE SIZE_MIB DIRECTORY [--inodes N] [--owner PATH=UID:GID]...   build an image from a directory
///   DiskTools fsck IMAGE [--list | --extract PATH]         check an image, list its tree, print a file
///   DiskTools explore BASE_IMAGE SERIAL_LOG [...]          the crash explorer (Explore/)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "";
        string[] rest = args.Skip(1).ToArray();
        return command switch
        {
            "mkfs" => MkfsCommand.Run(rest, Console.Out, Console.Error),
            "fsck" => FsckCommand.Run(rest, Console.Out, Console.Error, Console.OpenStandardOutput),
            "explore" => ExploreCommand.Run(rest, Console.Out, Console.Error),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine(MkfsCommand.Usage);
        Console.Error.WriteLine(FsckCommand.Usage);
        Console.Error.WriteLine(ExploreCommand.Usage);
        return 2;
    }
}
