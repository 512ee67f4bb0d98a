namespace TeachOS
{
    /// <summary>
    /// What login and su do once they know who the user is: take on the user's credentials, move to
    /// the home directory and become the user's shell (exec, so the shell has the same pid).
    /// </summary>
    public static class UserSession
    {
        /// <summary>
        /// Sets the supplementary groups, then the group id, then the user id, in that order. Changing
        /// groups and gid needs root's rights; once the uid is the user's, the process has given them
        /// up for good (setuid by root sets real, effective and saved uid), so the uid must come last,
        /// or the process could never set the user's groups. Returns 0, or the negated errno of the
        /// step that failed, after a message: then the caller must stop, never run a shell with
        /// credentials half changed.
        /// </summary>
        public static long TakeCredentials(string program, UserAccount account, GroupFile groups)
        {
            int[] ids = groups.GroupsOf(account.Name, account.GroupId);
            byte[] bytes = new byte[ids.Length * 4];
            for (int i = 0; i < ids.Length; i++)
                for (int b = 0; b < 4; b++) bytes[i * 4 + b] = (byte)(ids[i] >> (b * 8));
            long result = Sys.SetGroups(bytes);
            if (result < 0) { Files.ReportError(program, "setgroups", result); return result; }
            result = Sys.SetGroupId(account.GroupId);
            if (result < 0) { Files.ReportError(program, "setgid", result); return result; }
            result = Sys.SetUserId(account.UserId);
            if (result < 0) { Files.ReportError(program, "setuid", result); return result; }
            // Trust, but check: a shell that believed it was the user while still root is the worst outcome.
            if (Sys.GetUserId() != account.UserId || Sys.GetEffectiveUserId() != account.UserId
                || Sys.GetGroupId() != account.GroupId || Sys.GetEffectiveGroupId() != account.GroupId)
            {
                Console.Error(string.Concat(program, ": the ids did not change as asked; stopping\n"));
                return -Abi.Errno.EPERM;
            }
            return 0;
        }

        /// <summary>
        /// Moves to the user's home directory (or to / with a message if it is missing) when
        /// <paramref name="goHome"/>, and execs the user's shell; returns only on failure.
        /// </summary>
        public static int StartShell(string program, UserAccount account, bool goHome)
        {
            long result = goHome ? Sys.ChangeDirectory(account.Home) : 0;
            if (result < 0)
            {
                Files.ReportError(program, account.Home, result);
                Console.Error(string.Concat(program, ": starting in / instead\n"));
                Sys.ChangeDirectory("/");
            }
            result = Sys.Exec(account.Shell, new[] { "sh" });
            Files.ReportError(program, account.Shell, result);
            return 1;
        }
    }
}
