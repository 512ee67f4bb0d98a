using Abi;
using TeachOS;

/// <summary>
/// chown UID[:GID] FILE...: gives each file to the user (and group) with these numbers; "chown :GID"
/// changes only the group. Only root may give a file away; an owner may change its group to one of its
/// own. A change clears setuid and setgid.
/// </summary>
public static class ChangeOwner
{
    public static int Main(string[] args)
    {
        if (args.Length < 2) { Console.Error("usage: chown UID[:GID] FILE...\n"); return 2; }
        string owner = args[0];
        int colon = owner.IndexOf(':');
        string userText = colon < 0 ? owner : owner.Substring(0, colon);
        string groupText = colon < 0 ? "" : owner.Substring(colon + 1);
        int userId = userText.Length == 0 ? UserIds.Unchanged : FileModes.ParseId(userText);
        int groupId = groupText.Length == 0 ? UserIds.Unchanged : FileModes.ParseId(groupText);
        if ((userText.Length > 0 && userId < 0) || (groupText.Length > 0 && groupId < 0))
        {
            Console.Error("chown: " + owner + ": not UID[:GID]\n");
            return 2;
        }
        int failures = 0;
        for (int i = 1; i < args.Length; i++)
        {
            long result = Sys.ChangeOwner(args[i], userId, groupId);
            if (result < 0) { Files.ReportError("chown", args[i], result); failures++; }
        }
        return failures == 0 ? 0 : 1;
    }
}
