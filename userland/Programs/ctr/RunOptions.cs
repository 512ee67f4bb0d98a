using System;
using TeachOS;

/// <summary>
/// `ctr run [--name N] [-v HOSTDIR:CTRDIR]... [--hostname H] [--pids-max N] [--memory-max BYTES] [--net bridge] IMAGE [CMD...]`,
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
}
