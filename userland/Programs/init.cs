using TeachOS;

/// <summary>
/// The first process (pid 1): starts the console's session, and collects every process that exits
/// without a parent to do it (orphans are given to init). When the session ends, init exits with its
/// status, and TeachOS powers off.
///
/// The session is `login` (which asks for a user name and password, then becomes that user's shell),
/// unless the kernel command line says otherwise; the kernel passes these words on to init
/// (kernel/KernelMain.cs):
///   nologin          the shell, as root, without asking (what the tests use: Makefile, tests/Integration)
///   autologin=USER   USER's shell without a password (login -f USER)
/// </summary>
public static class Init
{
    public static int Main(string[] args)
    {
        string[] session = { "/bin/login", "login" };
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "nologin") session = new[] { "/bin/sh", "sh" };
            else if (args[i].StartsWith("autologin=")) session = new[] { "/bin/login", "login", "-f", args[i].Substring(10) };
        }
        string[] arguments = new string[session.Length - 1];
        for (int i = 1; i < session.Length; i++) arguments[i - 1] = session[i];

        long first = Sys.Spawn(session[0], arguments, 0, 1, 2);
        if (first < 0)
        {
            Files.ReportError("init", session[0], first);
            return 1;
        }
        while (true)
        {
            long pid = Sys.Wait(-1, out int status);
            if (pid == first) return status;
            if (pid < 0) return 1;
            // An orphan, collected: nothing else to do.
        }
    }
}
