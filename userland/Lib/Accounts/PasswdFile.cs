namespace TeachOS
{
    /// <summary>
    /// /etc/passwd, read and checked. Each line is an account (UserAccount.cs), a comment (#) or empty.
    /// A line that is not a well-formed account is refused with a message in <see cref="Problems"/>
    /// ("line 4: the user id 'x1' is not a number") and the rest of the file still counts: one bad line
    /// must not lock everyone out, nor let a half-read line stand for an account. A second line with a
    /// name already seen is refused too (which of the two would login believe?).
    ///
    /// The lines are kept as they were, so that <see cref="WithPassword"/> changes one account's
    /// password and leaves every other line, refused ones included, exactly as it found it.
    /// </summary>
    public sealed class PasswdFile
    {
        public const string Path = "/etc/passwd";

        public UserAccount[] Users = new UserAccount[0];
        public string[] Problems = new string[0];
        private string[] lines = new string[0];

        public static PasswdFile Parse(string text)
        {
            var file = new PasswdFile();
            file.lines = AccountFields.Lines(text);
            for (int i = 0; i < file.lines.Length; i++)
            {
                string line = file.lines[i];
                if (AccountFields.IsBlankOrComment(line)) continue;
                string problem = ParseLine(line, i + 1, out UserAccount account);
                if (problem == null && file.Find(account.Name) != null)
                    problem = string.Concat("the user '", account.Name, "' is already on line ", file.Find(account.Name).LineNumber.ToString());
                if (problem != null) Append(ref file.Problems, string.Concat("line ", (i + 1).ToString(), ": ", problem));
                else Append(ref file.Users, account);
            }
            return file;
        }

        /// <summary>One line as an account; returns what is wrong with it, or null.</summary>
        public static string ParseLine(string line, int lineNumber, out UserAccount account)
        {
            account = null;
            string problem = AccountFields.CheckCharacters(line);
            if (problem != null) return problem;
            string[] fields = line.Split(':');
            if (fields.Length != 7) return string.Concat("an account has 7 fields separated by ':', this line has ", fields.Length.ToString());
            problem = AccountFields.CheckName(fields[0]);
            if (problem != null) return problem;
            if (fields[1].Length == 0) return "the password field is empty (write ! to lock an account)";
            problem = AccountFields.CheckId(fields[2], "user id", out int userId);
            if (problem != null) return problem;
            problem = AccountFields.CheckId(fields[3], "group id", out int groupId);
            if (problem != null) return problem;
            if (fields[5].Length == 0 || fields[5][0] != '/') return "the home directory is not an absolute path";
            if (fields[6].Length == 0 || fields[6][0] != '/') return "the shell is not an absolute path";
            account = new UserAccount
            {
                Name = fields[0], Password = fields[1], UserId = userId, GroupId = groupId,
                FullName = fields[4], Home = fields[5], Shell = fields[6], LineNumber = lineNumber,
            };
            return null;
        }

        public UserAccount Find(string name)
        {
            for (int i = 0; i < Users.Length; i++)
                if (Users[i].Name == name) return Users[i];
            return null;
        }

        /// <summary>The first account with this user id (there may be several: the first is the id's name).</summary>
        public UserAccount FindById(int userId)
        {
            for (int i = 0; i < Users.Length; i++)
                if (Users[i].UserId == userId) return Users[i];
            return null;
        }

        /// <summary>The file's text with <paramref name="name"/>'s password field replaced; every other line as it was.</summary>
        public string WithPassword(string name, string password)
        {
            UserAccount account = Find(name);
            string[] result = new string[lines.Length];
            for (int i = 0; i < lines.Length; i++) result[i] = lines[i];
            if (account != null)
            {
                var changed = new UserAccount
                {
                    Name = account.Name, Password = password, UserId = account.UserId, GroupId = account.GroupId,
                    FullName = account.FullName, Home = account.Home, Shell = account.Shell,
                };
                result[account.LineNumber - 1] = changed.ToLine();
            }
            return string.Concat(string.Join("\n", result), "\n");
        }

        internal static void Append<T>(ref T[] array, T item)
        {
            System.Array.Resize(ref array, array.Length + 1);
            array[array.Length - 1] = item;
        }
    }
}
