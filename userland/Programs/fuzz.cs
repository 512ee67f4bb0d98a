using System;
using Abi;
using TeachOS;
using TeachOS.Fuzzing;

/// <summary>
/// fuzz SEED CALLS [SCENARIO...] [--skip TAG,...]: TeachOS attacks itself, as syzkaller and trinity
/// attack Linux. First CALLS random syscalls with nasty arguments (userland/Lib/Fuzzing/RandomCalls.cs),
/// made by child processes CallsPerChild at a time, then the hostile scenarios named (default: all).
/// After each child and each scenario, HealthChecks asks whether the system still works. When a check
/// fails, the fuzzer re-runs shorter and shorter stretches of calls, each in a fresh child, and prints
/// the smallest stretch that still fails and its last call: `fuzz --calls SEED FIRST END --trace`
/// then replays it, printing each call before making it (the last line before a panic is the culprit).
/// The last line is "fuzz: seed S, N calls, K scenarios: F failures"; the exit status is F.
/// docs/guide/04-syscalls.md explains it all, and how to add a scenario.
/// </summary>
public static unsafe class Fuzz
{
    private const int CallsPerChild = 250;
    private const int CallsTimeoutMilliseconds = 60000;
    private const int ScenarioTimeoutMilliseconds = 300000;
    private const int CodeCorrupted = 99;          // the child's status when a syscall wrote into its read-only code

    private static readonly string[] s_scenarios =
    {
        "calls", "memory", "processes", "threads", "files-enospc", "files-emfile", "mutated-elf",
        "mutual-join", "racing-sbrk", "queues", "pid-namespaces", "overlay", KnownBugs.EmptyString, KnownBugs.PathUnderFile, KnownBugs.PathWithoutSlash,
    };

    private static ulong s_seed;
    private static string s_skip;
    private static int s_failures;
    private static int s_quietInput, s_quietOutput;        // a pipe at its end (reads: 0), a pipe nobody reads (writes: EPIPE)

    public static int Main(string[] args)
    {
        int skipAt = Array.IndexOf(args, "--skip");
        if (skipAt >= 0 && (skipAt + 1 >= args.Length || !KnownBugs.SetSkipped(args[skipAt + 1]))) return Usage();
        s_skip = skipAt >= 0 ? args[skipAt + 1] : null;
        if (args.Length >= 2 && args[0] == "--as") return PlayRole(args[1]);
        if (args.Length >= 3 && args[0] == "--scenario" && Seed(args[2])) return RunScenarioHere(args[1]);
        if (args.Length >= 4 && args[0] == "--calls" && Seed(args[1]) &&
            Number.TryParse(args[2], out long first) && Number.TryParse(args[3], out long end))
            return RunCallsHere(first, end, Array.IndexOf(args, "--trace") >= 0);
        if (args.Length < 2 || !Seed(args[0]) || !Number.TryParse(args[1], out long calls) || calls < 0) return Usage();

        bool all = args.Length == 2 || Array.IndexOf(args, "all") >= 0;
        for (int i = 2; i < args.Length; i++)
            if (args[i] != "all" && Array.IndexOf(s_scenarios, args[i]) < 0 && args[i] != "--skip" && (i == 0 || args[i - 1] != "--skip"))
                return Usage();

        Console.WriteLine("fuzz: seed " + (long)s_seed + ", " + calls + " calls" + (s_skip != null ? ", skipping " + s_skip : ""));
        Sys.Pipe(out PipeDescriptors input);
        Sys.Close(input.Write);
        Sys.Pipe(out PipeDescriptors output);
        Sys.Close(output.Read);
        s_quietInput = input.Read;
        s_quietOutput = output.Write;
        ChildTimer.Start();
        int scenariosRun = 0;
        foreach (string scenario in s_scenarios)
        {
            if (!all && Array.IndexOf(args, scenario) < 0) continue;
            if (scenario == "calls") RunCalls(calls); else RunScenario(scenario);
            scenariosRun++;
        }
        ChildTimer.Stop();
        EmptyOwnFiles();
        CollectOrphans();
        Console.WriteLine("fuzz: seed " + (long)s_seed + ", " + calls + " calls, " + scenariosRun + " scenarios: " + s_failures + " failures");
        return s_failures > 255 ? 255 : s_failures;
    }

