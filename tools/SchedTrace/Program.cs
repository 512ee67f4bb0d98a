using System.Text;

namespace TeachOS.Tools.SchedTrace;

/// <summary>
/// Command line: SchedTrace INPUT.log [-o OUTPUT.svg] [--title TEXT]
/// Reads a serial log (INPUT may be "-" for stdin), writes the SVG timeline and prints a text summary.
/// Exit codes: 0 done, 1 the input cannot be used (unreadable, no trace in it), 2 bad command line.
/// </summary>
public static class Program
{
    private const int MaxWarningsShown = 20;

    private const string Usage =
        "usage: SchedTrace INPUT.log [-o OUTPUT.svg] [--title TEXT]\n" +
        "  INPUT.log    serial log containing 'sched-trace ...' lines; '-' reads standard input\n" +
        "  -o FILE      where to write the SVG (default: INPUT with .svg; '-' writes it to standard output\n" +
        "               and moves the summary to standard error)\n" +
        "  --title TEXT title of the picture (default: the input file name)\n";

    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    /// <summary>The whole program, with its streams passed in so that tests can run it.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("-h") || args.Contains("--help"))
        {
            stdout.Write(Usage);
            return 0;
        }
        if (Options.Parse(args, out string? problem) is not { } options)
        {
            stderr.Write($"SchedTrace: {problem}\n{Usage}");
            return 2;
        }

        try
        {
            ParsedTrace trace = ReadTrace(options.Input, stdin);
            ReportSkippedLines(trace.Warnings, stderr);

            var timeline = Timeline.Build(trace);
            ReportInconsistencies(timeline.Inconsistencies, stderr);
            var stats = TraceStatistics.Compute(timeline);
            string svg = SvgTimelineWriter.Write(timeline, stats, options.Title);

            TextWriter summaryOut = options.Output == "-" ? stderr : stdout;
            if (options.Output == "-")
                stdout.Write(svg);
            else
                File.WriteAllText(options.Output, svg, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            summaryOut.Write(TextSummary.Write(timeline, stats, options.Title) + "\n");
            return 0;
        }
        catch (Exception e) when (e is TraceFormatException or IOException or UnauthorizedAccessException)
        {
            stderr.Write($"SchedTrace: error: {e.Message}\n");
            return 1;
        }
    }

    private static ParsedTrace ReadTrace(string input, TextReader stdin)
    {
        if (input == "-")
            return TraceParser.Parse(stdin);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return TraceParser.Parse(reader);
    }

    private static void ReportSkippedLines(IReadOnlyList<TraceWarning> warnings, TextWriter stderr)
    {
        foreach (TraceWarning warning in warnings.Take(MaxWarningsShown))
            stderr.Write($"SchedTrace: warning: {warning}; line skipped\n");
        if (warnings.Count > MaxWarningsShown)
            stderr.Write($"SchedTrace: warning: ... and {warnings.Count - MaxWarningsShown} more malformed lines\n");
        if (warnings.Count > 0)
            stderr.Write($"SchedTrace: {warnings.Count} malformed sched-trace line(s) skipped\n");
    }

    private static void ReportInconsistencies(IReadOnlyList<TraceWarning> inconsistencies, TextWriter stderr)
    {
        foreach (TraceWarning warning in inconsistencies.Take(MaxWarningsShown))
            stderr.Write($"SchedTrace: warning: {warning}\n");
        if (inconsistencies.Count > MaxWarningsShown)
            stderr.Write($"SchedTrace: warning: ... and {inconsistencies.Count - MaxWarningsShown} more such switches\n");
    }

    /// <summary>The parsed command line.</summary>
    private sealed record Options(string Input, string Output, string Title)
    {
        public static Options? Parse(string[] args, out string? problem)
        {
            string? input = null, output = null, title = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "-o" or "--output" when i + 1 < args.Length:
                        output = args[++i];
                        break;
                    case "--title" when i + 1 < args.Length:
                        title = args[++i];
                        break;
                    case "-o" or "--output" or "--title":
                        problem = $"{args[i]} needs a value";
                        return null;
                    case var arg when arg.StartsWith('-') && arg != "-":
                        problem = $"unknown option '{arg}'";
                        return null;
                    case var arg when input is null:
                        input = arg;
                        break;
                    default:
                        problem = "only one input file can be given";
                        return null;
                }
            }

            if (input is null)
            {
                problem = "no input file given";
                return null;
            }
            if (output is null && input == "-")
            {
                problem = "reading standard input needs -o OUTPUT.svg";
                return null;
            }
            output ??= Path.ChangeExtension(input, ".svg");
            if (output == input && input != "-")
            {
                problem = "the output would overwrite the input; give -o";
                return null;
            }
            problem = null;
            return new Options(input, output,
                title ?? (input == "-" ? "standard input" : Path.GetFileName(input)));
        }
    }
}
