using System.Globalization;

namespace TeachOS.Tools.SchedTrace;

/// <summary>Everything the parser found in a log, plus the lines it had to skip.</summary>
public sealed class ParsedTrace
{
    public BeginEvent? Begin { get; init; }
    public EndEvent? End { get; init; }
    public IReadOnlyList<CpuEvent> Cpus { get; init; } = [];
    public IReadOnlyList<ThreadEvent> Threads { get; init; } = [];
    /// <summary>In log order; <see cref="Timeline"/> sorts them.</summary>
    public IReadOnlyList<SwitchEvent> Switches { get; init; } = [];
    /// <summary>One entry per skipped (malformed) "sched-trace" line, in line order.</summary>
    public IReadOnlyList<TraceWarning> Warnings { get; init; } = [];

    public int MalformedLines => Warnings.Count;
}

/// <summary>A trace that cannot be drawn at all (for example: no <c>begin</c> line).</summary>
public sealed class TraceFormatException(string message) : Exception(message);

/// <summary>
/// Reads a whole serial log and keeps only the lines that start with "sched-trace ".
/// Each such line is "sched-trace KIND key=value key=value ...": keys may come in any order and
/// unknown keys are ignored, so the kernel can add fields without breaking this tool.
/// A line that cannot be understood is skipped and reported, never fatal: one garbled line
/// (serial output interleaved with another CPU's printk, say) should not cost the whole picture.
/// </summary>
public static class TraceParser
{
    public const string Prefix = "sched-trace ";

    public static ParsedTrace Parse(TextReader reader)
    {
        return Parse(ReadLines(reader));
    }

    public static ParsedTrace Parse(IEnumerable<string> lines)
    {
        var collector = new Collector();
        int lineNumber = 0;
        foreach (string rawLine in lines)
        {
            lineNumber++;
            // Serial consoles often end lines with "\r\n"; the reader leaves the '\r' behind.
            string line = rawLine.TrimEnd('\r');
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
                continue;

            try
            {
                collector.Add(ParseRecord(lineNumber, line[Prefix.Length..]));
            }
            catch (MalformedLineException e)
            {
                collector.Warn(lineNumber, e.Message);
            }
        }
        return collector.Finish();
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    /// <summary>Turns the part after "sched-trace " into a record, or throws MalformedLineException.</summary>
    private static TraceEvent ParseRecord(int line, string text)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            throw new MalformedLineException("no record kind after 'sched-trace'");

        string kind = words[0];
        var fields = Fields.Parse(words.AsSpan(1));
        return kind switch
        {
            "begin" => new BeginEvent(line,
                Cpus: fields.Int("cpus", min: 1),
                Hz: fields.Int("hz", min: 1),
                QuantumTicks: fields.OptionalInt("quantum-ticks")),
            "cpu" => new CpuEvent(line,
                Id: fields.Int("id"),
                Core: fields.Int("core"),
                Package: fields.Int("package"),
                Smt: fields.Int("smt")),
            "thread" => new ThreadEvent(line,
                Tid: fields.Int("tid"),
                Pid: fields.OptionalInt("pid"),
                Name: fields.OptionalText("name")),
            "switch" => new SwitchEvent(line,
                Tick: fields.Long("tick"),
                Cpu: fields.Int("cpu"),
                From: fields.Int("from"),
                To: fields.Int("to"),
                Reason: fields.Text("reason")),
            "end" => new EndEvent(line,
                Dropped: fields.OptionalLong("dropped") ?? 0,
                Events: fields.OptionalLong("events"),
                Tick: fields.OptionalLong("tick")),
            _ => throw new MalformedLineException($"unknown record kind '{kind}'"),
        };
    }

    /// <summary>Sorts records into lists and applies the checks that need more than one line.</summary>
    private sealed class Collector
    {
        private BeginEvent? begin;
        private EndEvent? end;
        private readonly List<CpuEvent> cpus = [];
        private readonly List<ThreadEvent> threads = [];
        private readonly List<SwitchEvent> switches = [];
        private readonly List<TraceWarning> warnings = [];

        public void Warn(int line, string message) => warnings.Add(new TraceWarning(line, message));

        public void Add(TraceEvent record)
        {
            switch (record)
            {
                case BeginEvent b when begin is not null:
                    Warn(b.Line, $"second 'begin' line (the first is on line {begin.Line}); only one trace per log is drawn");
                    break;
                case BeginEvent b: begin = b; break;
                case EndEvent e when end is not null:
                    Warn(e.Line, $"second 'end' line (the first is on line {end.Line})");
                    break;
                case EndEvent e: end = e; break;
                case CpuEvent c: cpus.Add(c); break;
                case ThreadEvent t: threads.Add(t); break;
                case SwitchEvent s: switches.Add(s); break;
            }
        }

        public ParsedTrace Finish()
        {
            // A CPU number is only checkable once 'begin' has said how many CPUs there are,
            // and 'begin' might (in a strange log) come after the events.
            var validCpus = cpus.Where(c => CpuInRange(c.Line, c.Id)).ToList();
            var validSwitches = switches.Where(s => CpuInRange(s.Line, s.Cpu)).ToList();
            return new ParsedTrace
            {
                Begin = begin,
                End = end,
                Cpus = validCpus,
                Threads = threads,
                Switches = validSwitches,
                Warnings = warnings.OrderBy(w => w.Line).ToList(),
            };
        }

        private bool CpuInRange(int line, int cpu)
        {
            if (begin is null || cpu < begin.Cpus)
                return true;
            Warn(line, $"cpu {cpu} does not exist: 'begin' says cpus={begin.Cpus}");
            return false;
        }
    }

    /// <summary>The key=value pairs of one line, with typed getters that explain what is wrong.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

        public static Fields Parse(ReadOnlySpan<string> words)
        {
            var fields = new Fields();
            foreach (string word in words)
            {
                int equals = word.IndexOf('=');
                if (equals <= 0)
                    throw new MalformedLineException($"'{word}' is not key=value");
                string key = word[..equals];
                if (!fields.values.TryAdd(key, word[(equals + 1)..]))
                    throw new MalformedLineException($"key '{key}' appears twice");
            }
            return fields;
        }

        public string Text(string key) =>
            OptionalText(key) ?? throw new MalformedLineException($"missing '{key}='");

        public string? OptionalText(string key) =>
            values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

        public long Long(string key) =>
            OptionalLong(key) ?? throw new MalformedLineException($"missing '{key}='");

        public long? OptionalLong(string key)
        {
            if (OptionalText(key) is not { } text)
                return null;
            // NumberStyles.None: plain decimal digits only, no sign, spaces or thousands separators.
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw new MalformedLineException($"'{key}={text}' is not a non-negative decimal number");
            return value;
        }

        public int Int(string key, int min = 0) =>
            OptionalInt(key, min) ?? throw new MalformedLineException($"missing '{key}='");

        public int? OptionalInt(string key, int min = 0)
        {
            if (OptionalLong(key) is not { } value)
                return null;
            if (value < min || value > int.MaxValue)
                throw new MalformedLineException($"'{key}={value}' is out of range");
            return (int)value;
        }
    }

    private sealed class MalformedLineException(string message) : Exception(message);
}
