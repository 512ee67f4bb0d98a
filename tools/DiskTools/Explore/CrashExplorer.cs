using System.Diagnostics;
using TeachOS.Tools.DiskTools.Check;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>A state that failed: what fsck found after recovery, and what the model said.</summary>
public sealed record CrashFailure(CrashState State, IReadOnlyList<string> Findings, string? Complaint)
{
    public override string ToString() =>
        $"FAIL {State}: " + (Findings.Count > 0 ? "fsck: " + string.Join("; ", Findings) : "fsck clean") +
        (Complaint != null ? "; model: " + Complaint : "");
}

public sealed record ExploreSummary(int States, int CrashPoints, int Failures, TimeSpan Elapsed)
{
    public double StatesPerSecond => States / Math.Max(Elapsed.TotalSeconds, 1e-6);

    public override string ToString() =>
        $"crash explorer: {States} states checked ({CrashPoints} crash points and their reorderings), {Failures} failed, " +
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
        int states = 0, failures = 0;
        foreach (CrashState state in CrashStates.Of(log, options))
        {
            states++;
            if (Check(state) is CrashFailure failure)
            {
                failures++;
                onFailure(failure);
            }
        }
        return new ExploreSummary(states, log.Lines.Count + 1, failures, clock.Elapsed);
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

    public CrashFailure? Check(CrashState state)
    {
        FileSystemImage image = DiskAt(state);
        try
        {
            image.Recover();
        }
        catch (InvalidDataException refused)
        {
            return new CrashFailure(state, new[] { "recovery refused the log: " + refused.Message }, null);
        }
        List<string> findings;
        string? complaint;
        try
        {
            findings = Checker.Check(image).Problems.Select(f => f.Message).ToList();
            (int returned, bool running) = OperationsAt(state.CrashAfter);
            complaint = model.Complaint(image, returned, running);
        }
        catch (Exception unreadable) when (unreadable is InvalidDataException or IndexOutOfRangeException or ArgumentException)
        {
            return new CrashFailure(state, new[] { "the image could not be read: " + unreadable.Message }, null);
        }
        return findings.Count == 0 && complaint == null ? null : new CrashFailure(state, findings, complaint);
    }
}