    // A seed is any 64-bit number, decimal or 0x-hexadecimal.
    private static bool Seed(string text)
    {
        bool ok = Number.TryParse(text, out long seed);
        s_seed = (ulong)seed;
        return ok;
    }

    private static int Usage()
    {
        Console.WriteLine("usage: fuzz SEED CALLS [SCENARIO...|all] [--skip TAG,...]");
        Console.WriteLine("       fuzz --calls SEED FIRST END [--trace] [--skip TAG,...]   (replay calls FIRST..END-1)");
        Console.Write("scenarios:");
        foreach (string scenario in s_scenarios) Console.Write(" " + scenario);
        Console.WriteLine();
        return 2;
    }

    // ---- Random calls, a child per stretch ----

    private static long s_made, s_skipped, s_callMilliseconds;

    private static void RunCalls(long calls)
    {
        long started = Sys.Uptime();
        for (long first = 0; first < calls; first += CallsPerChild)
        {
            long end = first + CallsPerChild < calls ? first + CallsPerChild : calls;
            // Said before they run: if the kernel panics, the last of these lines tells which calls did it.
            Console.WriteLine("fuzz: calls " + first + ".." + (end - 1));
            string failure = TryCalls(first, end, tally: true);
            if (failure == null) continue;
            s_failures++;
            Console.WriteLine("fuzz: FAILED: calls " + first + ".." + (end - 1) + " of seed " + (long)s_seed + ": " + failure);
            if (HealthChecks.Run() != null) { Console.WriteLine("fuzz: the system stays broken: no use going on"); break; }
            Shrink(first, end);
        }
        long elapsed = Sys.Uptime() - started;
        Console.WriteLine("fuzz: calls: " + s_made + " made, " + s_skipped + " skipped (they could block), in " + elapsed +
                          " ms of guest time with the checks, " + PerSecond(s_made, elapsed) + " per second; the calls alone: " +
                          s_callMilliseconds + " ms, " + PerSecond(s_made, s_callMilliseconds) + " calls per second");
    }

    private static long PerSecond(long count, long milliseconds) => milliseconds <= 0 ? 0 : count * 1000 / milliseconds;

    /// <summary>Runs calls [first, end) in a new child, then the health checks. Null if all went well, else what did not.</summary>
    private static string TryCalls(long first, long end, bool tally = false, bool trace = false)
    {
        Sys.Pipe(out PipeDescriptors report);
        int count = 5 + (trace ? 1 : 0) + (s_skip != null ? 2 : 0);
        string[] arguments = new string[count];
        arguments[0] = "fuzz";
        arguments[1] = "--calls";
        arguments[2] = ((long)s_seed).ToString();
        arguments[3] = first.ToString();
        arguments[4] = end.ToString();
        if (trace) arguments[5] = "--trace";
        if (s_skip != null) { arguments[count - 2] = "--skip"; arguments[count - 1] = s_skip; }
        long pid = Sys.Spawn("/bin/fuzz", arguments, s_quietInput, trace ? 1 : report.Write, s_quietOutput);
        Sys.Close(report.Write);
        if (pid < 0) { Sys.Close(report.Read); return "spawn of the fuzzer's child: " + Sys.ErrorName(pid); }
        ChildTimer.Watch((int)pid, CallsTimeoutMilliseconds);
        string summary = Console.ReadAllFrom(report.Read);
        Sys.Close(report.Read);
        Sys.Wait((int)pid, out int status);
        bool timedOut = ChildTimer.Disarm();
        CollectOrphans();
        if (tally) Tally(summary);
        if (timedOut) return "the child still ran after " + CallsTimeoutMilliseconds + " ms (a call blocked)";
        if (status == CodeCorrupted) return "a syscall wrote into the fuzzer's read-only code";
        if (status != 0) return "the child ended with status " + status;
        return HealthChecks.Run() is string broken ? "then " + broken : null;
    }

