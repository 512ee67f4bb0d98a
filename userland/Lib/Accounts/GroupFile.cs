namespace TeachOS
{
    /// <summary>
    /// /etc/group: <c>NAME:PASSWORD:GID:MEMBER,MEMBER,...</c> (group(5)). A user's groups are the
    /// primary group of its passwd line and every group whose member list names it; login gives them
    /// to the process with setgroups. The PASSWORD field is kept for the format's sake (TeachOS has no
    /// newgrp) and is not read. Malformed lines are refused with a message, like PasswdFile's.
    /// </summary>
    public sealed class GroupFile
    {
        public const string Path = "/etc/group";
        /// <summary>More groups than this per user are not given: the kernel holds at most 16 (abi UserIds.MaximumGroups).</summary>
        public const int MaximumGroupsPerUser = 16;

        public Group[] Groups = new Group[0];
        public string[] Problems = new string[0];

        public sealed class Group
        {
            public string Name;
            public int GroupId;
            public string[] Members;
            public int LineNumber;
        }

        public static GroupFile Parse(string text)
        {
            var file = new GroupFile();
            string[] lines = AccountFields.Lines(text);
            for (int i = 0; i < lines.Length; i++)
            {
                if (AccountFields.IsBlankOrComment(lines[i])) continue;
                string problem = ParseLine(lines[i], i + 1, out Group group);
                if (problem == null && file.Find(group.Name) != null)
                    problem = string.Concat("the group '", group.Name, "' is already on line ", file.Find(group.Name).LineNumber.ToString());
                if (problem != null) PasswdFile.Append(ref file.Problems, string.Concat("line ", (i + 1).ToString(), ": ", problem));
                else PasswdFile.Append(ref file.Groups, group);
            }
            return file;
        }

        public static string ParseLine(string line, int lineNumber, out Group group)
        {
            group = null;
            string problem = AccountFields.CheckCharacters(line);
            if (problem != null) return problem;
            string[] fields = line.Split(':');
            if (fields.Length != 4) return string.Concat("a group has 4 fields separated by ':', this line has ", fields.Length.ToString());
            problem = AccountFields.CheckName(fields[0]);
            if (problem != null) return problem;
            problem = AccountFields.CheckId(fields[2], "group id", out int groupId);
            if (problem != null) return problem;
            string[] members = fields[3].Length == 0 ? new string[0] : fields[3].Split(',');
            for (int i = 0; i < members.Length; i++)
            {
                problem = AccountFields.CheckName(members[i]);
                if (problem != null) return string.Concat("member ", (i + 1).ToString(), ": ", problem);
            }
            group = new Group { Name = fields[0], GroupId = groupId, Members = members, LineNumber = lineNumber };
            return null;
        }

        public Group Find(string name)
        {
            for (int i = 0; i < Groups.Length; i++)
                if (Groups[i].Name == name) return Groups[i];
            return null;
        }

        public Group FindById(int groupId)
        {
            for (int i = 0; i < Groups.Length; i++)
                if (Groups[i].GroupId == groupId) return Groups[i];
            return null;
        }

        /// <summary>
        /// The group ids a user belongs to: the primary one first, then each group naming the user,
        /// each id once, at most <see cref="MaximumGroupsPerUser"/>.
        /// </summary>
        public int[] GroupsOf(string userName, int primaryGroupId)
        {
            int[] ids = { primaryGroupId };
            for (int i = 0; i < Groups.Length && ids.Length < MaximumGroupsPerUser; i++)
            {
                if (!Contains(Groups[i].Members, userName) || ContainsId(ids, Groups[i].GroupId)) continue;
                PasswdFile.Append(ref ids, Groups[i].GroupId);
            }
            return ids;
        }

        private static bool Contains(string[] names, string name)
        {
            for (int i = 0; i < names.Length; i++) if (names[i] == name) return true;
            return false;
        }

        private static bool ContainsId(int[] ids, int id)
        {
            for (int i = 0; i < ids.Length; i++) if (ids[i] == id) return true;
            return false;
        }
    }
}
