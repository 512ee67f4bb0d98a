using System.Globalization;
using System.Text;

namespace TeachOS.Tools.DiskTools.Mkfs;

/// <summary>
/// One `--owner PATH=UID:GID`: the file or directory at PATH (relative to the image's root, e.g.
/// `home/student`) gets the owner UID and the group GID instead of root's 0:0. This is how a disk
/// made on the host can hold a directory a user other than root may write to: mkfs runs as whoever
/// builds, so the host files' owners mean nothing on TeachOS and are never copied.
/// </summary>
public sealed record OwnerOption(string Path, uint Uid, uint Gid)
{
    /// <summary>The largest id TeachOS takes: Abi.UserIds.MaximumId (abi/Structures.cs), where the kernel refuses larger ones.</summary>
    public const uint MaximumId = 65535;

    /// <summary>The path's names, without empty ones or "." ("/home//student/" is home, student; "/" or "." is the root).</summary>
    public string[] Names => Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(name => name != ".").ToArray();

    /// <summary>The path as the messages show it: "/home/student", "/" for the root.</summary>
    public string Shown => "/" + string.Join('/', Names);

    /// <summary>Reads `PATH=UID:GID`; null and the reason when it is not that, or an id is over <see cref="MaximumId"/>.</summary>
    public static OwnerOption? Parse(string text, out string problem)
    {
        int equals = text.LastIndexOf('=');
        string[] ids = equals < 0 ? [] : text[(equals + 1)..].Split(':');
        if (equals <= 0 || ids.Length != 2)
        {
            problem = $"--owner {text}: give PATH=UID:GID, e.g. home/student=1000:1000";
            return null;
        }
        if (!TryParseId(ids[0], "user", out uint uid, out problem) || !TryParseId(ids[1], "group", out uint gid, out problem))
        {
            problem = $"--owner {text}: {problem}";
            return null;
        }
        problem = "";
        return new OwnerOption(text[..equals], uid, gid);
    }

    private static bool TryParseId(string text, string what, out uint id, out string problem)
    {
        // NumberStyles.None: digits only, so "-1", "+5", " 7" and "0x10" are refused, not read as something else.
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id))
            problem = $"the {what} id '{text}' is not a number from 0 to {MaximumId}";
        else if (id > MaximumId)
            problem = $"the {what} id {id} is over {MaximumId}, the largest id TeachOS takes";
        else
        {
            problem = "";
            return true;
        }
        return false;
    }

    /// <summary>
    /// Finds each option's node in the tree mkfs read (links are not followed: a path through a
    /// link names nothing). A path that names nothing is a problem, never ignored: a typo in the
    /// Makefile would otherwise leave a student's directory root's without a word.
    /// </summary>
    public static Dictionary<HostNode, OwnerOption> Resolve(HostDirectory root, IEnumerable<OwnerOption> options, List<string> problems)
    {
        var owners = new Dictionary<HostNode, OwnerOption>(ReferenceEqualityComparer.Instance);
        foreach (OwnerOption option in options)
        {
            HostNode? node = root;
            foreach (string name in option.Names)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(name);
                node = (node as HostDirectory)?.Children.FirstOrDefault(child => child.Name.AsSpan().SequenceEqual(bytes));
                if (node == null) break;
            }
            if (node == null)
                problems.Add($"--owner {option.Path}: {root.HostPath} has no {option.Shown}");
            else
                owners[node] = option;
        }
        return owners;
    }
}