    // The child's last line: "made N skipped M ms T".
    private static void Tally(string summary)
    {
        string[] words = summary.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < words.Length; i++)
        {
            if (!Number.TryParse(words[i + 1].Trim(), out long value)) continue;
            if (words[i] == "made") s_made += value;
            else if (words[i] == "skipped") s_skipped += value;
            else if (words[i] == "ms") s_callMilliseconds += value;
        }
    }

    /// <summary>
    /// The smallest stretch of calls that still fails: first the shortest prefix of [first, end) (its last
    /// call is the one that did it), then the latest start that, with that last call, still fails.
    /// Assumes that a stretch that fails keeps failing when longer, which is usual, not certain.
    /// </summary>
    private static void Shrink(long first, long end)
    {
        if (TryCalls(first, end) == null) { Console.WriteLine("fuzz:   not reproducible in a fresh child (it depends on timing or on earlier calls)"); return; }
        long low = first + 1, high = end;
        while (low < high)
        {
            long middle = (low + high) / 2;
            if (TryCalls(first, middle) != null) high = middle; else low = middle + 1;
        }
        long last = high - 1, start = first, latest = last;
        while (start < latest)
        {
            long middle = (start + latest + 1) / 2;
            if (TryCalls(middle, last + 1) != null) start = middle; else latest = middle - 1;
        }
        Console.WriteLine("fuzz:   smallest reproduction: calls " + start + ".." + last + " (replay: fuzz --calls " + (long)s_seed + " " +
                          start + " " + (last + 1) + " --trace" + (s_skip != null ? " --skip " + s_skip : "") + ")" + (start == last ? ":" : "; the last:"));
        for (long index = last - start < 8 ? start : last; index <= last; index++)
        {
            TextLine.Append("fuzz:     ");
            RandomCalls.Describe(RandomCalls.Choose(s_seed, index));
            TextLine.WriteLine();
        }
    }

    /// <summary>`fuzz --calls SEED FIRST END`: the child that makes the calls. Reports on descriptor 31.</summary>
    private static int RunCallsHere(long first, long end, bool trace)
    {
        // Everything that allocates comes first: after FuzzMemory.Set, fuzzed reads may write just above it.
        RandomCalls.Start();
        RandomCalls.Choose(s_seed, first);
        if (!FuzzMemory.Set()) return 3;
        Sys.Duplicate(1, RandomCalls.ReportDescriptor);
        Sys.Duplicate(2, 1);
        long made = 0, started = Sys.Uptime();
        for (long index = first; index < end; index++)
        {
            FuzzCall call = RandomCalls.Choose(s_seed, index);
            if (trace) { RandomCalls.Describe(call); TextLine.WriteLine(RandomCalls.ReportDescriptor); }
            bool done = RandomCalls.Make(ref call, out long result);
            if (done) made++;
            if (trace) { TextLine.Append(done ? "  = " : "  skipped"); if (done) TextLine.AppendNumber((ulong)result); TextLine.WriteLine(RandomCalls.ReportDescriptor); }
            if (!BadAddresses.ReadOnlyCodeIsIntact) return CodeCorrupted;
        }
        TextLine.Append("made ");
        TextLine.AppendDecimal(made);
        TextLine.Append(" skipped ");
        TextLine.AppendDecimal(RandomCalls.Skipped);
        TextLine.Append(" ms ");
        TextLine.AppendDecimal(Sys.Uptime() - started);
        TextLine.WriteLine(RandomCalls.ReportDescriptor);
        return 0;
    }

    // ---- Scenarios, each in a child ----

    private static void RunScenario(string name)
    {
        Console.WriteLine("fuzz: scenario " + name);
        long pid = Sys.Spawn("/bin/fuzz", new[] { "fuzz", "--scenario", name, ((long)s_seed).ToString() }, s_quietInput, 1, 2);
        int status = -1;
        bool timedOut = false;
        if (pid > 0)
        {
            ChildTimer.Watch((int)pid, ScenarioTimeoutMilliseconds);
            Sys.Wait((int)pid, out status);
            timedOut = ChildTimer.Disarm();
        }
        CollectOrphans();
        string health = HealthChecks.Run();
        bool ok = pid > 0 && status == 0 && !timedOut && health == null;
        if (!ok) s_failures++;
        Console.WriteLine("fuzz: scenario " + name + ": " + (ok ? "OK" : "FAILED (" + (pid < 0 ? "spawn: " + Sys.ErrorName(pid)
                          : timedOut ? "still running after " + ScenarioTimeoutMilliseconds + " ms" : status != 0 ? "status " + status : "then " + health) + ")"));
    }

    private static int RunScenarioHere(string name)
    {
        ChildTimer.Start();
        bool ok;
        switch (name)
        {
            case "memory": ok = ExhaustionScenarios.Memory(); break;
            case "processes": ok = ExhaustionScenarios.Processes(); break;
            case "threads": ok = ExhaustionScenarios.Threads(); break;
            case "files-enospc": ok = ExhaustionScenarios.FileSpace(); break;
            case "files-emfile": ok = ExhaustionScenarios.Descriptors(); break;
            case "mutated-elf": ok = HostileInputScenarios.MutatedElf(s_seed); break;
            case "mutual-join": ok = ConcurrencyScenarios.MutualJoin(); break;
            case "racing-sbrk": ok = ConcurrencyScenarios.RacingSbrk(); break;
            case "queues": ok = IpcScenarios.Queues(); break;
            case "pid-namespaces": ok = PidNamespaceScenarios.NestAndKill(); break;
            case "overlay": ok = OverlayScenarios.Churn(s_seed); break;
            case KnownBugs.EmptyString: ok = HostileInputScenarios.EmptyString(); break;
            case KnownBugs.PathUnderFile: ok = HostileInputScenarios.PathUnderFile(); break;
            case KnownBugs.PathWithoutSlash: ok = HostileInputScenarios.PathWithoutSlash(); break;
            default: Console.WriteLine("fuzz: no scenario " + name); ok = false; break;
        }
        ChildTimer.Stop();
        return ok ? 0 : 1;
    }

    private static int PlayRole(string role)
    {
        switch (role)
        {
            case "threads": return ExhaustionScenarios.ThreadsRole();
            case "join-each-other": return ConcurrencyScenarios.JoinEachOtherRole();
            default: return 2;
        }
    }

    // ---- Leaving things as they were ----

    // Orphans of the children end on their own (they were given pipes at their end); collect them.
    private static void CollectOrphans()
    {
        while (Sys.Wait(-1, out int status) > 0) { }
    }

    // What the calls may have made (files, directories, links, under the fuzzer's own names, perhaps
    // below a fuzzed chdir's directory: /bin/fz0), removed so that their memory comes back. A control
    // group's files cannot be unlinked (EPERM): RemoveTree's rmdir then removes the group itself.
    private static void EmptyOwnFiles()
    {
        foreach (string path in new[] { "/fz0", "/fz1", "/etc/fz2", "/bin/fz0", HealthChecks.CheckFile, "/fzr", "/sys/fs/cgroup/fz4", "/sys/fs/cgroup/fz0" })
            RemoveTree(path);
    }

    private static unsafe void RemoveTree(string path)
    {
        if (Sys.Unlink(path) != -Errno.EISDIR) return;
        long directory = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (directory < 0) return;
        string[] names = new string[16];
        int count = 0;
        while (count < names.Length && Sys.ReadDirectory((int)directory, count, out DirectoryEntry entry) == 1)
            names[count++] = string.FromAscii(entry.Name, entry.NameLength);
        Sys.Close((int)directory);
        for (int i = 0; i < count; i++) RemoveTree(path + "/" + names[i]);
        Sys.RemoveDirectory(path);
    }
}
