using Abi;
using TeachOS;

/// <summary>
/// vmmap [PID]: a process's memory as its page tables describe it (the memorymap syscall), one line
/// per run of pages alike, like Linux's /proc/PID/maps. Without a PID, vmmap's own.
/// <code>
///   START            END               PAGES FRAMES PERM   AD SW  BACKING
///   0000000000400000-0000000000402000      2      2 r-x u  A-  0  program
/// </code>
/// PERM: r (present), w (writable), x (executable), u (user may use it; p if only the kernel may).
/// AD: the Accessed and Dirty bits the CPU set. SW: the entries' software bits 9-11 (copy-on-write).
/// </summary>
public static unsafe class VirtualMemoryMap
{
    private static readonly string[] BackingNames = { "?", "program", "heap", "stack", "thread stack", "mmap" };

    public static int Main(string[] args)
    {
        int pid = 0;
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], out pid) || pid <= 0)))
        {
            Console.Error("usage: vmmap [PID]\n");
            return 2;
        }
        MappingRecord[] records = Read(pid, out long result);
        if (result < 0)
        {
            Files.ReportError("vmmap", args.Length == 1 ? args[0] : "self", result);
            return 1;
        }
        Console.WriteLine("START            END               PAGES FRAMES PERM   AD SW  BACKING");
        for (int i = 0; i < result; i++) Console.WriteLine(Line(records[i]));
        return 0;
    }

    // Asks how many records there are, then reads them; the count may grow in between (vmmap's
    // own heap grows for the array), so it asks again with room to spare until they fit.
    private static MappingRecord[] Read(int pid, out long result)
    {
        result = Sys.MemoryMap(pid, default, out int needed);
        MappingRecord[] records = null;
        while (result == -Errno.ERANGE)
        {
            records = new MappingRecord[needed + 4];
            fixed (MappingRecord* first = records)
                result = Sys.MemoryMap(pid, new System.Span<byte>(first, records.Length * sizeof(MappingRecord)), out needed);
        }
        return records;
    }

    private static string Line(MappingRecord record)
    {
        ulong pages = (record.End - record.Start) / 4096;
        return record.Start.ToString("x16") + "-" + record.End.ToString("x16") + " " +
               pages.ToString().PadLeft(6) + " " + record.Frames.ToString().PadLeft(6) + " " +
               Permissions(record.Flags) + "  " + AccessedDirty(record.Flags) + " " +
               record.Software.ToString().PadLeft(2) + "  " + BackingName(record.Backing);
    }

    private static string Permissions(int flags) =>
        ((flags & PageFlags.Present) != 0 ? "r" : "-") + ((flags & PageFlags.Writable) != 0 ? "w" : "-") +
        ((flags & PageFlags.Executable) != 0 ? "x" : "-") + ((flags & PageFlags.User) != 0 ? " u" : " p");

    private static string AccessedDirty(int flags) =>
        ((flags & PageFlags.Accessed) != 0 ? "A" : "-") + ((flags & PageFlags.Dirty) != 0 ? "D" : "-");

    private static string BackingName(int backing) =>
        backing >= 0 && backing < BackingNames.Length ? BackingNames[backing] : "?";
}
