using System.Diagnostics;
using System.Text;
using TeachOS.Tests.Assignments.Harness;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Assignments;

/// <summary>
/// A tree copy starts from the checkout's build outputs (<see cref="BuildOutputs"/>), so the labs'
/// tests would pass for the wrong reason if a copy's build reused the checkout's output where the
/// patch changed something: a wrong solution built stale is just the starting tree, which scores
/// below full too. These tests change a copy the way a patch does (an edited kernel file, a new
/// kernel file, which reconfigures, and an edited program), build it, and look for the change in
/// the binaries; and they check that what the change does not reach is not rebuilt, and that the
/// copy's build neither reads nor writes the checkout. Likewise a copy built on another copy's
/// outputs (a wrong solution's on the reference's): what the basis changed and the copy did not
/// must be rebuilt back.
/// </summary>
public sealed class TreeCopyTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    [Fact]
    public Task CopyNamesItsOwnRootAndKeepsTheTimes() => GradingSlots.Run(() =>
    {
        using TreeCopy copy = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-treecopy-{Guid.NewGuid():N}"));
        foreach (string file in new[] { "build/csc/Kernel.rsp", "build/csc/Programs.rsp", "kernel/obj/Release/TeachOS.Kernel.GeneratedMSBuildEditorConfig.editorconfig" })
        {
            string text = File.ReadAllText(Path.Combine(copy.Root, file));
            Assert.False(text.Contains(Repository.Root + "/", StringComparison.Ordinal), $"the copy's {file} names the checkout ({Repository.Root}):\n{text}");
            Assert.True(text.Contains(copy.Root + "/", StringComparison.Ordinal), $"the copy's {file} does not name the copy ({copy.Root}):\n{text}");
            Assert.Equal(File.GetLastWriteTimeUtc(Repository.PathOf(file)), File.GetLastWriteTimeUtc(Path.Combine(copy.Root, file)));
        }
        foreach (string file in new[] { "kernel/Banner.cs", "build/kernel.elf", "build/il/Kernel.dll" })
            Assert.Equal(File.GetLastWriteTimeUtc(Repository.PathOf(file)), File.GetLastWriteTimeUtc(Path.Combine(copy.Root, file)));
    });

    [Fact]
    public Task CopyRebuildsWhatAPatchChangesAndOnlyThat() => GradingSlots.Run(() =>
    {
        using TreeCopy copy = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-treecopy-{Guid.NewGuid():N}"));
        string marker = $"tree copy {Guid.NewGuid():N}";
        DateTime checkoutKernel = File.GetLastWriteTimeUtc(Repository.PathOf("build/kernel.elf"));
        DateTime untouchedProgram = File.GetLastWriteTimeUtc(Path.Combine(copy.Root, "build/user/echo.elf"));

        // A new kernel file (the list of sources changes: make reconfigures in the copy), used by an edited one.
        File.WriteAllText(Path.Combine(copy.Root, "kernel/CopyMarker.cs"),
            $"/// <summary>A line the test prints at boot.</summary>\npublic static class CopyMarker\n{{\n    public const string Text = \"kernel {marker}\";\n}}\n");
        Edit(copy, "kernel/Banner.cs", "        Console.WriteLine($\"cmdline: {BootInfo.CommandLine}\");",
            "        Console.WriteLine($\"cmdline: {BootInfo.CommandLine}\");\n        Console.WriteLine(CopyMarker.Text);");
        Edit(copy, "userland/Programs/true.cs", "public static int Main(string[] args) => 0;",
            $"public static int Main(string[] args)\n    {{\n        if (args.Length > 0) TeachOS.Console.WriteLine(\"true {marker}\");\n        return 0;\n    }}");

        var watch = Stopwatch.StartNew();
        (int status, string output) = Make(copy);
        Assert.True(status == 0, $"make kernel in the copy failed:\n{output}");

        Assert.True(Contains(Path.Combine(copy.Root, "build/kernel.elf"), "kernel " + marker), $"the copy's kernel.elf does not hold the edited kernel's string (a stale build):\n{output}");
        Assert.True(Contains(Path.Combine(copy.Root, "build/user/true.elf"), "true " + marker), $"the copy's true.elf does not hold the edited program's string (a stale build):\n{output}");
        Assert.True(Contains(Path.Combine(copy.Root, "build/initrd.tar"), "true " + marker), "the copy's initrd.tar does not hold the edited program");
        Assert.Equal(untouchedProgram, File.GetLastWriteTimeUtc(Path.Combine(copy.Root, "build/user/echo.elf")));
        Assert.Equal(checkoutKernel, File.GetLastWriteTimeUtc(Repository.PathOf("build/kernel.elf")));
        Assert.False(Contains(Repository.PathOf("build/kernel.elf"), "kernel " + marker), "the checkout's kernel.elf changed");
        Assert.True(watch.Elapsed < Limit, $"the copy's build took {watch.Elapsed}");
    });

    /// <summary>
    /// A wrong solution's copy builds on the reference's: what the basis has and the copy does not
    /// (here an edited kernel file and program) must be rebuilt back, and what both share must not.
    /// </summary>
    [Fact]
    public Task CopyOnABasisRebuildsWhatDiffersFromIt() => GradingSlots.Run(() =>
    {
        using TreeCopy basis = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-treecopy-{Guid.NewGuid():N}"));
        string marker = $"basis {Guid.NewGuid():N}";
        Edit(basis, "kernel/Banner.cs", "        Console.WriteLine($\"cmdline: {BootInfo.CommandLine}\");",
            $"        Console.WriteLine($\"cmdline: {{BootInfo.CommandLine}}\");\n        Console.WriteLine(\"kernel {marker}\");");
        Edit(basis, "userland/Programs/true.cs", "public static int Main(string[] args) => 0;",
            $"public static int Main(string[] args)\n    {{\n        if (args.Length > 0) TeachOS.Console.WriteLine(\"true {marker}\");\n        return 0;\n    }}");
        (int status, string output) = Make(basis);
        Assert.True(status == 0, $"make kernel in the basis failed:\n{output}");
        Assert.True(Contains(Path.Combine(basis.Root, "build/kernel.elf"), "kernel " + marker), $"the basis's kernel.elf does not hold the edited kernel's string:\n{output}");

        using TreeCopy copy = TreeCopy.Make(Path.Combine(Path.GetTempPath(), $"teachos-treecopy-{Guid.NewGuid():N}"), basis);
        string rsp = File.ReadAllText(Path.Combine(copy.Root, "build/csc/Kernel.rsp"));
        Assert.False(rsp.Contains(basis.Root + "/", StringComparison.Ordinal), $"the copy's Kernel.rsp names the basis ({basis.Root}):\n{rsp}");
        (status, output) = Make(copy);
        Assert.True(status == 0, $"make kernel in the copy failed:\n{output}");

        Assert.False(Contains(Path.Combine(copy.Root, "build/kernel.elf"), "kernel " + marker), $"the copy's kernel.elf holds the basis's edit, which the copy does not have (a stale build):\n{output}");
        Assert.False(Contains(Path.Combine(copy.Root, "build/user/true.elf"), "true " + marker), $"the copy's true.elf holds the basis's edit (a stale build):\n{output}");
        Assert.False(Contains(Path.Combine(copy.Root, "build/initrd.tar"), "true " + marker), "the copy's initrd.tar holds the basis's true");
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(basis.Root, "build/user/echo.elf")), File.GetLastWriteTimeUtc(Path.Combine(copy.Root, "build/user/echo.elf")));
    });

    private static (int Status, string Output) Make(TreeCopy copy)
    {
        var start = new ProcessStartInfo("make") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = copy.Root };
        foreach (string argument in new[] { "-s", "kernel" }) start.ArgumentList.Add(argument);
        return Run(start);
    }

    private static void Edit(TreeCopy copy, string file, string before, string after)
    {
        string path = Path.Combine(copy.Root, file);
        string text = File.ReadAllText(path);
        Assert.True(text.Contains(before, StringComparison.Ordinal), $"{file} no longer has the line this test edits: {before}");
        File.WriteAllText(path, text.Replace(before, after, StringComparison.Ordinal));
    }

    /// <summary>True if the file holds the text, as C# strings are in a NativeAOT binary (UTF-16).</summary>
    private static bool Contains(string path, string text) =>
        File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    private static (int Status, string Output) Run(ProcessStartInfo start)
    {
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} ran longer than {Limit.TotalMinutes} minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
