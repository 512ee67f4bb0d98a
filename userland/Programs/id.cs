using System;
using TeachOS;

/// <summary>
/// Prints the process's credentials as Unix's id does, each id with its name:
/// `uid=1000(student) gid=1000(student) groups=1000(student),100(users)`, and `euid=` / `egid=`
/// when the effective ids differ from the real ones (in a setuid program, for example).
/// </summary>
public static class Id
{
    public static int Main(string[] args)
    {
        PasswdFile passwd = AccountFiles.ReadPasswd("id");
        GroupFile groups = AccountFiles.ReadGroups("id");
        Sys.GetUserIds(out int realUser, out int effectiveUser, out int savedUser);
        Sys.GetGroupIds(out int realGroup, out int effectiveGroup, out int savedGroup);

        string line = string.Concat("uid=", Named(realUser, AccountFiles.UserName(passwd, realUser)),
            " gid=", Named(realGroup, GroupName(groups, realGroup)));
        if (effectiveUser != realUser) line = string.Concat(line, " euid=", Named(effectiveUser, AccountFiles.UserName(passwd, effectiveUser)));
        if (effectiveGroup != realGroup) line = string.Concat(line, " egid=", Named(effectiveGroup, GroupName(groups, effectiveGroup)));

        byte[] buffer = new byte[Abi.UserIds.MaximumGroups * 4];
        long count = Sys.GetGroups(buffer);
        if (count < 0)
        {
            Files.ReportError("id", "getgroups", count);
            return 1;
        }
        string list = "";
        for (int i = 0; i < count; i++)
        {
            int group = buffer[i * 4] | buffer[i * 4 + 1] << 8 | buffer[i * 4 + 2] << 16 | buffer[i * 4 + 3] << 24;
            list = string.Concat(list, i > 0 ? "," : "", Named(group, GroupName(groups, group)));
        }
        Console.WriteLine(string.Concat(line, " groups=", list));
        return 0;
    }

    // A name in brackets after the number; just the number when the files have no name for it.
    private static string Named(int id, string name) =>
        name == id.ToString() ? name : string.Concat(id.ToString(), "(", name, ")");

    private static string GroupName(GroupFile groups, int groupId)
    {
        GroupFile.Group group = groups.FindById(groupId);
        return group != null ? group.Name : groupId.ToString();
    }
}
