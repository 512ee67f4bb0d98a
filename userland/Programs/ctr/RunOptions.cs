using System;
using TeachOS;

/// <summary>
/// `ctr run [--name N] [-v HOSTDIR:CTRDIR]... [--hostname H] [--pids-max N] [--memory-max BYTES] [--cpus N] [--net bridge] IMAGE [CMD...]`,
/// parsed. Options come before the image; everything after it is the command, which replaces the image's
/// Cmd (its Entrypoint, if any, still comes first), as `docker run` does.
/// </summary>
public sealed class RunOptions
{
    public const int MaximumVolumes = 8;

    public string Name;
    public string Image;
    public string Hostname;
    public string PidsMax;
    public string MemoryMax;
    public string CpuMax;           // from --cpus: cpu.max's "QUOTA PERIOD"
    public bool BridgeNetwork;                 // --net bridge: a network namespace on ctr0 (ContainerNetwork.cs); else the host's
    public string[] VolumeSources = new string[MaximumVolumes];
    public string[] VolumeTargets = new string[MaximumVolumes];
    public int VolumeCount;
    public string[] Command = new string[0];

    /// <summary>The options from args[first...]; null (with the reason) when they do not parse.</summary>
    public static RunOptions Parse(string[] args, int first, out string problem)
    {
        problem = null;
        var options = new RunOptions();
        int i = first;
        for (; i < args.Length && args[i].StartsWith("-"); i += 2)
        {
            if (i + 1 >= args.Length) { problem = args[i] + " needs a value"; return null; }
            string value = args[i + 1];
            if (args[i] == "--name") options.Name = value;
            else if (args[i] == "--hostname") options.Hostname = value;
            else if (args[i] == "--pids-max") options.PidsMax = value;
            else if (args[i] == "--memory-max") options.MemoryMax = value;
            else if (args[i] == "--cpus")
            {
                options.CpuMax = CpuMaxFor(value);
                if (options.CpuMax == null) { problem = "--cpus " + value + ": give a number of CPUs from 0.01, such as 0.5 or 2"; return null; }
            }
            else if (args[i] == "--net")
            {
                if (value != "bridge") { problem = "--net " + value + ": only bridge (or no --net: the host's network)"; return null; }
                options.BridgeNetwork = true;
            }
            else if (args[i] == "-v")
            {
                int colon = value.IndexOf(':');
                if (colon <= 0 || colon == value.Length - 1 || value[0] != '/' || value[colon + 1] != '/')
                { problem = "-v " + value + ": give HOSTDIR:CTRDIR, both absolute"; return null; }
                if (options.VolumeCount == MaximumVolumes) { problem = "at most " + MaximumVolumes + " volumes"; return null; }
                string target = value.Substring(colon + 1);
                if (LayerCheck.CleanPath(target.Substring(1), out problem) == null) { problem = "-v " + value + ": " + problem; return null; }
                options.VolumeSources[options.VolumeCount] = value.Substring(0, colon);
                options.VolumeTargets[options.VolumeCount++] = target;
            }
            else { problem = "unknown option " + args[i]; return null; }
        }
        if (i >= args.Length) { problem = "no image named"; return null; }
        options.Image = args[i++];
        options.Command = new string[args.Length - i];
        for (int c = 0; c < options.Command.Length; c++) options.Command[c] = args[i + c];
        if (options.Name == null) options.Name = options.Image + "-" + Sys.GetPid();
        if (!ImageStore.IsGoodName(options.Name)) { problem = "the name \"" + options.Name + "\" is not a plain file name"; return null; }
        return options;
    }

    /// <summary>The period `docker run --cpus` uses, 100 ms: --cpus 0.5 is a quota of 50 ms in each.</summary>
    public const long CpuPeriodUsec = 100000;

    /// <summary>
    /// cpu.max for `--cpus N` (N CPUs' worth of time, a decimal with up to 5 places): "QUOTA 100000" with
    /// QUOTA = N × 100000 µs, as docker writes it; null if N is not such a number, or below 0.01
    /// (cpu.max's smallest quota, 1 ms) or above 1024.
    /// </summary>
    public static string CpuMaxFor(string cpus)
    {
        long whole = 0, fraction = 0, scale = CpuPeriodUsec;
        int i = 0;
        for (; i < cpus.Length && cpus[i] != '.'; i++)
        {
            if (cpus[i] < '0' || cpus[i] > '9' || i >= 4) return null;
            whole = whole * 10 + (cpus[i] - '0');
        }
        if (i == 0) return null;
        if (i < cpus.Length)
        {
            if (++i == cpus.Length) return null;                 // "1." has no decimals
            for (; i < cpus.Length; i++)
            {
                if (cpus[i] < '0' || cpus[i] > '9' || scale == 1) return null;
                scale /= 10;
                fraction += (cpus[i] - '0') * scale;
            }
        }
        long quota = whole * CpuPeriodUsec + fraction;
        if (quota < 1000 || whole > 1024 || whole == 1024 && fraction > 0) return null;
        return quota + " " + CpuPeriodUsec;
    }
}
