using System.Reflection;

namespace TeachOS.Tests.Analyzers
{
    /// <summary>Paths into the repository this test assembly was built from.</summary>
    public static class Repository
    {
        public static string Root { get; } = typeof(Repository).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RepositoryRoot").Value;

        public static string PathOf(string relative) => Path.Combine(Root, relative);

        /// <summary>The .cs files under a folder of the repository, in a stable order.</summary>
        public static string[] SourcesUnder(string relative) =>
            Directory.GetFiles(PathOf(relative), "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains("/obj/") && !path.Contains("/bin/"))
                .OrderBy(path => path, StringComparer.Ordinal)
                .ToArray();
    }
}
