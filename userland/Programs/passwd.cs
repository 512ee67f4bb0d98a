using Abi;
using TeachOS;

/// <summary>
/// `passwd` changes the caller's password; `passwd USER`, run by root, anyone's. A user other than
/// root must give the current password first (someone who finds a logged-in console must not be
/// able to lock its owner out).
///
/// passwd is setuid root (mode 4755 in the initrd; Makefile): /etc/passwd is root's and writable by
/// root only, yet every user must be able to change their own line. The real uid says who is asking;
/// the program allows only what that user may do, which is why a setuid program must be short and
/// careful: every bug in it is a bug that runs as root.
///
/// The file is replaced, never edited in place: the new text goes to /etc/passwd.new (created with
/// O_EXCL, which also stops two passwd from writing at once), is flushed, and is renamed over
/// /etc/passwd. rename replaces the name in one step, so any reader (login, at that very moment) sees
/// the old file or the new one, never half of each; a crash leaves the old file and a stray .new.
/// </summary>
public static class ChangePassword
{
    private const string NewPath = "/etc/passwd.new";

    public static int Main(string[] args)
    {
        if (args.Length > 1)
        {
            Console.Error("usage: passwd [USER]\n");
            return 2;
        }
        if (Sys.GetEffectiveUserId() != 0)
        {
            Console.Error("passwd: not running as root: /bin/passwd must be owned by root with the setuid bit (mode 4755)\n");
            return 1;
        }
        PasswdFile passwd = AccountFiles.ReadPasswd("passwd");
        if (passwd == null) return 1;

        int caller = (int)Sys.GetUserId();
        UserAccount account = args.Length == 1 ? passwd.Find(args[0]) : passwd.FindById(caller);
        if (args.Length == 1 && caller != 0 && (account == null || account.UserId != caller))
        {
            Console.Error("passwd: only root may change another user's password\n");
            return 1;
        }
        if (account == null)
        {
            Console.Error(args.Length == 1 ? string.Concat("passwd: no user ", args[0], "\n") : "passwd: you have no line in /etc/passwd\n");
            return 1;
        }

        Console.WriteLine(string.Concat("Changing the password of ", account.Name));
        if (caller != 0)
        {
            Console.Write("Current password: ");
            string current = Console.ReadLine();
            if (current == null || !PasswordHash.Verify(current, account.Password))
            {
                Sys.Sleep(1000);
                Console.Error("passwd: Authentication failure\n");
                return 1;
            }
        }
        Console.Write("New password: ");
        string first = Console.ReadLine();
        Console.Write("Retype new password: ");
        string second = Console.ReadLine();
        if (first == null || second == null || first != second)
        {
            Console.Error("passwd: the passwords do not match; nothing changed\n");
            return 1;
        }
        if (first.Length == 0)
        {
            Console.Error("passwd: an empty password is not allowed; nothing changed\n");
            return 1;
        }

        long result = Replace(account.Name, PasswordHash.Create(first, Salt.Make(), PasswordHash.DefaultRounds));
        if (result < 0) return 1;
        Console.WriteLine("passwd: password changed");
        return 0;
    }

    /// <summary>
    /// Writes /etc/passwd again with <paramref name="name"/>'s new hash. The file is read once more
    /// after /etc/passwd.new is taken: a passwd that finished meanwhile is then not undone.
    /// </summary>
    private static long Replace(string name, string hash)
    {
        long descriptor = Sys.Open(NewPath, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive);
        if (descriptor < 0)
        {
            Files.ReportError("passwd", NewPath, descriptor);
            if (descriptor == -Errno.EEXIST) Console.Error("passwd: another passwd is running, or one was interrupted: remove /etc/passwd.new if not\n");
            return descriptor;
        }
        string current = Files.ReadAllText(PasswdFile.Path, out long error);
        bool written = current != null && Console.WriteTo((int)descriptor, PasswdFile.Parse(current).WithPassword(name, hash));
        long flushed = Sys.Sync((int)descriptor);
        Sys.Close((int)descriptor);
        long result = current == null ? error : !written ? -Errno.EIO : flushed < 0 ? flushed : Sys.Rename(NewPath, PasswdFile.Path);
        if (result < 0)
        {
            Files.ReportError("passwd", "writing /etc/passwd", result);
            Sys.Unlink(NewPath);
        }
        return result;
    }
}
