using System.Diagnostics;
using System.Text;
using TeachOS.Tests.Integration.Harness;

namespace TeachOS.Tests.Assignments.Harness;

/// <summary>
/// The checkout's build outputs, copied into a tree copy so that its `make kernel` is incremental: a
/// lab's patch changes a few files, and make rebuilds what depends on them (the kernel, or one
/// program) instead of the whole tree (the runtime, the kernel, forty programs, each through ilc).
///
/// Make decides by modification times, so every file keeps its time: the copy's sources are as old
/// as the checkout's and its outputs as new, and the files the patch then writes are newer than
/// everything, which is exactly what make needs to rebuild them and what depends on them.
///
/// The configure step (msbuild/Configure.proj) wrote absolute paths into some outputs: the compiler's
/// response files name the analyzers, kernel/Layers.txt and the folder for generated sources, and the
/// SDK's .editorconfig names the project's folder. In a copy those would still point into the
/// checkout: the copy's compiler would read the checkout's Layers.txt and write into its obj/. So
/// every text file copied has the checkout's root replaced by the copy's (keeping its time: the
/// options are the same, relocated, and must not recompile anything). A reconfigure in the copy (a
/// patch that adds a source file) writes the same paths.
/// </summary>
public static class BuildOutputs
{
    /// <summary>
    /// What make and the configure step leave and read again: build/ (without the grader's logs and
    /// the disk image, which boots write to: make makes a fresh one), and the bin/ and obj/ folders
    /// of the projects msbuild/Configure.proj builds.
    /// </summary>
    private static readonly string[] Folders =
    {
        "build/csc", "build/generated", "build/il", "build/obj", "build/user", "build/initrd-root",
        "analyzers/TeachOS.Analyzers/bin", "analyzers/TeachOS.Analyzers/obj",
        "tools/AsmLayout/bin", "tools/AsmLayout/obj", "tools/DiskTools/bin", "tools/DiskTools/obj",
        "tools/Toolchain/obj", "runtime/obj", "kernel/obj", "userland/Lib/obj", "userland/Programs/obj",
    };

    private static readonly string[] Files =
    {
        "build/ilc-path", "build/initrd.tar", "build/kernel-symbols.asm", "build/kernel.bin", "build/kernel.elf",
        "build/kernel.map.xml", "build/kernel.pass1.elf", "build/kernel.stripped.elf",
    };

    // Text files bigger than this are not configuration (kernel.map.xml): they are copied as they are.
    private const long LargestRelocated = 1 << 20;

    /// <summary>
    /// Copies the outputs from the checkout into <paramref name="root"/>, which already holds the
    /// tracked files. Holds the lock tools/grade.sh builds under, so a grader building the checkout at
    /// the same time is not copied half way.
    /// </summary>
    public static void CopyInto(string root)
    {
        _ = CheckoutBuild.Value;
        using FileStream gradeBuildLock = LockCheckoutBuild();
        CopyInto(root, Repository.Root);
    }

    /// <summary>Copies the outputs of the tree at <paramref name="basis"/> (a copy nobody builds meanwhile) into <paramref name="root"/>.</summary>
    public static void CopyInto(string root, string basis)
    {
        string from = basis.TrimEnd('/') + "/";
        string to = root.TrimEnd('/') + "/";
        foreach (string folder in Folders)
        {
            string source = Path.Combine(basis, folder);
            if (!Directory.Exists(source)) continue;
            foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
                Copy(file, Path.Combine(root, Path.GetRelativePath(basis, file)), from, to);
        }
        foreach (string file in Files)
            if (File.Exists(Path.Combine(basis, file)))
                Copy(Path.Combine(basis, file), Path.Combine(root, file), from, to);
    }

    /// <summary>
    /// The checkout built once, before the first copy (`make test` has built it already, and then this
    /// does nothing): otherwise every copy would build the same files from scratch, side by side. What
    /// make printed; a failed build is left to each copy's grader to report, as before.
    /// </summary>
    private static readonly Lazy<string> CheckoutBuild = new(() =>
    {
        var start = new ProcessStartInfo("flock")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (string argument in new[] { "-o", "build/.grade-build.lock", "make", "-s", "kernel" })
            start.ArgumentList.Add(argument);
        Directory.CreateDirectory(Repository.PathOf("build"));
        return Grader.Run(start, TimeSpan.FromMinutes(20));
    });

    /// <summary>Copies a file with its mode and its modification time; a small text file naming <paramref name="from"/> names <paramref name="to"/> instead.</summary>
    public static void Copy(string source, string target, string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var info = new FileInfo(source);
        File.Copy(source, target);                                  // keeps the mode
        if (info.Length <= LargestRelocated && Relocated(File.ReadAllBytes(source), from, to) is byte[] text)
            File.WriteAllBytes(target, text);
        File.SetLastWriteTimeUtc(target, info.LastWriteTimeUtc);
    }

    /// <summary>The text with every <paramref name="from"/> replaced, or null if it is not text or does not name it.</summary>
    private static byte[]? Relocated(byte[] bytes, string from, string to)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0) return null;         // binary: object files, assemblies
        string text = Encoding.UTF8.GetString(bytes);
        if (!text.Contains(from, StringComparison.Ordinal)) return null;
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>
    /// build/.grade-build.lock, taken as flock(1) in tools/grade.sh takes it (.NET locks a file opened
    /// with FileShare.None with flock). Waits while someone else holds it.
    /// </summary>
    private static FileStream LockCheckoutBuild()
    {
        string path = Repository.PathOf("build/.grade-build.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DateTime giveUp = DateTime.UtcNow.AddMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(500);
            }
        }
    }
}
