using System.Diagnostics;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>A state that failed: what fsck found after recovery, and what the model said.</summary>
public sealed record CrashFailure(CrashState State, IReadOnlyList<string> Findings, string? Complaint)
{
    /// <summary>The most findings a line shows: a broken bitmap block alone is a thousand of them.</summary>
    public const int FindingsShown = 5;

    public override string ToString() =>
        $"FAIL {State}: " +
        (Findings.Count > 0 ? "fsck: " + string.Join("; ", Findings.Take(FindingsShown)) +
                              (Findings.Count > FindingsShown ? $"; ({Findings.Count - FindingsShown} more)" : "") : "fsck clean") +
        (Complaint != null ? "; model: " + Complaint : "");
}

public sealed record ExploreSummary(int States, int CrashPoints, int Failures, int Leaks, TimeSpan Elapsed)
{
    public double StatesPerSecond => States / Math.Max(Elapsed.TotalSeconds, 1e-6);

    public override string ToString() =>
        $"crash explorer: {States} states checked ({CrashPoints} crash points and their reorderings), {Failures} failed, " +
        (Leaks > 0 ? $"{Leaks} with an unlinked inode a running rename or unlink had yet to free (accepted), " : "") +
        $"{Elapsed.TotalSeconds:F1} s, {StatesPerSecond:F0} states/s";
}

/// <summary>
/// Replays a traced workload onto its starting image: for every state CrashStates lists, the disk as
/// the crash left it (the base image under the surviving writes, an OverlayStream), then log recovery
/// as the next mount would run it, then fsck (Checker) and the workload's model (WorkloadModel).
/// </summary>
public sealed class CrashExplorer(Stream baseImage, TraceLog log, WorkloadModel model)
{
    public ExploreSummary Run(CrashStates.Options options, Action<CrashFailure> onFailure)
    {
        var clock = Stopwatch.StartNew();
        int states = 0, failures = 0, leaks = 0;
        foreach (CrashState state in CrashStates.Of(log, options))
        {
            states++;
            if (Check(state, out bool leaked) is CrashFailure failure)
            {
                failures++;
                onFailure(failure);
            }
            else if (leaked) leaks++;
        }
        return new ExploreSummary(states, log.Lines.Count + 1, failures, leaks, clock.Elapsed);
    }

    /// <summary>
    /// fsck's problems and the model's complaint about a recovered image, when the first
    /// <paramref name="returned"/> operations had returned and (<paramref name="running"/>) the next had begun.
    /// </summary>
    public static (List<string> Findings, string? Complaint) Verdict(FileSystemImage image, WorkloadModel model, int returned, bool running, out bool leaked)
    {
        leaked = false;
        try
        {
            var problems = Checker.Check(image).Problems.ToList();
            bool mayLeak = running && model.Operations[returned].Traced.Words[0] is "rename" or "unlink";
            leaked = mayLeak && problems.Any(f => f.Kind == FindingKind.Unlinked);
            var findings = problems.Where(f => !(mayLeak && f.Kind == FindingKind.Unlinked)).Select(f => f.Message).ToList();
            return (findings, model.Complaint(image, returned, running));
        }
        catch (Exception unreadable) when (unreadable is InvalidDataException or IndexOutOfRangeException or ArgumentException)
        {
            return (new List<string> { "the image could not be read: " + unreadable.Message }, null);
        }
    }

    /// <summary>The disk a crash in this state leaves, before recovery: base plus the surviving writes in order.</summary>
    public FileSystemImage DiskAt(CrashState state)
    {
        var overlay = new Dictionary<uint, byte[]>();
        var omitted = state.Omitted.ToHashSet();
        for (int line = 1; line <= state.CrashAfter; line++)
            if (log.Lines[line - 1] is TracedWrite write && !omitted.Contains(line))
                overlay[write.Block] = write.Data;
        return new FileSystemImage(new OverlayStream(baseImage, overlay));
    }

    /// <summary>Operations that had returned at the crash, and whether the next one had begun.</summary>
    public (int Returned, bool Running) OperationsAt(int crashAfter)
    {
        int returned = model.Operations.TakeWhile(o => o.Traced.ReturnedAfter <= crashAfter).Count();
        bool running = returned < model.Operations.Count && model.Operations[returned].Traced.BeganAfter <= crashAfter;
        return (returned, running);
    }

    /// <summary>
    /// The state's verdict: null when it passed. One finding of fsck is accepted while a rename or an
    /// unlink runs: an inode with no links that is still allocated (<paramref name="leaked"/>). The
    /// kernel frees a file whose last name went in operations of its own after the one that removed
    /// the name (kernel/Fs/DiskRename.cs, TruncationBudget.cs: a large file takes several), so a crash
    /// in between leaks the inode and its blocks, as xv6 does for a file unlinked while open. Once the
    /// syscall has returned it must be gone.
    /// </summary>
    public CrashFailure? Check(CrashState state, out bool leaked)
    {
        leaked = false;
        FileSystemImage image = DiskAt(state);
        try
        {
            image.Recover();
        }
        catch (InvalidDataException refused)
        {
            return new CrashFailure(state, new[] { "recovery refused the log: " + refused.Message }, null);
        }
        (int returned, bool running) = OperationsAt(state.CrashAfter);
        (List<string> findings, string? complaint) = Verdict(image, model, returned, running, out leaked);
        return findings.Count == 0 && complaint == null ? null : new CrashFailure(state, findings, complaint);
    }
}
