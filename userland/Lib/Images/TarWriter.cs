using System;

namespace TeachOS
{
    /// <summary>
    /// Builds an uncompressed ustar archive in memory (POSIX pax "ustar Interchange Format"), the format
    /// TarReader reads: one 512-byte header per entry, the file's data padded to a whole block, two zero
    /// blocks at the end. Every header says owner 0, group 0 and time 0, so the same tree always gives the
    /// same bytes, and so the same digest (a layer's name is its digest: two commits of one change are one layer).
    /// </summary>
    public sealed class TarWriter
    {
        private const int BlockSize = TarReader.BlockSize;
        private const int NameLength = 100, PrefixLength = 155;
        private const int ModeField = 100, UserField = 108, GroupField = 116, SizeField = 124, TimeField = 136;
        private const int ChecksumField = 148, TypeField = 156, LinkNameField = 157, MagicField = 257, PrefixField = 345;

        private byte[] _bytes = new byte[16 * BlockSize];
        private int _length;

        public byte[] Bytes => _bytes;
        public int Length => _length;

        /// <summary>A folder: its name with a trailing '/', no data.</summary>
        public bool AddDirectory(string path, int mode) => AddHeader(path + "/", '5', mode, 0, null);

        public bool AddSymbolicLink(string path, string target) => AddHeader(path, '2', 0x1FF, 0, target);

        /// <summary>A file and its bytes. False when the name does not fit a ustar header.</summary>
        public bool AddFile(string path, int mode, ReadOnlySpan<byte> data)
        {
            if (!AddHeader(path, '0', mode, data.Length, null)) return false;
            Reserve(RoundUp(data.Length));
            data.CopyTo(new Span<byte>(_bytes, _length, data.Length));
            _length += RoundUp(data.Length);     // the padding is zero: Reserve's new bytes are
            return true;
        }

        /// <summary>The two zero blocks that end an archive.</summary>
        public void Finish()
        {
            Reserve(2 * BlockSize);
            _length += 2 * BlockSize;
        }

        private bool AddHeader(string name, char type, int mode, int size, string linkName)
        {
            // A name longer than 100 bytes is split at a '/' into prefix (up to 155) and name.
            string prefix = "";
            if (name.Length > NameLength)
            {
                int split = -1;
                for (int i = 1; i <= PrefixLength && i < name.Length - 1; i++)
                    if (name[i] == '/' && name.Length - i - 1 <= NameLength) { split = i; break; }
                if (split < 0) return false;
                prefix = name.Substring(0, split);
                name = name.Substring(split + 1);
            }
            if (linkName != null && linkName.Length > NameLength) return false;
            Reserve(BlockSize);
            int at = _length;
            PutText(at, name);
            PutText(at + PrefixField, prefix);
            PutOctal(at + ModeField, 8, mode & 0xFFF);
            PutOctal(at + UserField, 8, 0);
            PutOctal(at + GroupField, 8, 0);
            PutOctal(at + SizeField, 12, size);
            PutOctal(at + TimeField, 12, 0);
            _bytes[at + TypeField] = (byte)type;
            if (linkName != null) PutText(at + LinkNameField, linkName);
            PutText(at + MagicField, "ustar");            // "ustar\0" then version "00"
            PutText(at + MagicField + 6, "00");
            // The checksum is the sum of the header's bytes with its own field read as eight spaces.
            for (int i = 0; i < 8; i++) _bytes[at + ChecksumField + i] = (byte)' ';
            int sum = 0;
            for (int i = 0; i < BlockSize; i++) sum += _bytes[at + i];
            PutOctal(at + ChecksumField, 7, sum);           // six digits and a NUL; the eighth byte stays a space
            _length += BlockSize;
            return true;
        }

        private void PutText(int at, string text)
        {
            for (int i = 0; i < text.Length; i++) _bytes[at + i] = (byte)text[i];
        }

        // width - 1 octal digits, zero-padded, then a NUL.
        private void PutOctal(int at, int width, long value)
        {
            for (int i = width - 2; i >= 0; i--)
            {
                _bytes[at + i] = (byte)('0' + (value & 7));
                value >>= 3;
            }
            _bytes[at + width - 1] = 0;
        }

        private void Reserve(int more)
        {
            if (_length + more <= _bytes.Length) return;
            int size = _bytes.Length;
            while (size < _length + more) size *= 2;
            Array.Resize(ref _bytes, size);
        }

        private static int RoundUp(int length) => (length + BlockSize - 1) / BlockSize * BlockSize;
    }
}
