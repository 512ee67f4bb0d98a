using System;

namespace Fs
{
    /// <summary>
    /// Reads a USTAR archive (what `tar --format=ustar` writes): the initrd the boot loader hands the
    /// kernel is one. Each file is a 512-byte header (name, size in octal, type) followed by its
    /// data, padded to a multiple of 512 bytes; two zero blocks end the archive.
    /// POSIX.1-2001, "pax" / ustar interchange format. Pure logic, tested on the host.
    /// </summary>
    public ref struct TarReader
    {
        private const int BlockSize = 512;
        private readonly ReadOnlySpan<byte> _archive;
        private int _offset;

        public TarReader(ReadOnlySpan<byte> archive)
        {
            _archive = archive;
            _offset = 0;
        }

        /// <summary>The next entry, or false at the end of the archive (or at a damaged header).</summary>
        public bool Next(out TarEntry entry)
        {
            entry = default;
            if (_offset + BlockSize > _archive.Length) return false;
            ReadOnlySpan<byte> header = _archive.Slice(_offset, BlockSize);
            if (header[0] == 0) return false;                                   // the end marker
            if (!IsUstar(header) || !ChecksumMatches(header)) return false;

            long size = ParseOctal(header.Slice(124, 12));
            if (size < 0 || _offset + BlockSize + size > _archive.Length) return false;

            string prefix = Text(header.Slice(345, 155));
            string name = Text(header.Slice(0, 100));
            entry.Path = prefix.Length > 0 ? string.Concat(prefix, "/", name) : name;
            byte type = header[156];
            entry.IsDirectory = type == (byte)'5';
            entry.IsRegularFile = type == (byte)'0' || type == 0;
            // The owner, group and permission bits (octal text, as the rest): the initrd keeps them.
            entry.Mode = (int)(ParseOctal(header.Slice(100, 8)) & 0xFFF);
            entry.UserId = (int)ParseOctal(header.Slice(108, 8));
            entry.GroupId = (int)ParseOctal(header.Slice(116, 8));
            entry.DataOffset = _offset + BlockSize;
            entry.Size = (int)size;
            _offset += BlockSize + (int)((size + BlockSize - 1) / BlockSize * BlockSize);
            return true;
        }

        private static bool IsUstar(ReadOnlySpan<byte> header) =>
            header[257] == (byte)'u' && header[258] == (byte)'s' && header[259] == (byte)'t' &&
            header[260] == (byte)'a' && header[261] == (byte)'r';

        // The checksum is the sum of all header bytes, with the checksum field itself read as spaces.
        private static bool ChecksumMatches(ReadOnlySpan<byte> header)
        {
            long expected = ParseOctal(header.Slice(148, 8));
            long sum = 0;
            for (int i = 0; i < BlockSize; i++) sum += i >= 148 && i < 156 ? (byte)' ' : header[i];
            return sum == expected;
        }

        /// <summary>Octal digits, optionally padded with spaces or NULs; -1 if malformed.</summary>
        public static long ParseOctal(ReadOnlySpan<byte> field)
        {
            long value = 0;
            bool any = false;
            foreach (byte b in field)
            {
                if (b == 0 || b == (byte)' ') { if (any) break; else continue; }
                if (b < (byte)'0' || b > (byte)'7') return -1;
                value = value * 8 + (b - (byte)'0');
                any = true;
            }
            return any ? value : 0;
        }

        private static string Text(ReadOnlySpan<byte> field)
        {
            int length = 0;
            while (length < field.Length && field[length] != 0) length++;
            char[] characters = new char[length];
            for (int i = 0; i < length; i++) characters[i] = (char)field[i];
            return new string(characters);
        }
    }

    public struct TarEntry
    {
        public string Path;          // as stored: "bin/sh", "./etc/motd", "bin/"
        public bool IsDirectory;
        public bool IsRegularFile;
        public int Mode;             // permission bits (07777); -1 & 07777 if the field is damaged
        public int UserId;           // owner and group (-1 if damaged: Initrd gives such files to root)
        public int GroupId;
        public int DataOffset;       // where the file's bytes start in the archive
        public int Size;
    }
}
