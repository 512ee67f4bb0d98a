using System;
using Abi;
using Fs;
using Mem;
using static Tests.KernelTestRunner;
using static Tests.OverlayTestFiles;

namespace Tests
{
    /// <summary>
    /// The overlay against what a careless or hostile mounter or user does: bad options, overlapping
    /// layers, a thousand whiteouts, names too long for a whiteout, every entry deleted. And what an
    /// image's users count on: two overlays over one lower layer see each other's changes never, and
    /// an overlay unmounted leaves no kernel heap or frame behind.
    /// </summary>
    public static class OverlayHostileTests
    {
        public static void BadOptions()
        {
            VfsNode root = Mounts.Root;
            Check(RamNode.MakeDirectories("/ovl-bad/lower/inner") != null && RamNode.MakeDirectories("/ovl-bad/upper") != null
                && RamNode.MakeDirectories("/ovl-bad/work") != null, "make the layers");
            CheckEqual(0, Write(root, "/ovl-bad/file", "f"), "a file");
            CheckEqual(-Errno.EINVAL, Make("upperdir=/ovl-bad/upper,workdir=/ovl-bad/work"), "no lowerdir");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower,lowerdir=/ovl-bad/lower"), "lowerdir twice");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower,colour=blue"), "an unknown option");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower,upperdir=/ovl-bad/upper"), "upperdir without workdir");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower:,upperdir=/ovl-bad/upper,workdir=/ovl-bad/work"), "an empty lower path");
            CheckEqual(-Errno.EINVAL, Make("lowerdir="), "an empty value");
            CheckEqual(-Errno.ENOENT, Make("lowerdir=/ovl-bad/missing,upperdir=/ovl-bad/upper,workdir=/ovl-bad/work"), "a missing lowerdir");
            CheckEqual(-Errno.ENOTDIR, Make("lowerdir=/ovl-bad/file,upperdir=/ovl-bad/upper,workdir=/ovl-bad/work"), "a file as lowerdir");
            CheckEqual(-Errno.ELOOP, Make("lowerdir=/ovl-bad/lower,upperdir=/ovl-bad/lower/inner,workdir=/ovl-bad/work"), "upperdir inside lowerdir");
            CheckEqual(-Errno.ELOOP, Make("lowerdir=/ovl-bad/lower/inner,upperdir=/ovl-bad/lower,workdir=/ovl-bad/work"), "lowerdir inside upperdir");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower,upperdir=/ovl-bad/upper,workdir=/ovl-bad/upper"), "workdir is upperdir");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/ovl-bad/lower,upperdir=/ovl-bad/upper,workdir=/dev"), "workdir on another volume");
            CheckEqual(-Errno.EINVAL, Make("lowerdir=/a:/b:/c:/d:/e:/f:/g:/h:/i"), "nine lower layers");
        }

        // Makes an overlay from options, and unmounts it at once if it was made.
        private static int Make(string options)
        {
            int error = OverlayOptions.CreateVolume(Credentials.Kernel, Mounts.Root, options, false, out OverlayVolume volume);
            volume?.Release();
            return error;
        }

        /// <summary>Two overlays over one lower directory: each sees its own changes only; the lower sees none.</summary>
        public static void SharedLower()
        {
            VfsNode root = Mounts.Root;
            string[] directories = { "/ovl-share/image", "/ovl-share/u1", "/ovl-share/w1", "/ovl-share/u2", "/ovl-share/w2" };
            for (int i = 0; i < directories.Length; i++) Check(RamNode.MakeDirectories(directories[i]) != null, "make a layer");
            CheckEqual(0, Write(root, "/ovl-share/image/motd", "hello"), "the image's file");
            ulong image = Checksum(root, "/ovl-share/image");
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, "lowerdir=/ovl-share/image,upperdir=/ovl-share/u1,workdir=/ovl-share/w1", false, out OverlayVolume one), "container one");
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, "lowerdir=/ovl-share/image,upperdir=/ovl-share/u2,workdir=/ovl-share/w2", false, out OverlayVolume two), "container two");
            if (one == null || two == null) return;
            VfsNode first = one.HoldRoot(), second = two.HoldRoot();
            CheckEqual(0, Write(first, "motd", "one was here"), "one writes motd");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, second, "motd", directory: false), "two deletes motd");
            Check(Holds(first, "motd", "one was here"), "one sees its own change");
            CheckEqual(-Errno.ENOENT, Find(second, "motd"), "two sees its own deletion");
            Check(Holds(root, "/ovl-share/image/motd", "hello"), "the image still says hello");
            Check(image == Checksum(root, "/ovl-share/image"), "the shared lower layer was not written (checksum)");
            first.Put();
            second.Put();
            one.Release();
            two.Release();
        }

        /// <summary>A thousand whiteouts, names too long, every entry deleted; then heap and frames as before.</summary>
        public static unsafe void ManyWhiteoutsLeakNothing()
        {
            const int Files = 1000;
            VfsNode root = Mounts.Root;
            Check(RamNode.MakeDirectories("/ovl-many/lower/sub") != null && RamNode.MakeDirectories("/ovl-many/run") != null, "make the layers");
            for (int i = 0; i < Files; i++) CheckEqual(0, Write(root, string.Concat("/ovl-many/lower/", i.ToString()), "x"), "a lower file");
            CheckEqual(0, Write(root, "/ovl-many/lower/sub/deep", "d"), "a file in a lower subdirectory");
            ulong lower = Checksum(root, "/ovl-many/lower");
            // The upper and work directories are made and removed inside the measurement, with all they hold.
            // The heap's caches (quarantine, spare chunks) hold frames for a while: emptied before each count.
            KernelHeap.ReturnCachedMemory();
            ulong heapBefore = KernelHeap.BytesInUse, framesBefore = FrameAllocator.FreeFrames;
            CheckEqual(0, PathOperations.MakeDirectory(Credentials.Kernel, root, "/ovl-many/run/upper"), "mkdir upper");
            CheckEqual(0, PathOperations.MakeDirectory(Credentials.Kernel, root, "/ovl-many/run/work"), "mkdir work");
            CheckEqual(0, OverlayOptions.CreateVolume(Credentials.Kernel, root, "lowerdir=/ovl-many/lower,upperdir=/ovl-many/run/upper,workdir=/ovl-many/run/work", false, out OverlayVolume volume), "the overlay");
            if (volume == null) return;
            VfsNode top = volume.HoldRoot();
            CheckEqual(Files + 1, Count(top, "."), "it lists the thousand files and sub");
            CheckEqual(0, Write(top, "0", "copied up"), "copy one up");
            int removed = 0;
            Span<char> name = stackalloc char[8];
            for (int i = 0; i < Files; i++)
                if (PathOperations.Remove(Credentials.Kernel, top, NameOf(name, i), directory: false) == 0) removed++;
            CheckEqual(Files, removed, "a thousand unlinks");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "sub/deep", directory: false), "unlink sub/deep");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, top, "sub", directory: true), "rmdir sub");
            CheckEqual(0, Count(top, "."), "every entry deleted: the overlay lists nothing");
            CheckEqual(Files + 1, Count(root, "/ovl-many/run/upper"), "the upper layer holds the thousand and one whiteouts");
            CheckEqual(-Errno.ENAMETOOLONG, Write(top, "a-name-of-fifty-eight-characters-that-leaves-no-room-.....", "x"), "a name with no room for its whiteout");
            top.Put();
            volume.Release();
            EmptyDirectory("/ovl-many/run/upper");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, root, "/ovl-many/run/upper", directory: true), "rmdir upper");
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, root, "/ovl-many/run/work", directory: true), "rmdir work");
            KernelHeap.ReturnCachedMemory();
            CheckEqual((long)heapBefore, (long)KernelHeap.BytesInUse, "kernel heap bytes in use after the overlay is unmounted and its upper layer removed");
            CheckEqual((long)framesBefore, (long)FrameAllocator.FreeFrames, "free frames after the same");
            Check(lower == Checksum(root, "/ovl-many/lower"), "the lower layer was not written (checksum)");
        }

        private static unsafe void EmptyDirectory(string path)
        {
            if (Paths.Resolve(Credentials.Kernel, Mounts.Root, path, followLast: true, out VfsNode directory) < 0) return;
            char* text = stackalloc char[DirectoryEntry.MaximumName];
            while (directory.ReadDirectory(0, out DirectoryEntry entry) > 0)
            {
                for (int i = 0; i < entry.NameLength; i++) text[i] = (char)entry.Name[i];
                if (directory.Unlink(new ReadOnlySpan<char>(text, entry.NameLength), entry.Kind == (int)FileKind.Directory) < 0) break;
            }
            directory.Put();
        }

        // The number's digits, written into buffer: a name that allocates nothing inside the measurement.
        private static ReadOnlySpan<char> NameOf(Span<char> buffer, int number)
        {
            int digits = 1;
            for (int rest = number / 10; rest != 0; rest /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--, number /= 10) buffer[i] = (char)('0' + number % 10);
            return buffer.Slice(0, digits);
        }
    }
}
