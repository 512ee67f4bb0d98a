using TeachOS;

/// <summary>
/// hostname [NAME]: prints the host name of this UTS namespace (kernel/Namespaces/UtsNamespace.cs), or, as
/// root, sets it. After `unshare -u sh` the new name is seen by that shell and its children only.
/// </summary>
public static class HostNameProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.WriteLine(HostName.Get());
            return 0;
        }
        if (args.Length != 1)
        {
            Console.Error("usage: hostname [NAME]\n");
            return 2;
        }
        long result = HostName.Set(args[0]);
        if (result == 0) return 0;
        Files.ReportError("hostname", args[0], result);
        return 1;
    }
}
