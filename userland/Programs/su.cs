using TeachOS;

/// <summary>
/// `su [USER]` runs a shell as USER (root if none is named), in the current directory; `su - [USER]`
/// starts it in USER's home directory instead. The password asked for is the target's, not the
/// caller's: knowing root's password is what entitles one to root's rights. Root is asked nothing.
///
/// su is setuid root (the initrd gives /bin/su mode 4755; Makefile): it starts with the caller's real
/// uid, which says who asked, and effective uid 0, which lets it change every id to the target's
/// (UserSession.cs) before it execs the shell. A wrong password gets "su: Authentication failure"
/// after a delay, whether the user exists or not.
/// </summary>
public static class SwitchUser
{
    private const int FailureDelayMilliseconds = 1000;

    public static int Main(string[] args)
    {
        bool goHome = args.Length > 0 && args[0] == "-";
        int first = goHome ? 1 : 0;
        if (args.Length > first + 1)
        {
            Console.Error("usage: su [-] [USER]\n");
            return 2;
        }
        string name = args.Length > first ? args[first] : "root";
        if (Sys.GetEffectiveUserId() != 0)
        {
            Console.Error("su: not running as root: /bin/su must be owned by root with the setuid bit (mode 4755)\n");
            return 1;
        }

        PasswdFile passwd = AccountFiles.ReadPasswd("su");
        if (passwd == null) return 1;
        UserAccount account = passwd.Find(name);
        if (Sys.GetUserId() != 0)
        {
            Console.Write("Password: ");
            string password = Console.ReadLine();
            if (password == null) return 1;
            if (!PasswordHash.VerifyAccount(password, account?.Password))
            {
                Sys.Sleep(FailureDelayMilliseconds);
                Console.Error("su: Authentication failure\n");
                return 1;
            }
        }
        else if (account == null)
        {
            Console.Error(string.Concat("su: no user ", name, "\n"));
            return 1;
        }

        if (UserSession.TakeCredentials("su", account, AccountFiles.ReadGroups("su")) < 0) return 1;
        return UserSession.StartShell("su", account, goHome);
    }
}
