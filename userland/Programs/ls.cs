using Abi;
using TeachOS;

/// <summary>
/// ls [PATH...]: lists directories (default: the current one); for a file, its name and size. A
/// symbolic link shows where it points (`name -> target`), a directory ends in "/".
/// </summary>
public static unsafe class List
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) args = new[] { "." };
        int failures = 0;
        foreach (string path in args)
            if (!ListOne(path, args.Length > 1)) failures++;
        return failures == 0 ? 0 : 1;
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
            Console.WriteLine(status.Size.ToString().PadLeft(8) + "  " + path);
        }
        else
        {
            if (withHeading) Console.WriteLine(path + ":");
            for (int index = 0; Sys.ReadDirectory((int)descriptor, index, out DirectoryEntry entry) == 1; index++)
            {
                string name = string.FromAscii(entry.Name, entry.NameLength);
                string shown = entry.Kind == 2 ? name + "/" : entry.Kind == 5 ? name + " -> " + LinkTarget(path + "/" + name) : name;
                Console.WriteLine(entry.Size.ToString().PadLeft(8) + "  " + shown);
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
