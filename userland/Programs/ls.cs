using Abi;
using TeachOS;

/// <summary>
/// ls [-l] [PATH...]: lists directories (default: the current one); for a file, its name and size. A
/// symbolic link shows where it points (`name -> target`), a directory ends in "/". With -l each line
/// starts with the mode (`drwxr-xr-x`), the link count, the owner's and the group's ids.
/// </summary>
public static unsafe class List
{
    public static int Main(string[] args)
    {
        int first = 0;
        if (args.Length > 0 && args[0] == "-l")
        {
            s_long = true;
            first = 1;
        }
        string[] paths = args.Length > first ? args : new[] { "." };
        int failures = 0;
        for (int i = paths == args ? first : 0; i < paths.Length; i++)
            if (!ListOne(paths[i], paths.Length - first > 1)) failures++;
        return failures == 0 ? 0 : 1;
    }

    private static bool s_long;

    // -l's columns for one name: mode, links, owner, group (then the size and name, as without -l).
    private static string Details(string path)
    {
        if (!s_long) return "";
        if (Sys.LinkStatus(path, out FileStatus status) < 0) return "?????????? ?     ?     ? ";
        return FileModes.Describe(status.Kind, status.Mode) + status.Links.ToString().PadLeft(3) +
               status.UserId.ToString().PadLeft(6) + status.GroupId.ToString().PadLeft(6) + " ";
    }

    private static bool ListOne(string path, bool withHeading)
    {
        long descriptor = Sys.Open(path, OpenFlags.ReadOnly);
        if (descriptor < 0)
        {
            Files.ReportError("ls", path, descriptor);
            return false;
        }
        Sys.FileStatus((int)descriptor, out FileStatus status);
        if (status.Kind != 2)
        {
            Console.WriteLine(Details(path) + status.Size.ToString().PadLeft(8) + "  " + path);
        }
        else
        {
            if (withHeading) Console.WriteLine(path + ":");
            for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
            {
                string name = string.FromAscii(entry.Name, entry.NameLength);
                string shown = entry.Kind == 2 ? name + "/" : entry.Kind == 5 ? name + " -> " + LinkTarget(path + "/" + name) : name;
                Console.WriteLine(Details(path + "/" + name) + entry.Size.ToString().PadLeft(8) + "  " + shown);
            }
        }
        Sys.Close((int)descriptor);
        return true;
    }

    private static string LinkTarget(string path)
    {
        byte* buffer = stackalloc byte[256];
        long length = Sys.ReadLink(path, new System.Span<byte>(buffer, 256));
        return length < 0 ? "?" : string.FromAscii(buffer, (int)length);
    }
}
