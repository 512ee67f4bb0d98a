using TeachOS;

/// <summary>Prints the name of the effective user (whose rights the process has), from /etc/passwd; the number if it has none.</summary>
public static class WhoAmI
{
    public static int Main(string[] args)
    {
        Console.WriteLine(AccountFiles.UserName(AccountFiles.ReadPasswd("whoami"), (int)Sys.GetEffectiveUserId()));
        return 0;
    }
}
