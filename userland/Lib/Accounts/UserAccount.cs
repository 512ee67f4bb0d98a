namespace TeachOS
{
    /// <summary>
    /// One line of /etc/passwd: <c>NAME:PASSWORD:UID:GID:FULL NAME:HOME:SHELL</c>, the seven fields of
    /// Unix's passwd(5). PASSWORD is a hash (PasswordHash.cs), or <c>!</c> for an account no password opens.
    /// </summary>
    public sealed class UserAccount
    {
        public string Name;
        public string Password;
        public int UserId;
        public int GroupId;
        public string FullName;
        public string Home;
        public string Shell;
        /// <summary>Where it was read, counting from 1 (a message about it can say where).</summary>
        public int LineNumber;

        public string ToLine() => string.Concat(new[]
        {
            Name, ":", Password, ":", UserId.ToString(), ":", GroupId.ToString(), ":", FullName, ":", Home, ":", Shell,
        });
    }
}
