using TeachOS.Tools.DiskTools.Explore;
using TeachOS.Tools.DiskTools.Explore.Operations;
using TeachOS.Tools.DiskTools.Image;
using Xunit;

namespace TeachOS.Tests.Tools.DiskTools;

/// <summary>
/// The crash explorer (tools/DiskTools/Explore) on synthetic traces: a workload of four operations
/// whose blocks are the differences between images mkfs made of the tree before and after each.
/// Written with the kernel's commit protocol every state passes; with a broken protocol the
/// explorer finds states that fail, some of them only among the reorderings between flushes.
/// </summary>
public class CrashExplorerTests
{
    private static readonly string[] Workload =
        { "mkdir /disk/zz", "create /disk/zz/f", "write /disk/zz/f 0 100 1", "rename /disk/zz/f /disk/zz/g" };

    /// <summary>The base image and the trace of the workload, one operation (0: the first) written with the protocol <paramref name="broken"/>.</summary>
    private static (byte[] Base, List<string> Log) Traced(SyntheticTrace.Protocol broken, int brokenOperation)
    {
        using var tree = ScratchTree.Small();
        var images = new List<byte[]>();
        void Snapshot()
        {
            tree.Mkfs();
            images.Add(File.ReadAllBytes(tree.Image));
        }
        Snapshot();
        tree.MakeDirectory("zz");
        Snapshot();
        tree.Write("zz/f", Array.Empty<byte>());
        Snapshot();
        tree.Write("zz/f", Enumerable.Range(0, 100).Select(i => WriteOperation.PatternByte(1, i)).ToArray());
        Snapshot();
        File.Move(Path.Combine(tree.Tree, "zz/f"), Path.Combine(tree.Tree, "zz/g"));
        Snapshot();

        uint logStart;
        using (var image = new FileSystemImage(new MemoryStream(images[0]))) logStart = image.Superblock.LogStart;
        var trace = new SyntheticTrace(logStart);
        for (int i = 0; i < Workload.Length; i++)
            trace.Operation(Workload[i], images[i], images[i + 1], i == brokenOperation ? broken : SyntheticTrace.Protocol.Correct);
        return (images[0], trace.Lines.ToList());
    }

    private static (ExploreSummary Summary, List<CrashFailure> Failures) Explore(SyntheticTrace.Protocol protocol, int subsets = 512)
    {
        // The write (operation 3) changes three blocks: its data block, the bitmap, the inode.
        (byte[] baseImage, List<string> lines) = Traced(protocol, brokenOperation: 2);
        TraceLog log = TraceLog.Parse(lines);
        var failures = new List<CrashFailure>();
        var explorer = new CrashExplorer(new MemoryStream(baseImage, writable: false), log, new WorkloadModel(log.Operations));
        ExploreSummary summary = explorer.Run(new CrashStates.Options(subsets), failures.Add);
        return (summary, failures);
    }

    [Fact]
    public void TheKernelsProtocolPassesInEveryState()
    {
        (ExploreSummary summary, List<CrashFailure> failures) = Explore(SyntheticTrace.Protocol.Correct);
        Assert.Empty(failures);
        Assert.True(summary.States > summary.CrashPoints, $"{summary}: no reorderings were checked");
    }

    [Fact]
    public void InstallingBeforeTheCommitPointIsFound()
    {
        (_, List<CrashFailure> failures) = Explore(SyntheticTrace.Protocol.InstallBeforeCommit);
        Assert.NotEmpty(failures);
        Assert.Contains(failures, f => f.Complaint != null && f.Complaint.Contains("op 3 (write /disk/zz/f 0 100 1) is half done"));
    }

    [Fact]
    public void AHeaderWrittenBeforeItsLogBlocksIsFound()
    {
        (_, List<CrashFailure> failures) = Explore(SyntheticTrace.Protocol.HeaderBeforeLogBlocks);
        Assert.NotEmpty(failures);
    }

    /// <summary>Without a flush between the log blocks and the header, only a reordering shows the bug.</summary>
    [Fact]
    public void AMissingFlushIsFoundOnlyAmongTheReorderings()
    {
        (_, List<CrashFailure> failures) = Explore(SyntheticTrace.Protocol.NoFlushBeforeHeader);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.NotEmpty(f.State.Omitted));
    }

    [Fact]
    public void AnOperationThatReturnsBeforeItsCommitIsFound()
    {
        (_, List<CrashFailure> failures) = Explore(SyntheticTrace.Protocol.ReturnBeforeCommit);
        Assert.Contains(failures, f => f.Complaint != null && f.Complaint.StartsWith("op 3 (write /disk/zz/f 0 100 1) returned before the crash, but"));
    }

    [Fact]
    public void EveryStateOfAnEpochIsListedOnceAtItsLastWrite()
    {
        // w w w f w: after line 3 the epoch's first two writes may each be missing (4 states).
        TraceLog log = TraceLog.Parse(new[] { "disk[w] 1 10 -", "disk[w] 2 11 -", "disk[w] 3 12 -", "disk[f] 4", "disk[w] 5 13 -" });
        var states = CrashStates.Of(log, new CrashStates.Options()).ToList();
        Assert.Equal(new[] { 1, 1, 2, 2, 4, 4, 4, 4, 1, 1 }.Length, states.Count);
        Assert.Equal(4, states.Count(s => s.CrashAfter == 3));
        Assert.Contains(states, s => s.CrashAfter == 3 && s.Omitted.SequenceEqual(new[] { 1, 2 }));
        Assert.Single(states, s => s.CrashAfter == 5);
        // With a cap of 2 per point: the prefix and every single omission all the same.
        Assert.Equal(3, CrashStates.Of(log, new CrashStates.Options(SubsetsPerPoint: 2)).Count(s => s.CrashAfter == 3));
    }

    [Fact]
    public void ATraceWithAMissingLineIsRefused()
    {
        var missing = Assert.Throws<InvalidDataException>(() => TraceLog.Parse(new[] { "disk[w] 1 10 -", "disk[f] 3" }));
        Assert.Contains("missing lines", missing.Message);
        Assert.Throws<InvalidDataException>(() => TraceLog.Parse(new[] { "crash-op 1 begin mkdir /disk/x" }));
    }

    [Fact]
    public void AnOverlayWriteLeavesTheSharedBlocksAndTheBaseAlone()
    {
        var baseBytes = new byte[4096];
        var shared = new byte[1024];
        var overlay = new Dictionary<uint, byte[]> { [1] = shared };
        var stream = new OverlayStream(new MemoryStream(baseBytes, writable: false), overlay);
        stream.Position = 1024 + 10;
        stream.Write(new byte[] { 7, 7 });
        stream.Position = 3000;
        stream.Write(new byte[] { 9 });
        Assert.All(shared, b => Assert.Equal(0, b));
        Assert.Equal(7, overlay[1][10]);
        Assert.Equal(9, overlay[2][3000 - 2048]);
        var back = new byte[4096];
        stream.Position = 0;
        Assert.Equal(4096, stream.Read(back));
        Assert.Equal(7, back[1034]);
        Assert.Equal(9, back[3000]);
        Assert.All(baseBytes, b => Assert.Equal(0, b));
    }
}
