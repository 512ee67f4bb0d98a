using Abi;
using TeachOS;

/// <summary>ls [PATH...]: lists directories (default /); for a file, its name and size.</summary>
public static unsafe class List
{
    public static int Main(string[] args)
    {
        if (args.Length == 0) args = new[] { "/" };
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
                Console.WriteLine(entry.Size.ToString().PadLeft(8) + "  " + name + (entry.Kind == 2 ? "/" : ""));
            }
        }
        Sys.Close((int)descriptor);
        return true;
    }
}
