using Abi;
using TeachOS.Tools.DiskTools.Image;

namespace TeachOS.Tools.DiskTools.Explore;

/// <summary>
/// The explorer's picture of a run (`explore --timeline`): one line per trace line, saying what the
/// write was (a log block, the log header with its count, an inode, bitmap or data block), which
/// operations had returned when it finished, and which are on the disk after recovery if the power
/// fails right after it. The guide's drawing of the commit point comes from this.
/// </summary>
public static class Timeline
{
    public static void Print(CrashExplorer explorer, TraceLog log, WorkloadModel model, TextWriter output)
    {
        output.WriteLine("line  trace                                     returned  on the disk after recovery");
        for (int line = 0; line <= log.Lines.Count; line++)
        {
            string what = line == 0 ? "(before the first write)" : Describe(explorer, log.Lines[line - 1], line);
            (int returned, bool running) = explorer.OperationsAt(line);
            using FileSystemImage image = explorer.DiskAt(new CrashState(line, Array.Empty<int>()));
            image.Recover();
            bool runningThere = running && model.Operations[returned].IsFullyApplied(image) && !model.Operations[returned].IsFullyAbsent(image);
            int there = returned + (runningThere ? 1 : 0);
            string verdict = there == 0 ? "none" : there == 1 ? "op 1" : $"ops 1-{there}";
            if (running) verdict += runningThere ? $" (op {returned + 1} {model.Operations[returned].Traced.Words[0]} is in)" : $" (op {returned + 1} {model.Operations[returned].Traced.Words[0]} is not)";
            output.WriteLine($"{line,4}  {what,-40}  {returned,8}  {verdict}");
        }
    }

    private static string Describe(CrashExplorer explorer, TracedWrite? write, int line)
    {
        if (write == null) return "flush";
        using FileSystemImage image = explorer.DiskAt(new CrashState(0, Array.Empty<int>()));
        DiskSuperblock superblock = image.Superblock;
        uint block = write.Block;
        string region =
            block == superblock.LogStart ? HeaderText(write.Data)
            : block > superblock.LogStart && block < superblock.LogStart + superblock.LogBlocks ? $"log slot {block - superblock.LogStart - 1}"
            : block >= superblock.DataStart ? "home: data"
            : block >= superblock.BitmapStart ? "home: bitmap"
            : block >= superblock.InodeStart ? "home: inodes"
            : "home: superblock";
        return $"write {block,5} {region}";
    }

    private static string HeaderText(byte[] data)
    {
        uint count = BitConverter.ToUInt32(data, 0);
        return count == 0 ? "log header, count 0" : $"log header, count {count} COMMIT";
    }
}
