namespace TeachOS
{
    /// <summary>
    /// Reads /etc/passwd and /etc/group for the account programs (login, su, id, whoami, passwd),
    /// printing each refused line on stderr as "PROGRAM: /etc/passwd: line N: WHY (ignored)": the
    /// administrator learns what is wrong, and the remaining accounts still work.
    /// </summary>
    public static class AccountFiles
    {
        /// <summary>/etc/passwd, or null (after a message) if it cannot be read at all.</summary>
        public static PasswdFile ReadPasswd(string program)
        {
            string text = Files.ReadAllText(PasswdFile.Path, out long error);
            if (text == null)
            {
                Files.ReportError(program, PasswdFile.Path, error);
                return null;
            }
            PasswdFile passwd = PasswdFile.Parse(text);
            Report(program, PasswdFile.Path, passwd.Problems);
            return passwd;
        }

        /// <summary>/etc/group; a missing or unreadable file is an empty one (everyone keeps their primary group).</summary>
        public static GroupFile ReadGroups(string program)
        {
            string text = Files.ReadAllText(GroupFile.Path, out long error);
            if (text == null)
            {
                Files.ReportError(program, GroupFile.Path, error);
                return GroupFile.Parse("");
            }
            GroupFile groups = GroupFile.Parse(text);
            Report(program, GroupFile.Path, groups.Problems);
            return groups;
        }

        /// <summary>The name of a user id, or the number itself when /etc/passwd has no such user.</summary>
        public static string UserName(PasswdFile passwd, int userId)
        {
            UserAccount account = passwd?.FindById(userId);
            return account != null ? account.Name : userId.ToString();
        }

        private static void Report(string program, string path, string[] problems)
        {
            for (int i = 0; i < problems.Length; i++)
                Console.Error(string.Concat(program, ": ", path, ": ", string.Concat(problems[i], " (ignored)\n")));
        }
    }
}
