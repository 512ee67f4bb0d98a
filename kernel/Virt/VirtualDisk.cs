using System;
using Abi;
using Fs;
using Mem;

namespace Virt
{
    /// <summary>
    /// The guest's disk: a block device of TeachOS's own, as small as one can be, whose sectors are a
    /// host file's bytes (`vm run IMAGE --disk FILE`; the VmAttachDisk call). It works by programmed I/O,
    /// as the PC's first hard-disk controller (ATA PIO at 0x1F0) did: the guest names a sector, gives a
    /// command, and moves the sector's 512 bytes through a data port, each IN or OUT an I/O exit. Four
    /// ports, any access size (8, 16 or 32 bits) on the data port:
    ///
    ///   0x520  sector   (32 bits, read/write) the sector the next command acts on; writing it also
    ///                                         rewinds the data port to the buffer's first byte
    ///   0x524  command  (8 bits, write)       1: read the sector into the buffer; 2: write the buffer to the sector
    ///          status   (8 bits, read)        0 done; 1 the sector is past the disk's end; 2 there is no disk;
    ///                                         3 the file refused (a disk opened read-only, a short read);
    ///                                         4 an unknown command
    ///   0x528  data     (8/16/32 bits)        the buffer's next bytes (IN after a read, OUT before a write);
    ///                                         past its 512th byte reads give 0 and writes are dropped
    ///   0x52C  sectors  (32 bits, read)       the disk's size: the file's whole sectors, counted when it was attached
    ///
    /// Every command is checked against the size before the file is touched: a guest cannot reach past
    /// its disk, whatever it writes to the ports. Real devices move data by DMA instead (the device
    /// writes guest memory itself, as virtio-blk does); the data port keeps each step visible.
    /// </summary>
    public sealed class VirtualDisk
    {
        public const ushort Base = 0x520;
        public const ushort SectorPort = Base + 0;
        public const ushort CommandPort = Base + 4;
        public const ushort DataPort = Base + 8;
        public const ushort SectorsPort = Base + 12;
        public const ushort Last = SectorsPort + 3;

        public const int SectorSize = 512;
        private const uint CommandRead = 1, CommandWrite = 2;
        private const byte StatusDone = 0, StatusOutOfRange = 1, StatusNoDisk = 2, StatusRefused = 3, StatusUnknownCommand = 4;

        private readonly OpenFile _file;       // one reference of its own, given back by Detach
        private readonly uint _sectors;
        private readonly byte[] _buffer = new byte[SectorSize];
        private uint _sector;
        private int _position;
        private byte _status;
        public long SectorsRead, SectorsWritten;

        private VirtualDisk(OpenFile file, uint sectors)
        {
            _file = file;
            _sectors = sectors;
        }

        /// <summary>
        /// A disk on <paramref name="file"/>, whose reference it takes over, or a negated errno (the
        /// reference then stays the caller's): -EINVAL for what is not a regular file or holds not one
        /// whole sector.
        /// </summary>
        public static long TryCreate(OpenFile file, out VirtualDisk disk)
        {
            disk = null;
            if (file.Kind != FileKind.File) return -Errno.EINVAL;
            long sectors = file.Size / SectorSize;
            if (sectors < 1) return -Errno.EINVAL;
            disk = new VirtualDisk(file, sectors > uint.MaxValue ? uint.MaxValue : (uint)sectors);
            return 0;
        }

        /// <summary>What a guest with no disk reads: status "no disk", and zeros.</summary>
        public static uint ReadAbsent(ushort port) => port == CommandPort ? StatusNoDisk : 0u;

        public uint Read(ushort port, int size)
        {
            if (port == SectorPort) return _sector;
            if (port == CommandPort) return _status;
            if (port == SectorsPort) return _sectors;
            if (port != DataPort) return 0;
            uint value = 0;
            for (int i = 0; i < size; i++, _position++)
                if (_position < SectorSize) value |= (uint)_buffer[_position] << (8 * i);
            return value;
        }

        public void Write(ushort port, uint value, int size)
        {
            if (port == SectorPort) { _sector = value; _position = 0; }
            else if (port == CommandPort) Command(value & 0xFF);
            else if (port == DataPort)
                for (int i = 0; i < size; i++, _position++)
                    if (_position < SectorSize) _buffer[_position] = (byte)(value >> (8 * i));
        }

        // The file's descriptor position is the disk's: seek to the sector, then read or write it whole.
        private void Command(uint command)
        {
            _position = 0;
            if (command != CommandRead && command != CommandWrite) { _status = StatusUnknownCommand; return; }
            if (_sector >= _sectors) { _status = StatusOutOfRange; return; }
            long offset = (long)_sector * SectorSize;
            bool done = _file.Seek(offset, SeekFrom.Start) == offset;
            if (done && command == CommandRead)
            {
                done = _file.Read(new Span<byte>(_buffer)) == SectorSize;
                if (done) SectorsRead++;
            }
            else if (done)
            {
                done = _file.Write(new ReadOnlySpan<byte>(_buffer)) == SectorSize;
                if (done) SectorsWritten++;
            }
            _status = done ? StatusDone : StatusRefused;
        }

        /// <summary>Gives the file back and frees the disk (the machine's destruction).</summary>
        public void Detach()
        {
            _file.Release();
            KernelHeap.Free(_buffer);
        }
    }
}
