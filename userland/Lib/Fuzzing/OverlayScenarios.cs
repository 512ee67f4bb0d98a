using System;
using Abi;

namespace TeachOS.Fuzzing
{
    /// <summary>
    /// The overlay file system churned (kernel/Fs/Overlay/): in a mount namespace of its own, an overlay of
    /// one lower layer (files, a directory, a link) is mounted, then thousands of random path operations from
    /// the seed hit a small pool of names in it: create, write, append, truncate, unlink, mkdir, rmdir,
    /// rename, link, symlink, chmod, stat, and descriptors held open across them. After every batch the
    /// overlay must agree with itself (every name readdir lists is found by stat, with the same inode
    /// number, and no whiteout shows), and at the end the lower layer must be byte for byte as it was, the
    /// umount must succeed, and the frames must be back once the upper layer is removed. Nothing may panic.
    /// </summary>
    public static unsafe class OverlayScenarios
    {
        private const int Operations = 3000, Batch = 100, HeldDescriptors = 4;
        private const string Base = "/fzo", Merged = "/fzo/merged";

        // The pool: names in the overlay's root and one level down, lower ones among them.
        private static readonly string[] s_names =
        {
            "a", "b", "c", "dir", "dir/x", "dir/y", "sub", "sub/z", "sub/deeper", "sub/deeper/w", "link", "new",
        };

        public static bool Churn(ulong seed)
        {
            // A first churn, not measured, brings the kernel heap to the size the churn needs. With the
            // debugging heap (debug-heap) a freed block waits in a 2 MiB quarantine before it is reused;
            // after a scenario that freed big blocks (the queues'), the quarantine is full of them, and this
            // churn's small blocks grow the heap once by about the quarantine's size (512 frames), which
            // the heap keeps for later. That is not the overlay's: the measured churn must give back
            // every frame it takes.
            int warmUp = ChurnOnce(seed ^ 0x5741524DUL);
            Sys.IpcUsage(out IpcUsage before);
            int status = ChurnOnce(seed);
            long after = 0;
            for (int tries = 0; tries < 100 && (after = Usage().FreeFrames) < before.FreeFrames - 2; tries++) Sys.Sleep(10);
            ExhaustionScenarios.Report("overlay: " + Operations + " operations, status " + status + " (" + Describe(status) + "); frames free " +
                                       before.FreeFrames + " before, " + after + " after");
            return warmUp == 0 && status == 0 && after >= before.FreeFrames - 2;
        }

        // The churn in a child of its own (in a mount namespace of its own), then its files removed: its exit status.
        private static int ChurnOnce(ulong seed)
        {
            long child = Sys.Fork();
            if (child == 0) Sys.Exit(ChurnInNamespace(seed));
            int status = -1;
            if (child > 0) Sys.Wait((int)child, out status);
            RemoveTree(Base);
            return status;
        }

        private static string Describe(int status) =>
            status == 0 ? "all checks held" : status == 1 ? "setup failed" : status == 2 ? "readdir and stat disagree, or a whiteout showed"
            : status == 3 ? "the lower layer changed" : status == 4 ? "umount failed" : "killed or crashed";

        private static int ChurnInNamespace(ulong seed)
        {
            if (Sys.Unshare(NamespaceFlags.Mount) != 0) return 1;
            string[] directories = { Base, "/fzo/lower", "/fzo/lower/dir", "/fzo/lower/sub", "/fzo/lower/sub/deeper", "/fzo/upper", "/fzo/work", Merged };
            foreach (string directory in directories) Sys.MakeDirectory(directory);
            Files.WriteAllText("/fzo/lower/a", "lower a");
            Files.WriteAllText("/fzo/lower/dir/x", "lower x");
            Files.WriteAllText("/fzo/lower/sub/deeper/w", "lower w");
            Sys.SymbolicLink("a", "/fzo/lower/link");
            string lowerBefore = Listing("/fzo/lower");
            if (Sys.Mount("overlay", Merged, "overlay", 0, "lowerdir=/fzo/lower,upperdir=/fzo/upper,workdir=/fzo/work") != 0) return 1;
            var random = new SplitMix(seed ^ 0x6F7665726C6179UL);        // "overlay": its own stream of the seed
            var held = new long[HeldDescriptors];
            int succeeded = 0;
            for (int i = 0; i < Operations; i++)
            {
                if (Operate(ref random, held) >= 0) succeeded++;
                if (i % Batch == Batch - 1 && !Consistent(Merged)) return 2;
            }
            for (int i = 0; i < held.Length; i++)
                if (held[i] > 0) Sys.Close((int)held[i]);
            if (Listing("/fzo/lower") != lowerBefore) return 3;
            Console.WriteLine("fuzz:   overlay: " + succeeded + " of " + Operations + " operations succeeded");
            return Sys.Unmount(Merged) == 0 ? 0 : 4;
        }

