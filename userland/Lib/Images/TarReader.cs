using System;

namespace TeachOS
{
    /// <summary>What a tar entry is (ustar's typeflag, POSIX pax "ustar Interchange Format").</summary>
    public enum TarEntryKind { File, HardLink, SymbolicLink, Directory, Other }

    /// <summary>
    /// One entry of an archive: its header's fields and where its data lies in the archive's bytes. A class,
    /// not a struct: copying a struct that holds references needs a runtime helper TeachOS's base library
    /// does not have (RhpByRefAssignRef).
    /// </summary>
    public sealed class TarEntry
    {
        public string Name;          // prefix + "/" + name, without a trailing '/'
        public string LinkName;      // a link's target
        public TarEntryKind Kind;
        public int Mode;             // permission bits (07777)
        public int DataOffset;       // into the archive
        public int Size;             // bytes of data
    }

    /// <summary>
    /// Walks an uncompressed ustar archive held in memory (an image layer: OCI's `layer.v1.tar`), header by
    /// header. Every field is checked before it is believed, since a layer comes from elsewhere: the header's
    /// checksum, octal numbers that parse, a size that fits in what is left of the archive (a truncated
    /// archive or a header claiming gigabytes is refused, not read past), and the two zero blocks that end
    /// it. <see cref="Next"/> gives false with <see cref="Error"/> set on the first fault, and at the end
    /// with Error null. Path checks (`..`, absolute names) are the unpacker's (LayerPaths.cs).
    /// </summary>
    public sealed class TarReader
    {
        public const int BlockSize = 512;
        public const int NameFieldLength = 100;
        // Offsets of the ustar header's fields (POSIX.1-2008, pax, "ustar Interchange Format").
        private const int NameField = 0, NameLength = 100, ModeField = 100, SizeField = 124, ChecksumField = 148;
        private const int TypeField = 156, LinkNameField = 157, MagicField = 257, PrefixField = 345, PrefixLength = 155;

        private readonly byte[] archive;
        private readonly int length;
        private int position;
        public string Error;

        public TarReader(byte[] archive, int length) { this.archive = archive; this.length = length; }

        public bool Next(out TarEntry entry)
        {
            entry = null;
            while (true)
            {
                if (length - position < BlockSize) return Fail("the archive is truncated: it ends inside a header or without its two zero blocks");
                if (IsZeroBlock(position))
                {
                    // The end: two zero blocks (one zero block followed by the end of data is truncation).
                    if (length - position < 2 * BlockSize || !IsZeroBlock(position + BlockSize))
                        return Fail("the archive is truncated after a zero block");
                    return false;
                }
                if (!ChecksumMatches()) return Fail("a header's checksum is wrong at offset " + position);
                if (!(archive[position + MagicField] == 'u' && archive[position + MagicField + 1] == 's' && archive[position + MagicField + 2] == 't'))
                    return Fail("not a ustar header at offset " + position);
                long size, mode;
                if (!Octal(position + SizeField, 12, out size)) return Fail("a header's size is not an octal number at offset " + position);
                if (!Octal(position + ModeField, 8, out mode)) return Fail("a header's mode is not an octal number at offset " + position);
                long dataBlocks = (size + BlockSize - 1) / BlockSize;
                if (size > length || dataBlocks * BlockSize > length - position - BlockSize)
                    return Fail("an entry claims " + size + " bytes, more than the archive holds (truncated or hostile) at offset " + position);

                byte type = archive[position + TypeField];
                entry = new TarEntry();
                entry.Name = JoinName(Field(position + PrefixField, PrefixLength), Field(position + NameField, NameLength));
                entry.LinkName = Field(position + LinkNameField, NameLength);
                entry.Mode = (int)(mode & 0xFFF);
                entry.Size = (int)size;
                entry.DataOffset = position + BlockSize;
                entry.Kind = type == '0' || type == 0 ? TarEntryKind.File : type == '1' ? TarEntryKind.HardLink :
                             type == '2' ? TarEntryKind.SymbolicLink : type == '5' ? TarEntryKind.Directory : TarEntryKind.Other;
                position += BlockSize + (int)dataBlocks * BlockSize;
                if (entry.Name.Length == 0) return Fail("an entry without a name");
                return true;
            }
        }

        private bool Fail(string why)
        {
            Error = why;
            return false;
        }

        private bool IsZeroBlock(int at)
        {
            for (int i = 0; i < BlockSize; i++)
                if (archive[at + i] != 0) return false;
            return true;
        }

        /// <summary>The checksum is the sum of the header's bytes with its own field counted as spaces.</summary>
        private bool ChecksumMatches()
        {
            long stored;
            if (!Octal(position + ChecksumField, 8, out stored)) return false;
            long sum = 0;
            for (int i = 0; i < BlockSize; i++)
                sum += i >= ChecksumField && i < ChecksumField + 8 ? ' ' : archive[position + i];
            return sum == stored;
        }

        /// <summary>An octal field: leading spaces, octal digits, ended by NUL, space or the field's end.</summary>
        private bool Octal(int at, int width, out long value)
        {
            value = 0;
            int i = 0, digits = 0;
            while (i < width && archive[at + i] == ' ') i++;
            for (; i < width; i++)
            {
                byte c = archive[at + i];
                if (c == 0 || c == ' ') break;
                if (c < '0' || c > '7') return false;
                value = value * 8 + (c - '0');
                digits++;
            }
            return digits > 0;
        }

        private string Field(int at, int width)
        {
            int n = 0;
            while (n < width && archive[at + n] != 0) n++;
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = (char)archive[at + i];
            return new string(chars, 0, n);
        }

        private static string JoinName(string prefix, string name)
        {
            string whole = prefix.Length > 0 ? prefix + "/" + name : name;
            while (whole.Length > 1 && whole[whole.Length - 1] == '/') whole = whole.Substring(0, whole.Length - 1);
            return whole;
        }
    }
}
