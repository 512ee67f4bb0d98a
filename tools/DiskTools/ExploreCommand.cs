using TeachOS.Tools.DiskTools.Explore;

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
/// </summary>
public static class ExploreCommand
{
    public const string Usage = "usage: DiskTools explore BASE_IMAGE SERIAL_LOG [--subsets N] [--seed S] [--timeline]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = new CrashStates.Options();
        bool timeline = false;
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
            log = TraceLog.Parse(File.ReadLines(files[1]));
            model = new WorkloadModel(log.Operations);
        }
        catch (InvalidDataException bad)
        {
            error.WriteLine($"explore: {files[1]}: {bad.Message}");
            return 2;
        }

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
}