        // One random operation on one or two names of the pool: its result (any error is a fair answer; what
        // matters is what the overlay looks like after it).
        private static long Operate(ref SplitMix random, long[] held)
        {
            string path = Merged + "/" + s_names[random.Below(s_names.Length)];
            string other = Merged + "/" + s_names[random.Below(s_names.Length)];
            byte* bytes = stackalloc byte[64];
            for (int i = 0; i < 64; i++) bytes[i] = (byte)('a' + random.Below(26));
            long result;
            switch (random.Below(14))
            {
                case 0: return Files.WriteAllText(path, "written");
                case 1:
                    result = Sys.Open(path, OpenFlags.WriteOnly | OpenFlags.Append);
                    if (result >= 0) { Sys.Write((int)result, new ReadOnlySpan<byte>(bytes, 1 + random.Below(64))); Sys.Close((int)result); }
                    return result;
                case 2:
                    result = Sys.Open(path, OpenFlags.ReadWrite);
                    if (result >= 0) { Sys.Truncate((int)result, random.Below(100)); Sys.Close((int)result); }
                    return result;
                case 3: return Sys.Unlink(path);
                case 4: return Sys.MakeDirectory(path);
                case 5: return Sys.RemoveDirectory(path);
                case 6: case 7: return Sys.Rename(path, other);
                case 8: return Sys.Link(path, other);
                case 9: return Sys.SymbolicLink(s_names[random.Below(s_names.Length)], path);
                case 10: return Sys.ChangeMode(path, random.OneIn(2) ? 0x1A4 : 0x180);
                case 11: return Sys.PathStatus(path, out FileStatus _);
                default:
                    // A descriptor held across the next operations (a reader, or a writer, that outlives a rename or an unlink).
                    int slot = random.Below(held.Length);
                    if (held[slot] > 0) Sys.Close((int)held[slot]);
                    result = held[slot] = Sys.Open(path, random.OneIn(2) ? OpenFlags.ReadOnly : OpenFlags.ReadWrite);
                    if (held[slot] > 0 && random.OneIn(2)) Sys.Write((int)held[slot], new ReadOnlySpan<byte>(bytes, 8));
                    return result;
            }
        }

        // Every name readdir lists is found by lstat with the same inode number; no ".wh." name shows; subdirectories too.
        private static bool Consistent(string directory)
        {
            long fd = Sys.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (fd < 0) return false;
            bool ok = true;
            for (int index = 0; ok && Sys.ReadDirectory((int)fd, index, out DirectoryEntry entry) == 1; index++)
            {
                string name = string.FromAscii(entry.Name, entry.NameLength);
                string path = directory + "/" + name;
                FileStatus status = default;
                ok = !name.StartsWith(".wh.") && Sys.LinkStatus(path, out status) == 0 && status.Inode == entry.Inode;
                if (ok && status.Kind == 2) ok = Consistent(path);
            }
            Sys.Close((int)fd);
            return ok;
        }

        // Names, kinds, sizes and bytes of a tree, as one string: equal means unchanged.
        private static string Listing(string directory)
        {
            long fd = Sys.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (fd < 0) return "?";
            string text = "";
            for (int index = 0; Sys.ReadDirectory((int)fd, index, out DirectoryEntry entry) == 1; index++)
            {
                string path = directory + "/" + string.FromAscii(entry.Name, entry.NameLength);
                if (Sys.LinkStatus(path, out FileStatus status) < 0) status = default;
                text += path + ":" + status.Kind + ":" + status.Mode + ":" + status.Size + ":"
                    + (status.Kind == 1 ? Files.ReadAllText(path, out long _) : status.Kind == 2 ? Listing(path) : "") + ";";
            }
            Sys.Close((int)fd);
            return text;
        }

        private static void RemoveTree(string path)
        {
            if (Sys.Unlink(path) == 0) return;
            long fd = Sys.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory);
            if (fd < 0) return;
            while (Sys.ReadDirectory((int)fd, 0, out DirectoryEntry entry) == 1)
            {
                string child = path + "/" + string.FromAscii(entry.Name, entry.NameLength);
                RemoveTree(child);
                if (Sys.LinkStatus(child, out FileStatus _) == 0) break;
            }
            Sys.Close((int)fd);
            Sys.RemoveDirectory(path);
        }

        private static IpcUsage Usage()
        {
            Sys.IpcUsage(out IpcUsage usage);
            return usage;
        }
    }
}
