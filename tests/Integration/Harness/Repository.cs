namespace TeachOS.Tests.Integration.Harness;

/// <summary>Finds the TeachOS checkout the tests run in, and its build outputs.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tools", "run-qemu.sh")) &&
                File.Exists(Path.Combine(directory.FullName, "Makefile")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Cannot find the TeachOS checkout above " + AppContext.BaseDirectory);
    }
}
