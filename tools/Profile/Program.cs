namespace TeachOS.Tools.Profile;

/// <summary>
/// Usage: Profile LOG --kernel build/kernel.elf [--user build/user/PROG.elf] [--folded OUT] [-o OUT.svg] [--title T]
/// Reads the samples in LOG, names kernel addresses from the kernel's symbols and user addresses from
/// PROG's (every program is linked at the same address, so one program's symbols serve the profile
/// of that program and the children it forks), writes the folded stacks and the flame graph, and
/// prints the ten hottest functions (by samples where they were running, and where they were on the stack).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? log = null, kernel = null, user = null, folded = null, svg = null, title = "profile";
        for (int i = 0; i < args.Length; i++)
        {
            string next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--kernel": kernel = next(); break;
                case "--user": user = next(); break;
                case "--folded": folded = next(); break;
                case "-o": svg = next(); break;
                case "--title": title = next(); break;
                default: log = args[i]; break;
            }
        }
        if (log == null || kernel == null)
        {
            Console.Error.WriteLine("usage: Profile LOG --kernel KERNEL.elf [--user PROG.elf] [--folded OUT] [-o OUT.svg] [--title T]");
            return 2;
        }

        List<ProfileSample> samples = ProfileSample.ReadLog(File.ReadLines(log));
        if (samples.Count == 0)
        {
            Console.Error.WriteLine($"{log}: no profile samples (was `profile` on the command line, and did init exit?)");
            return 1;
        }
        ElfSymbols kernelSymbols = ElfSymbols.Read(kernel);
        ElfSymbols? userSymbols = user != null && File.Exists(user) ? ElfSymbols.Read(user) : null;
        var stacks = StackFolder.Fold(samples, kernelSymbols.Lookup, address => userSymbols?.Lookup(address));
        if (folded != null) File.WriteAllLines(folded, StackFolder.Lines(stacks));
        if (svg != null) File.WriteAllText(svg, FlameGraphWriter.Write(stacks, title));

        Console.WriteLine($"{samples.Count} samples");
        PrintTop("running (self)", stacks.Select(s => (s.Key.Split(';')[^1], s.Value)), samples.Count);
        PrintTop("on the stack (total)", stacks.SelectMany(s => s.Key.Split(';').Skip(1).Distinct().Select(f => (f, s.Value))), samples.Count);
        return 0;
    }

    private static void PrintTop(string heading, IEnumerable<(string Frame, int Count)> counts, int total)
    {
        Console.WriteLine($"hottest, {heading}:");
        foreach (var group in counts.GroupBy(c => c.Frame).Select(g => (Frame: g.Key, Count: g.Sum(c => c.Count)))
                     .OrderByDescending(g => g.Count).ThenBy(g => g.Frame, StringComparer.Ordinal).Take(10))
            Console.WriteLine($"  {100.0 * group.Count / total,5:0.0}%  {group.Count,6}  {group.Frame}");
    }
}
