using System.Buffers.Binary;
using System.Text;

namespace TeachOS.Tools.Profile;

/// <summary>
/// The function symbols of an ELF64 file's .symtab, sorted by address, to name a code address: the
/// function whose [start, start + size) holds it (or, for a symbol of size 0 such as an assembly
/// label, the nearest one below it). The same table `nm` prints and tools/kernel-symbols.sh embeds.
/// </summary>
public sealed class ElfSymbols
{
    private const int SymbolTableType = 2;      // SHT_SYMTAB
    private const int FunctionType = 2;         // STT_FUNC
    private const int NoType = 0;               // STT_NOTYPE: assembly labels

    private readonly ulong[] _starts;
    private readonly ulong[] _sizes;
    private readonly string[] _names;

    public ElfSymbols(IEnumerable<(ulong Start, ulong Size, string Name)> symbols)
    {
        var sorted = symbols.Where(s => s.Start != 0).OrderBy(s => s.Start).ThenByDescending(s => s.Size).ToArray();
        _starts = sorted.Select(s => s.Start).ToArray();
        _sizes = sorted.Select(s => s.Size).ToArray();
        _names = sorted.Select(s => s.Name).ToArray();
    }

    public int Count => _names.Length;

    public static ElfSymbols Read(string path) => new(ReadSymbols(File.ReadAllBytes(path)));

    /// <summary>The name of the function holding <paramref name="address"/>, or null.</summary>
    public string? Lookup(ulong address)
    {
        int index = Array.BinarySearch(_starts, address);
        if (index < 0) index = ~index - 1;
        if (index < 0) return null;
        // Several symbols may start at one address (aliases): the first, the largest, is taken.
        while (index > 0 && _starts[index - 1] == _starts[index]) index--;
        if (_sizes[index] != 0 && address - _starts[index] >= _sizes[index]) return null;
        return _names[index];
    }

    private static IEnumerable<(ulong, ulong, string)> ReadSymbols(byte[] elf)
    {
        var data = elf.AsSpan();
        if (elf.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[4] != 2)
            throw new InvalidDataException("not an ELF64 file");
        ulong sectionHeaders = BinaryPrimitives.ReadUInt64LittleEndian(data[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(data[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[0x3C..]);
        var result = new List<(ulong, ulong, string)>();
        for (int i = 0; i < count; i++)
        {
            var header = data[(int)(sectionHeaders + (ulong)(i * entrySize))..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SymbolTableType) continue;
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            ulong symbolSize = BinaryPrimitives.ReadUInt64LittleEndian(header[0x38..]);
            var strings = data[(int)(sectionHeaders + (ulong)(link * entrySize))..];
            ulong stringsOffset = BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]);
            for (ulong at = offset; at + symbolSize <= offset + size; at += symbolSize)
            {
                var symbol = data[(int)at..];
                int type = symbol[4] & 0xF;
                ushort section = BinaryPrimitives.ReadUInt16LittleEndian(symbol[6..]);
                if (section == 0 || (type != FunctionType && type != NoType)) continue;
                uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(symbol);
                var name = data[(int)(stringsOffset + nameOffset)..];
                string text = Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]);
                // Local labels and linker markers name no function (as in tools/kernel-symbols.sh).
                if (text.Length == 0 || text.StartsWith('$') || text.StartsWith("__", StringComparison.Ordinal) || text.StartsWith(".L", StringComparison.Ordinal)) continue;
                result.Add((BinaryPrimitives.ReadUInt64LittleEndian(symbol[8..]), BinaryPrimitives.ReadUInt64LittleEndian(symbol[16..]), text));
            }
        }
        return result;
    }
}
