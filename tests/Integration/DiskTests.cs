using System.Text.RegularExpressions;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// The block driver (kernel/Drivers/VirtioBlock.cs) on a fresh raw image of its own per test, made
/// here in a temporary directory and attached through tools/run-qemu.sh --disk. The kernel's side is
/// kernel/Tests/DiskTests.cs; this side checks what it leaves on the image, from the host.
/// </summary>
public sealed class DiskTests : IDisposable
{
    private const int BlockSize = 1024;
    private const int ImageBlocks = 4096;                // 4 MiB
    // kernel/Tests/DiskTests.cs's regions and pattern.
    private const long SequentialStart = 1024, SequentialBlocks = 1024;
    private const long ThreadAreaStart = 2048, ThreadAreaBlocks = 4 * 128;
    private const uint Rounds = 4;
    private const long CrashAreaStart = 3072, CrashBlocks = 10;
    private const int StatusDiskCrashPoint = 101;        // kernel/Diagnostics/DebugExit.cs

    private readonly string _directory = Directory.CreateTempSubdirectory("teachos-disk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string FreshImage()
    {
        string path = Path.Combine(_directory, $"disk-{Guid.NewGuid():N}.img");
        using (var image = File.Create(path)) image.SetLength((long)ImageBlocks * BlockSize);
        return path;
    }

    private static byte Pattern(ulong block, int offset, uint generation) =>
        (byte)(block * 131 + (ulong)offset * 7 + (block >> 8) + generation * 29);

    private static byte[] ReadBlock(string image, long block)
    {
        using var file = File.OpenRead(image);
        file.Position = block * BlockSize;
        var data = new byte[BlockSize];
        file.ReadExactly(data);
        return data;
    }

    private static int BlocksNotMatching(string image, long first, long count, uint generation)
    {
        int wrong = 0;
        for (long block = first; block < first + count; block++)
        {
            byte[] data = ReadBlock(image, block);
            for (int i = 0; i < BlockSize; i++)
                if (data[i] != Pattern((ulong)block, i, generation)) { wrong++; break; }
        }
        return wrong;
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData("4,cores=2,threads=2", 4)]
    public void WrittenBlocksReadBackFromSeveralCpusAndPersistAcrossABoot(string smp, int cpus)
    {
        string image = FreshImage();
        var first = Qemu.Boot("test=disk-selftest", timeoutSeconds: 240, smp: smp, disk: image)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogMatches(@"^pci: 00:00\.0 8086:1237 class 060000 Intel 440FX host bridge$")
            .AssertLogMatches(@"^pci: 00:04\.0 1af4:1001 class 010000 virtio block device")
            .AssertLogMatches(@"^disk: virtio-blk at 00:04\.0, 4096 KiB ")
            .AssertLogContains("test disk-selftest ok");
        // More than one request was in flight at a time, and with several CPUs, more than one issued them.
        Match figures = Regex.Match(first.SerialLog, @"^  disk: 4 threads, 4096 requests in \d+ ms, on cpus 0x([0-9a-f]+), at most (\d+) in flight at once$", RegexOptions.Multiline);
        Assert.True(figures.Success, first.Describe());
        int cpusUsed = System.Numerics.BitOperations.PopCount(Convert.ToUInt32(figures.Groups[1].Value, 16));
        Assert.InRange(cpusUsed, Math.Min(cpus, 2), cpus);
        Assert.InRange(int.Parse(figures.Groups[2].Value), 2, 16);

        // From the host: the bytes are in the image file, where the kernel put them.
        Assert.Equal(0, BlocksNotMatching(image, SequentialStart, SequentialBlocks, 0));
        Assert.Equal(0, BlocksNotMatching(image, ThreadAreaStart, ThreadAreaBlocks, Rounds));
        Assert.All(ReadBlock(image, 0), value => Assert.Equal(0, value));      // and nowhere else

        // And a second boot reads them back through the driver.
        Qemu.Boot("test=disk-check", timeoutSeconds: 120, disk: image).AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("  disk: 1536 blocks read back, 0 differ")
            .AssertLogContains("test disk-check ok");
    }

    [Fact]
    public void WithoutADiskTheBootSaysSoAndGoesOn()
    {
        Qemu.Boot("test=strings").AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("disk: none attached (the RAM file system only)\n")
            .AssertLogDoesNotContain("pci: 00:04.0")
            .AssertLogContains("test strings ok");
    }

    [Fact]
    public void ADiskTestWithoutADiskFails()
    {
        Qemu.Boot("test=disk-selftest").AssertStatus(BootResult.StatusFailure)
            .AssertLogContains("check failed in disk-selftest: a disk is attached");
    }

    [Fact]
    public void CrashAfterThreeWritesLeavesExactlyThreeOnTheImageAndTracesThem()
    {
        string image = FreshImage();
        var result = Qemu.Boot("disk-trace crash-after-writes=3 test=disk-crash", timeoutSeconds: 120, smp: "2", disk: image)
            .AssertStatus(StatusDiskCrashPoint)
            .AssertLogContains("disk: the machine stops before write 4 (crash-after-writes=3)")
            .AssertLogContains("  disk: wrote block 3074\n")
            .AssertLogContains("disk: crash after 3 writes\n")
            .AssertLogDoesNotContain("  disk: wrote block 3075");

        // The image holds the first three writes and not one byte of the fourth.
        for (long i = 0; i < CrashBlocks; i++)
        {
            byte expected = i < 3 ? (byte)(0xC0 + i) : (byte)0;
            Assert.All(ReadBlock(image, CrashAreaStart + i), value => Assert.Equal(expected, value));
        }

        // The trace (kernel/Drivers/DiskTrace.cs) names the same three writes, numbered, with their bytes.
        var writes = Regex.Matches(result.SerialLog, @"^disk\[w\] (\d+) (\d+) ([A-Za-z0-9+/=]+)$", RegexOptions.Multiline);
        Assert.Equal(3, writes.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal((i + 1).ToString(), writes[i].Groups[1].Value);
            Assert.Equal((CrashAreaStart + i).ToString(), writes[i].Groups[2].Value);
            Assert.Equal(ReadBlock(image, CrashAreaStart + i), Convert.FromBase64String(writes[i].Groups[3].Value));
        }
    }

    [Fact]
    public void TheTraceRecordsEachWriteAndFlushInOrder()
    {
        // kernel/Tests/DiskTests.cs TraceSample: four writes, two flushes. The trace numbers them in one
        // sequence, and gives each block's bytes in base64 up to its last non-zero byte ("-": all zero).
        string image = FreshImage();
        const ulong first = 3584;
        var result = Qemu.Boot("disk-trace test=disk-trace-sample", timeoutSeconds: 60, disk: image)
            .AssertStatus(BootResult.StatusSuccess)
            .AssertLogContains("test disk-trace-sample ok");
        var lines = Regex.Matches(result.SerialLog, @"^disk\[([wf])\] (\d+)(?: (\d+) ([A-Za-z0-9+/=]+|-))?$", RegexOptions.Multiline);
        Assert.Equal("w1 w2 w3 f4 w5 f6", string.Join(" ", lines.Select(line => line.Groups[1].Value + line.Groups[2].Value)));

        byte[] full = Enumerable.Range(0, BlockSize).Select(i => Pattern(first, i, 7)).ToArray();
        byte[] shortPrefix = Enumerable.Range(0, 100).Select(i => Pattern(first + 2, i, 7)).ToArray();
        byte[] lastOnly = new byte[BlockSize];
        lastOnly[BlockSize - 1] = 0xFF;
        Assert.Equal(first.ToString(), lines[0].Groups[3].Value);
        Assert.Equal(full.Reverse().SkipWhile(value => value == 0).Reverse().ToArray(), Convert.FromBase64String(lines[0].Groups[4].Value));
        Assert.Equal((first + 1).ToString(), lines[1].Groups[3].Value);
        Assert.Equal("-", lines[1].Groups[4].Value);
        Assert.Equal((first + 2).ToString(), lines[2].Groups[3].Value);
        Assert.Equal(shortPrefix.Reverse().SkipWhile(value => value == 0).Reverse().ToArray(), Convert.FromBase64String(lines[2].Groups[4].Value));
        Assert.Equal((first + 3).ToString(), lines[4].Groups[3].Value);
        Assert.Equal(lastOnly, Convert.FromBase64String(lines[4].Groups[4].Value));

        // What the trace says is what the image holds.
        Assert.Equal(full, ReadBlock(image, (long)first));
        Assert.All(ReadBlock(image, (long)first + 1), value => Assert.Equal(0, value));
        Assert.Equal(shortPrefix.Concat(new byte[BlockSize - 100]).ToArray(), ReadBlock(image, (long)first + 2));
        Assert.Equal(lastOnly, ReadBlock(image, (long)first + 3));
    }
}
