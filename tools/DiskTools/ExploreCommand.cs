using TeachOS.Tools.DiskTools.Explore;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools;

/// <summary>
/// `DiskTools explore BASE_IMAGE SERIAL_LOG`: the crash explorer (Explore/). BASE_IMAGE is the disk as
/// it was when the traced boot started; SERIAL_LOG that boot's console, with `disk-trace` on and a
/// crashload workload as init. Prints one line per failing state and a summary; exit 0 when every
/// state passed, 1 when one failed, 2 on bad input.
///     --subsets N    reorderings checked per crash point at most (default 512: every subset of an
///                    epoch of up to 10 writes; more, and a seeded sample plus every single omission)
///     --seed S       the sample's seed (default 15)
///     --timeline     also print, for every crash point without reordering, what recovery makes of it
/// `DiskTools explore --recovered IMAGE SERIAL_LOG` checks one real crash instead: SERIAL_LOG is a
/// boot stopped by crash-after-writes=N (its last operation may have begun and not returned), IMAGE
/// the disk after a later boot's mount recovered it: fsck and the model on the image as it is.
/// </summary>
public static class ExploreCommand
{
    public const string Usage = "usage: DiskTools explore BASE_IMAGE SERIAL_LOG [--subsets N] [--seed S] [--timeline]\n" +
                                "       DiskTools explore --recovered IMAGE SERIAL_LOG";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = new CrashStates.Options();
        bool timeline = false, recovered = false;
        var files = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--subsets" when i + 1 < args.Length && int.TryParse(args[i + 1], out int subsets) && subsets > 0:
                    options = options with { SubsetsPerPoint = subsets }; i++; break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out int seed):
                    options = options with { Seed = seed }; i++; break;
                case "--timeline": timeline = true; break;
                case "--recovered": recovered = true; break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) { error.WriteLine(Usage); return 2; }
                    files.Add(args[i]); break;
            }
        }
        if (files.Count != 2) { error.WriteLine(Usage); return 2; }
        foreach (string file in files)
            if (!File.Exists(file)) { error.WriteLine($"explore: {file}: no such file"); return 2; }

        TraceLog log;
        WorkloadModel model;
        try
        {
            log = TraceLog.Parse(File.ReadLines(files[1]), crashed: recovered);
            model = new WorkloadModel(log.Operations);
        }
        catch (InvalidDataException bad)
        {
            error.WriteLine($"explore: {files[1]}: {bad.Message}");
            return 2;
        }

        if (recovered) return CheckRecovered(files[0], log, model, output);

        // The whole base image in memory: every state reads its inode table and bitmap from it.
        using var baseImage = new MemoryStream(File.ReadAllBytes(files[0]), writable: false);
        var explorer = new CrashExplorer(baseImage, log, model);
        output.WriteLine($"crash explorer: {log.WriteCount} writes and {log.Lines.Count - log.WriteCount} flushes, " +
                         $"{model.Operations.Count} operations under {model.Root}");
        if (timeline) Timeline.Print(explorer, log, model, output);
        ExploreSummary summary = explorer.Run(options, failure => output.WriteLine(failure));
        output.WriteLine(summary);
        return summary.Failures == 0 ? 0 : 1;
    }

    private static int CheckRecovered(string imagePath, TraceLog log, WorkloadModel model, TextWriter output)
    {
        using FileSystemImage image = FileSystemImage.Open(imagePath);
        int returned = model.Operations.Count(o => o.Traced.ReturnedAfter <= log.Lines.Count);
        bool running = returned < model.Operations.Count;
        (List<string> findings, string? complaint) = CrashExplorer.Verdict(image, model, returned, running, out bool leaked);
        foreach (string finding in findings) output.WriteLine("fsck: " + finding);
        if (complaint != null) output.WriteLine("model: " + complaint);
        bool passed = findings.Count == 0 && complaint == null;
        output.WriteLine($"crash after {log.WriteCount} writes: {returned} operations had returned" +
                         (running ? $", op {returned + 1} was running" : "") + (leaked ? "; an unlinked inode leaked (accepted)" : "") +
                         (passed ? "; recovered image passes" : "; recovered image FAILS"));
        return passed ? 0 : 1;
    }
}
