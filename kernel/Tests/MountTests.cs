using System;
using Abi;
using Fs;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>
    /// The mount table and path resolution across a mount point, with a second volume beside the RAM
    /// file system: a tiny read-only one (a root directory holding one file), mounted at /mnt-test.
    /// What the disk's file system at /disk will rely on: "/mnt-test/file" lands on the other volume,
    /// ".." climbs back over the mount point, getcwd names it, and what would cross volumes (rename,
    /// link) is -EXDEV, removing the mount point -EBUSY.
    /// </summary>
    public static unsafe class MountTests
    {
        public static void AcrossAMountPoint()
        {
            var volume = new TinyVolume();
            Check(RamNode.MakeDirectories("mnt-test") != null, "make /mnt-test");
            CheckEqual(0, Mounts.Mount("/mnt-test", volume), "mount a second volume at /mnt-test");
            CheckEqual(-Errno.EBUSY, Mounts.Mount("/mnt-test", volume), "mount on it again");
            CheckEqual(-Errno.ENOENT, Mounts.Mount("/no-such-dir", volume), "mount on a missing directory");

            CheckEqual(0, Paths.Resolve(Credentials.Kernel, Mounts.Root, "/mnt-test", followLast: true, out VfsNode root), "resolve the mount point");
            Check(root.Volume == volume && root.Inode == TinyNode.RootInode, "it is the mounted volume's root");
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, Mounts.Root, "/mnt-test/file", followLast: true, out VfsNode file), "a file on the mounted volume");
            byte* bytes = stackalloc byte[8];
            CheckEqual(4, file.ReadAt(0, new Span<byte>(bytes, 8)), "read it");
            Check(bytes[0] == (byte)'t' && bytes[3] == (byte)'y', "its bytes");
            file.Put();

            CheckEqual(0, Paths.Resolve(Credentials.Kernel, Mounts.Root, "/mnt-test/..", followLast: true, out VfsNode up), "/mnt-test/..");
            Check(up.IsSameAs(Mounts.Root), "is / (.. climbs back over the mount point)");
            up.Put();
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, root, "../bin/true", followLast: true, out VfsNode program), "a relative path from the mounted root to /bin/true");
            Check(program.Volume == RamVolume.Instance && program.Kind == FileKind.File, "lands on the RAM file system");
            program.Put();

            char* text = stackalloc char[64];
            int length = PathNames.PathOf(root, new Span<char>(text, 64));
            Check(length == 9 && new ReadOnlySpan<char>(text, 9).SequenceEqual("/mnt-test"), "getcwd of the mounted root is /mnt-test");
            root.Put();

            CheckEqual(-Errno.EXDEV, PathOperations.Rename(Credentials.Kernel, Mounts.Root, "/mnt-test/file", "/moved"), "rename across volumes");
            CheckEqual(-Errno.EXDEV, PathOperations.Link(Credentials.Kernel, Mounts.Root, "/mnt-test/file", "/linked"), "link across volumes");
            CheckEqual(-Errno.EBUSY, PathOperations.Remove(Credentials.Kernel, Mounts.Root, "/mnt-test", directory: true), "rmdir of the mount point");
            CheckEqual(-Errno.EBUSY, PathOperations.Rename(Credentials.Kernel, Mounts.Root, "/mnt-test", "/elsewhere"), "rename of the mount point");
            CheckEqual(0, PathOperations.MakeSymbolicLink(Credentials.Kernel, Mounts.Root, "/mnt-test/file", "/mnt-link"), "a link on / to the mounted file");
            CheckEqual(0, Paths.Resolve(Credentials.Kernel, Mounts.Root, "/mnt-link", followLast: true, out VfsNode linked), "follow it");
            Check(linked.Volume == volume, "it crosses into the mounted volume");
            linked.Put();
            CheckEqual(0, PathOperations.Remove(Credentials.Kernel, Mounts.Root, "/mnt-link", directory: false), "unlink the link");
        }

        // A volume of one directory and one file, read-only: enough to be mounted and walked.
        private sealed class TinyVolume : Volume
        {
            private readonly TinyNode _root;

            public TinyVolume() => _root = new TinyNode(this, TinyNode.RootInode);

            public override string Name => "tiny";

            public override VfsNode HoldRoot() => _root;

            public override int MaximumNameLength => 60;

            public override int Sync() => 0;
        }

        private sealed class TinyNode : VfsNode
        {
            public const ulong RootInode = 1, FileInode = 2;
            private readonly TinyVolume _volume;
            private readonly ulong _inode;
            private TinyNode _file;

            public TinyNode(TinyVolume volume, ulong inode)
            {
                _volume = volume;
                _inode = inode;
            }

            public override Volume Volume => _volume;
            public override FileKind Kind => _inode == RootInode ? FileKind.Directory : FileKind.File;
            public override ulong Inode => _inode;
            public override ulong Version => 0;
            public override NodeStatus Status() => new NodeStatus { Kind = Kind, Size = Kind == FileKind.File ? 4 : 1, Links = Kind == FileKind.File ? 1 : 2, Inode = _inode, Attributes = Attributes() };
            public override NodeAttributes Attributes() => new NodeAttributes(Kind == FileKind.File ? 0x124 : 0x16D, 0, 0);   // r--r--r--, r-xr-xr-x: read-only
            public override int SetAttributes(NodeAttributes attributes) => -Errno.EPERM;
            public override void Hold() { }                  // the volume lives as long as the test's kernel
            public override void Put() { }

            public override int Lookup(ReadOnlySpan<char> name, out VfsNode child)
            {
                child = null;
                if (Kind != FileKind.Directory) return -Errno.ENOTDIR;
                if (Paths.IsDot(name) || Paths.IsDotDot(name)) child = this;
                else if (name.SequenceEqual("file")) child = _file ??= new TinyNode(_volume, FileInode);
                return child == null ? -Errno.ENOENT : 0;
            }

            public override int ReadDirectory(int index, out DirectoryEntry entry)
            {
                entry = default;
                if (Kind != FileKind.Directory) return -Errno.ENOTDIR;
                if (index != 0) return 0;
                entry.Kind = (int)FileKind.File;
                entry.Inode = FileInode;
                entry.Size = 4;
                entry.NameLength = 4;
                for (int i = 0; i < 4; i++) entry.Name[i] = (byte)"file"[i];
                return 1;
            }

            public override long ReadAt(long offset, Span<byte> destination)
            {
                if (Kind == FileKind.Directory) return -Errno.EISDIR;
                int count = 0;
                for (long at = offset; at < 4 && count < destination.Length; at++) destination[count++] = (byte)"tiny"[(int)at];
                return count;
            }

            public override int Create(ReadOnlySpan<char> name, FileKind kind, ReadOnlySpan<char> target, NodeAttributes attributes, out VfsNode created)
            {
                created = null;
                return -Errno.EPERM;
            }

            public override int Link(ReadOnlySpan<char> name, VfsNode target) => -Errno.EPERM;
            public override int Unlink(ReadOnlySpan<char> name, bool directory) => -Errno.EPERM;
            public override int Rename(ReadOnlySpan<char> name, VfsNode toDirectory, ReadOnlySpan<char> toName) => -Errno.EPERM;
            public override long WriteAt(long offset, ReadOnlySpan<byte> source) => -Errno.EPERM;
            public override long Append(ReadOnlySpan<byte> source) => -Errno.EPERM;
            public override int Truncate(long length) => -Errno.EPERM;
            public override int Sync() => 0;
            public override int ReadLink(Span<char> destination) => -Errno.EINVAL;
        }
    }
}
