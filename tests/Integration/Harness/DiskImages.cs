using System.Diagnostics;
using Xunit.Sdk;

namespace TeachOS.Tests.Integration.Harness;

/// <summary>
/// Disk images for the tests that boot with a disk: private copies (QEMU locks the file it uses, and
/// no test may see another's writes), and the host's fsck (tools/DiskTools, built by make) after a
/// boot. A boot that used the disk file system ends with <see cref="AssertClean"/> (or boots through
/// <see cref="BootAndCheck"/>): whatever the guest did, the image it leaves must be consistent, and a
/// failure shows fsck's findings beside the boot's log.
/// </summary>
public static class DiskImages
{
    public static string DiskToolsDll => Repository.PathOf("tools/DiskTools/bin/Release/net10.0/DiskTools.dll");

    /// <summary>A copy of build/disk.img (make builds it from userland/Disk) in a new temporary folder.</summary>
    public static string CopyOfBuiltImage() => CopyOf(Repository.PathOf("build/disk.img"));

    public static string CopyOf(string image)
    {
        if (!File.Exists(image)) throw new XunitException($"{image} is missing: make builds it");
        string copy = Path.Combine(NewFolder(), "disk.img");
        File.Copy(image, copy);
        return copy;
    }

    /// <summary>
    /// A new temporary folder for a test's images, deleted when the test run ends. A disk image is
    /// 128 MiB: a run boots a few hundred of them, so folders left behind would fill the machine's
    /// disk within a day of runs. (A failing test's log is in its message, not in the folder.)
    /// </summary>
    public static string NewFolder()
    {
        string folder = Directory.CreateTempSubdirectory("teachos-disk-").FullName;
        lock (Folders)
        {
            if (Folders.Count == 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteFolders();
            Folders.Add(folder);
        }
        return folder;
    }

    private static readonly List<string> Folders = new();

    private static void DeleteFolders()
    {
        lock (Folders)
        {
            foreach (string folder in Folders)
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }                 // a QEMU still holding it: the OS cleans /tmp
            }
            Folders.Clear();
        }
    }

    /// <summary>Boots with the image attached, then fails unless fsck finds it clean.</summary>
    public static BootResult BootAndCheck(string commandLine, string image, int timeoutSeconds = 60, string smp = "1")
    {
        BootResult boot = Qemu.BootWithDisk(commandLine, image, timeoutSeconds, smp);
        AssertClean(image, boot);
        return boot;
    }

    /// <summary>Fails with fsck's findings (and the boot's log, when given) unless the image is clean.</summary>
    public static void AssertClean(string image, BootResult? boot = null)
    {
        (int status, string output) = RunDiskTools("fsck", image);
        if (status == 0 && output.Contains(": clean;", StringComparison.Ordinal)) return;
        throw new XunitException($"fsck finds {image} not clean after the boot:\n{output}" + (boot == null ? "" : "\n" + boot.Describe()));
    }

    /// <summary>Runs DiskTools with <paramref name="arguments"/>; fails unless it exits 0. Its output and errors.</summary>
    public static string RunDiskTool(params string[] arguments)
    {
        (int status, string output) = RunDiskTools(arguments);
        if (status != 0) throw new XunitException($"DiskTools {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    /// <summary>The bytes of the file at <paramref name="path"/> inside the image (fsck --extract), or null when it is not there.</summary>
    public static byte[]? ExtractOrNull(string image, string path)
    {
        using Process process = Start("fsck", image, "--extract", path);
        var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? bytes.ToArray() : null;
    }

    private static (int Status, string Output) RunDiskTools(params string[] arguments)
    {
        using Process process = Start(arguments);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + errors.Result;
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(DiskToolsDll);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start DiskTools");
    }
}
