using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// Hostile text written to every control file of a scratch group and of a child of it
    /// (kernel/Cgroups/ControlFiles.cs, LimitValues.cs): empty writes, lone signs, numbers past 64 bits,
    /// periods and quotas past their bounds, controllers that do not exist, CPU ranges backwards or past
    /// the machine, a page and more of digits; once with the group empty, once with this process in it
    /// (the writes that would starve it, cpu.max's smallest quota and memory.max, only while it is empty).
    /// Each write must be taken whole or refused with an errno; the read-only files (memory.events and
    /// the other counts) must refuse them all; every file must still read; both groups must go.
    /// </summary>
    public static unsafe class CgroupScenarios
    {
        private const string Root = "/sys/fs/cgroup";
        private const string Group = Root + "/fzc", Child = Group + "/fzd";

        private static readonly string[] s_files =
        {
            "cgroup.procs", "pids.max", "pids.current", "pids.events", "memory.max", "memory.current", "memory.events", "cpu.stat",
            "cpu.max", "cpu.weight", "cgroup.controllers", "cgroup.subtree_control", "cpuset.cpus", "cpuset.cpus.effective",
        };
        private static readonly bool[] s_writable = { true, true, false, false, true, false, false, false, true, true, false, true, true, false };

        private static readonly string[] s_hostile =
        {
            "", "\n", " ", "\0", "\0max", "max", "max\n", "max max", "max 0", "0", "-0", "-1", "+", "-", "1 2 3", "0x10", " 5 ",
            "1000 1000", "1000 999", "999 1000", "max 1000001", "1000 1000000000000", "17592186044416 1000", "17592186044415 1000000",
            "18446744073709551616", "99999999999999999999999999", "-9223372036854775808", "9223372036854775807",
            "1", "10000", "10001", "100\n\n", "+cpu", "-cpu", "+cpu -cpu", "+cpu +cpu", "+pids +memory +cpu +cpuset", "+nosuch", "cpu", "+cpu\0+pids",
            "0-1", "1-0", "0-", "-0", "0,,1", ",", "0-4095", "64", "0-1,0-1", "0-1,3", "4294967296", "0-18446744073709551615",
            "1", "2", "4194304", "4194305", "1K", "1M", "1G", "1T", "99999999999P",
        };

        // Only while the group holds no process: each would starve or kill the writer itself.
        private static bool Starves(string file, string text) =>
            file == "memory.max" || file == "pids.max" || file == "cpu.max" && text != "max" && text != "1000 1000";

        public static bool HostileWrites()
        {
            Sys.RemoveDirectory(Child);
            Sys.RemoveDirectory(Group);
            if (Sys.MakeDirectory(Group) != 0 || Sys.MakeDirectory(Child) != 0) { ExhaustionScenarios.Report("cgroup-files: mkdir refused"); return false; }
            int refusedWrong = 0, accepted = 0, refused = 0, unreadable = 0;
            long moved = 0, movedBack = 0;
            WriteAll(Group, inside: false, ref accepted, ref refused, ref refusedWrong);
            WriteAll(Child, inside: false, ref accepted, ref refused, ref refusedWrong);
            // Whatever limits the hostile texts left, none that would hold this process back once it is inside;
            // and no controllers the child gives on (a group that gives them may hold no process: EBUSY).
            foreach (string group in new[] { Group, Child })
                foreach (string file in new[] { "pids.max", "memory.max", "cpu.max" })
                    WriteText(group + "/" + file, "max");
            WriteText(Child + "/cgroup.subtree_control", "-pids -memory -cpu -cpuset");
            string pid = Sys.GetPid().ToString();
            moved = WriteText(Child + "/cgroup.procs", pid);
            WriteAll(Child, inside: true, ref accepted, ref refused, ref refusedWrong);
            WriteAll(Group, inside: true, ref accepted, ref refused, ref refusedWrong);
            movedBack = WriteText(Root + "/cgroup.procs", pid);
            unreadable += ReadAll(Group) + ReadAll(Child) + ReadAll(Root);
            long weight = ReadNumber(Group + "/cpu.weight");
            long childGone = Sys.RemoveDirectory(Child), groupGone = Sys.RemoveDirectory(Group);
            ExhaustionScenarios.Report("cgroup-files: " + accepted + " writes taken, " + refused + " refused, " + refusedWrong +
                " wrongly; " + unreadable + " files unreadable after; cpu.weight " + weight + "; moved in " + moved + ", out " + movedBack +
                "; rmdir " + childGone + ", " + groupGone);
            return refusedWrong == 0 && unreadable == 0 && moved == pid.Length && movedBack == pid.Length && weight >= 1 && weight <= 10000
                && childGone == 0 && groupGone == 0 && Sys.Open(Group, OpenFlags.ReadOnly | OpenFlags.Directory) == -Errno.ENOENT;
        }

        // Each hostile text to each file of the group, as one write each (a control file takes one command per write).
        private static void WriteAll(string group, bool inside, ref int accepted, ref int refused, ref int wrong)
        {
            for (int f = 0; f < s_files.Length; f++)
            {
                if (s_files[f] == "cgroup.procs") continue;      // a pid moves a process: the scenario moves only itself
                foreach (string text in s_hostile)
                {
                    if (inside && Starves(s_files[f], text)) continue;
                    long result = WriteText(group + "/" + s_files[f], text);
                    if (result == text.Length && text.Length > 0) accepted++;
                    else if (result < 0 && result > -4096 || result == 0 && text.Length == 0) refused++;
                    else wrong++;
                    if (!s_writable[f] && result > 0) wrong++;      // a count or an event taken as a command
                }
                if (inside) continue;
                foreach (int length in new[] { 4097, 70000 })       // a page and more of digits
                {
                    long result = WriteDigits(group + "/" + s_files[f], length);
                    if (result > 0 && result != length) wrong++;
                    if (!s_writable[f] && result > 0) wrong++;
                }
            }
        }

        private static long WriteText(string path, string text)
        {
            byte* bytes = stackalloc byte[text.Length + 1];
            for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
            return WriteBytes(path, bytes, text.Length);
        }

        private static long WriteDigits(string path, int length)
        {
            byte[] digits = new byte[length];
            for (int i = 0; i < length; i++) digits[i] = (byte)('1' + i % 9);
            fixed (byte* bytes = digits) return WriteBytes(path, bytes, length);
        }

        private static long WriteBytes(string path, byte* bytes, int length)
        {
            long descriptor = Sys.Open(path, OpenFlags.WriteOnly);
            if (descriptor < 0) return descriptor;
            long result = Sys.Write((int)descriptor, new ReadOnlySpan<byte>(bytes, length));
            Sys.Close((int)descriptor);
            return result;
        }

        // How many of the group's files exist but cannot be read (the root lacks the limits: ENOENT is right there).
        private static int ReadAll(string group)
        {
            int unreadable = 0;
            foreach (string file in s_files)
            {
                string text = Files.ReadAllText(group + "/" + file, out long error);
                if (text == null && error != -Errno.ENOENT) unreadable++;
            }
            return unreadable;
        }

        private static long ReadNumber(string path)
        {
            string text = Files.ReadAllText(path, out long error);
            return text != null && Number.TryParse(text.Trim(), out long value) ? value : -1;
        }
    }
}
