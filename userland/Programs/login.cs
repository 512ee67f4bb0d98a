using TeachOS;

/// <summary>
/// Logs a user in on the console: prints /etc/issue, asks for a user name and a password, checks the
/// password against /etc/passwd's hash, then takes on the user's groups, gid and uid, moves to the
/// home directory and execs the user's shell (UserSession.cs). init starts it (init.cs); it must run
/// as root, since only root may change its ids to another user's.
///
/// A wrong password and an unknown user get the same answer after the same delay: an attacker must
/// not learn which user names exist, neither from the message nor from the time it takes (for an
/// unknown user, the password is hashed against a made-up hash of the same cost). After three
/// failures login exits with status 1 (init then ends, and TeachOS powers off).
///
/// `login -f USER` logs USER in without a password: only for root (init's `autologin=USER`).
/// </summary>
public static class Login
{
    private const int Attempts = 3;
    private const int FailureDelayMilliseconds = 1000;

    public static int Main(string[] args)
    {
        if (Sys.GetEffectiveUserId() != 0)
        {
            Console.Error("login: must be run as root (only root may become another user)\n");
            return 1;
        }
        if (args.Length == 2 && args[0] == "-f") return Begin(args[1]);

        string issue = Files.ReadAllText("/etc/issue", out long unused);
        if (issue != null) Console.Write(issue);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            Console.Write("login: ");
            string name = Console.ReadLine();
            if (name == null) return 1;                                    // end of input
            name = name.Trim();
            if (name.Length == 0) { attempt--; continue; }
            Console.Write("Password: ");
            string password = Console.ReadLine();
            if (password == null) return 1;

            // Read again at every attempt: a password changed with passwd counts at once.
            PasswdFile passwd = AccountFiles.ReadPasswd("login");
            UserAccount account = passwd?.Find(name);
            // An unknown user costs a check against PasswordHash.Decoy: same answer, same time.
            if (PasswordHash.VerifyAccount(password, account?.Password)) return Begin(account);
            Sys.Sleep(FailureDelayMilliseconds);
            Console.WriteLine("Login incorrect");
        }
        Console.WriteLine("login: too many failures");
        return 1;
    }

    private static int Begin(string name)
    {
        PasswdFile passwd = AccountFiles.ReadPasswd("login");
        UserAccount account = passwd?.Find(name);
        if (account == null)
        {
            Console.Error(string.Concat("login: no user ", name, "\n"));
            return 1;
        }
        return Begin(account);
    }

    private static int Begin(UserAccount account)
    {
        if (UserSession.TakeCredentials("login", account, AccountFiles.ReadGroups("login")) < 0) return 1;
        Console.WriteLine(string.Concat("Logged in as ", account.Name, " (uid ", account.UserId.ToString(), ")"));
        return UserSession.StartShell("login", account, goHome: true);
    }
}
