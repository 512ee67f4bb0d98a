using System.IO;
using System.Text;
using Loader;
using Xunit;

namespace TeachOS.Tests.Host;

/// <summary>
/// kernel/Loader/Elf.cs and ElfSymbols.cs: every header field is hostile. Each malformed case is
/// refused with a reason (never an exception), and a seeded stream of random mutations of a real
/// program never makes TryParse or FunctionAt throw, nor accept a program that breaks the rules.
/// </summary>
public class ElfTests
{
    private const ulong Lowest = 0x1000, Highest = 0x7FFFFFFEF000;
    private const int Phdrs = 64, Code = Phdrs, Rodata = Phdrs + 56, Data = Phdrs + 112;

    /// <summary>An IProgramFile over a byte array, as the RAM file system's reader behaves.</summary>
    private sealed class ByteFile : IProgramFile
    {
        private readonly byte[] _bytes;
        public int Reads;

        public ByteFile(byte[] bytes) => _bytes = bytes;

        public ulong Length => (ulong)_bytes.Length;

        public bool ReadAt(ulong offset, Span<byte> buffer)
        {
            Reads++;
            if (offset > (ulong)_bytes.Length || (ulong)buffer.Length > (ulong)_bytes.Length - offset) return false;
            _bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
            return true;
        }
    }

    /// <summary>
    /// A small program laid out as TeachOS's linker script lays one out: code, constants and data each
    /// on their own pages, then a symbol table with a C# method and an assembly label.
    /// </summary>
    internal static byte[] SmallProgram()
    {
        var file = new byte[0x4000];
        "\x7F"u8.CopyTo(file); "ELF"u8.CopyTo(file.AsSpan(1));
        file[4] = 2; file[5] = 1; file[6] = 1;
        Put(file, 16, 2, 2); Put(file, 18, 2, 62); Put(file, 20, 4, 1);
        Put(file, 24, 8, 0x400010);                       // entry
        Put(file, 32, 8, Phdrs);
        Put(file, 52, 2, 64); Put(file, 54, 2, 56); Put(file, 56, 2, 3);
        Segment(file, Code, 5, 0x1000, 0x400000, 0x100, 0x100);
        Segment(file, Rodata, 4, 0x2000, 0x401000, 0x40, 0x40);
        Segment(file, Data, 6, 0x3000, 0x402000, 0x80, 0x2000);

        // .strtab at 0x3100, .symtab at 0x3200 (3 symbols), section headers at 0x3300 (null, symtab, strtab).
        byte[] names = Encoding.ASCII.GetBytes("\0hello_Hello__Main\0cpu_halt\0");
        names.CopyTo(file, 0x3100);
        Symbol(file, 0x3200 + 24, 1, 0x12, 0x400000, 0x40);          // STT_FUNC, size 0x40
        Symbol(file, 0x3200 + 48, 19, 0x10, 0x400080, 0);            // STT_NOTYPE label
        Put(file, 40, 8, 0x3300); Put(file, 58, 2, 64); Put(file, 60, 2, 3); Put(file, 62, 2, 0);
        int symtab = 0x3300 + 64, strtab = 0x3300 + 128;
        Put(file, symtab + 4, 4, 2); Put(file, symtab + 24, 8, 0x3200); Put(file, symtab + 32, 8, 72);
        Put(file, symtab + 40, 4, 2); Put(file, symtab + 56, 8, 24);
        Put(file, strtab + 4, 4, 3); Put(file, strtab + 24, 8, 0x3100); Put(file, strtab + 32, 8, (ulong)names.Length);
        return file;
    }

    private static void Segment(byte[] file, int at, uint flags, ulong offset, ulong address, ulong fileSize, ulong memorySize)
    {
        Put(file, at, 4, 1); Put(file, at + 4, 4, flags); Put(file, at + 8, 8, offset);
        Put(file, at + 16, 8, address); Put(file, at + 24, 8, address);
        Put(file, at + 32, 8, fileSize); Put(file, at + 40, 8, memorySize); Put(file, at + 48, 8, 0x1000);
    }

    private static void Symbol(byte[] file, int at, uint name, byte info, ulong value, ulong size)
    {
        Put(file, at, 4, name); file[at + 4] = info; Put(file, at + 6, 2, 1);
        Put(file, at + 8, 8, value); Put(file, at + 16, 8, size);
    }

    internal static void Put(byte[] bytes, int at, int size, ulong value)
    {
        for (int i = 0; i < size; i++) bytes[at + i] = (byte)(value >> (8 * i));
    }

    private static bool Parse(byte[] file, out Elf elf, out string reason) =>
        Elf.TryParse(new ByteFile(file), Lowest, Highest, out elf, out reason);

    [Fact]
    public void TheSmallProgramParses()
    {
        Assert.True(Parse(SmallProgram(), out Elf elf, out string reason), reason);
        Assert.Equal(3, elf.SegmentCount);
        Assert.Equal(0x400010UL, elf.Entry);
        Assert.Equal(0x404000UL, elf.HighestAddress);
        Elf.Segment data = elf.SegmentAt(2);
        Assert.True(data.Writable && !data.Executable);
        Assert.Equal(0x3000UL, data.FileOffset);
        Assert.Equal(0x80UL, data.FileSize);
    }

    public static TheoryData<string, int, int, ulong> Malformed => new()
    {
        { "e_phoff = 2^64 - 64 (the sum wraps)", 32, 8, 0xFFFFFFFFFFFFFFC0 },
        { "e_phoff past the end", 32, 8, 0x4000 },
        { "e_phnum = 65535", 56, 2, 0xFFFF },
        { "e_phnum = 0", 56, 2, 0 },
        { "e_phentsize = 0", 54, 2, 0 },
        { "e_phentsize = 55", 54, 2, 55 },
        { "not ELF", 1, 1, (byte)'X' },
        { "32-bit", 4, 1, 1 },
        { "big-endian", 5, 1, 2 },
        { "a shared object", 16, 2, 3 },
        { "an ARM program", 18, 2, 183 },
        { "entry at the first non-canonical address", 24, 8, 0x800000000000 },
        { "entry in a data segment", 24, 8, 0x402000 },
        { "entry past the code", 24, 8, 0x400100 },
        { "p_offset + p_filesz wraps", Code + 8, 8, 0xFFFFFFFFFFFFF000 },
        { "p_filesz past the end of the file", Code + 32, 8, 0x100000 },
        { "p_filesz > p_memsz", Rodata + 32, 8, 0x41 },
        { "a 1 GiB p_memsz", Data + 40, 8, 1UL << 30 },
        { "p_memsz = 2^64 - 1", Data + 40, 8, ulong.MaxValue },
        { "a writable and executable segment", Code + 4, 4, 7 },
        { "a segment in page 0", Rodata + 16, 8, 0 },
        { "a segment in the kernel's half", Rodata + 16, 8, 0xFFFF800000000000 },
        { "a segment whose end wraps", Data + 16, 8, 0xFFFFFFFFFFFFF000 },
        { "a segment in the stack's guard page", Data + 16, 8, Highest - 0x1000 },
        { "two segments share a page", Rodata + 16, 8, 0x400000 },
        { "data over code's last page", Data + 16, 8, 0x400000 },
        { "alignment not a power of two", Code + 48, 8, 3 },
        { "address and offset disagree with the alignment", Code + 8, 8, 0x1800 },
        { "a PT_INTERP entry", Rodata, 4, 3 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedHeadersAreRefusedWithAReason(string what, int at, int size, ulong value)
    {
        byte[] file = SmallProgram();
        Put(file, at, size, value);
        Assert.False(Parse(file, out _, out string reason), what);
        Assert.False(string.IsNullOrEmpty(reason), what);
    }

    [Fact]
    public void ShortFilesAreRefused()
    {
        byte[] file = SmallProgram();
        foreach (int length in new[] { 0, 4, 63, 64, 100, 0x1000, 0x3000 })
            Assert.False(Parse(file.AsSpan(0, length).ToArray(), out _, out _), $"{length} bytes");
    }

    [Fact]
    public void TooManySegmentsAreRefused()
    {
        byte[] file = new byte[0x40000];
        SmallProgram().CopyTo(file, 0);
        Put(file, 32, 8, 0x20000);
        Put(file, 56, 2, Elf.MaximumSegments + 1);
        for (int i = 0; i <= Elf.MaximumSegments; i++)
            Segment(file, 0x20000 + i * 56, i == 0 ? 5u : 4u, 0x1000, 0x400000 + (ulong)i * 0x1000, 0x20, 0x20);
        Assert.False(Parse(file, out _, out string reason));
        Assert.Contains("too many", reason);
        Put(file, 56, 2, Elf.MaximumSegments);
        Assert.True(Parse(file, out Elf elf, out reason), reason);
        Assert.Equal(Elf.MaximumSegments, elf.SegmentCount);
    }

    [Fact]
    public void TheImageLimitCountsEverySegment()
    {
        byte[] file = SmallProgram();
        Put(file, Data + 40, 8, Elf.MaximumImageBytes - 0x2000);          // with code and rodata: exactly the limit
        Assert.True(Parse(file, out _, out string reason), reason);
        Put(file, Data + 40, 8, Elf.MaximumImageBytes - 0x2000 + 1);
        Assert.False(Parse(file, out _, out _));
    }

    [Fact]
    public void FunctionAtNamesFunctionsAndLabels()
    {
        var file = new ByteFile(SmallProgram());
        Span<byte> name = stackalloc byte[64];
        Assert.True(ElfSymbols.FunctionAt(file, 0x400012, name, out int length, out ulong offset));
        Assert.Equal("hello_Hello__Main", Encoding.ASCII.GetString(name.Slice(0, length)));
        Assert.Equal(0x12UL, offset);
        Assert.True(ElfSymbols.FunctionAt(file, 0x400090, name, out length, out offset));
        Assert.Equal("cpu_halt", Encoding.ASCII.GetString(name.Slice(0, length)));
        Assert.Equal(0x10UL, offset);
        Assert.False(ElfSymbols.FunctionAt(file, 0x3FFFFF, name, out _, out _));
        Assert.True(ElfSymbols.FunctionAt(file, 0x400012, name.Slice(0, 5), out length, out _));
        Assert.Equal("hello", Encoding.ASCII.GetString(name.Slice(0, length)));     // cut at the buffer's end
    }

    public static TheoryData<string, int, int, ulong> BrokenSections => new()
    {
        { "e_shoff = 2^64 - 64", 40, 8, 0xFFFFFFFFFFFFFFC0 },
        { "e_shnum = 65535", 60, 2, 0xFFFF },
        { "e_shentsize = 0", 58, 2, 0 },
        { "symtab at 2^64 - 8", 0x3340 + 24, 8, 0xFFFFFFFFFFFFFFF8 },
        { "symtab of 2^64 - 1 bytes", 0x3340 + 32, 8, ulong.MaxValue },
        { "symtab entries of size 0", 0x3340 + 56, 8, 0 },
        { "symtab entries of size 2^64 - 1", 0x3340 + 56, 8, ulong.MaxValue },
        { "sh_link names no section", 0x3340 + 40, 4, 0xFFFFFFFF },
        { "strtab at 2^64 - 1", 0x3380 + 24, 8, ulong.MaxValue },
        { "strtab of 2^64 - 1 bytes", 0x3380 + 32, 8, ulong.MaxValue },
        { "strtab of one byte", 0x3380 + 32, 8, 1 },
        { "a name index past the table", 0x3218, 4, 0xFFFFFFF0 },
        { "a function of size 2^64 - 1", 0x3218 + 16, 8, ulong.MaxValue },
    };

    [Theory]
    [MemberData(nameof(BrokenSections))]
    public void FunctionAtSurvivesBrokenSectionHeaders(string what, int at, int size, ulong value)
    {
        byte[] bytes = SmallProgram();
        Put(bytes, at, size, value);
        Span<byte> name = stackalloc byte[64];
        bool found = ElfSymbols.FunctionAt(new ByteFile(bytes), 0x400012, name, out int length, out ulong offset);
        Assert.True(length >= 0 && length <= name.Length, what);
        if (found) Assert.True(offset <= 0x400012, what);
    }

    [Fact]
    public void TwentyThousandMutationsOfTheSmallProgram() => Mutate(SmallProgram(), 20_000, seed: 1);

    /// <summary>The real /bin/true when it has been built (make iso); skipped quietly otherwise.</summary>
    [Fact]
    public void TwentyThousandMutationsOfTrue()
    {
        string path = FindBuilt("build/user/true.elf");
        if (path == null) return;
        byte[] original = File.ReadAllBytes(path);
        Assert.True(Parse(original, out _, out string reason), reason);
        Mutate(original, 20_000, seed: 2);
    }

    private static void Mutate(byte[] original, int rounds, int seed)
    {
        var random = new Random(seed);
        ulong[] interesting = { 0, 1, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFC0, ulong.MaxValue, 1UL << 63, 1UL << 30, 0x800000000000, (ulong)original.Length };
        int sections = (int)Math.Min(Read(original, 40, 8), (ulong)original.Length - 1);
        byte[] mutant = new byte[original.Length];
        Span<byte> name = stackalloc byte[128];
        int accepted = 0;
        for (int round = 0; round < rounds; round++)
        {
            original.CopyTo(mutant, 0);
            int changes = 1 + random.Next(4);
            for (int c = 0; c < changes; c++)
            {
                int region = random.Next(4);
                int at = region < 2 ? random.Next(Math.Min(0x200, original.Length))
                       : region == 2 ? sections + random.Next(original.Length - sections)
                       : random.Next(original.Length);
                if (random.Next(2) == 0 && at + 8 <= mutant.Length) Put(mutant, at, 1 << random.Next(4), interesting[random.Next(interesting.Length)]);
                else mutant[at] = (byte)random.Next(256);
            }
            var file = new ByteFile(mutant);
            string context = $"seed {seed}, round {round}";
            bool parsed = Elf.TryParse(file, Lowest, Highest, out Elf elf, out string reason);
            Assert.True(parsed ? reason == null : reason != null, context);
            if (parsed)
            {
                accepted++;
                AssertFollowsTheRules(elf, mutant.Length, context);
            }
            ulong address = Read(mutant, 24, 8) + (ulong)random.Next(0x2000);
            if (ElfSymbols.FunctionAt(file, address, name, out int length, out ulong offset))
                Assert.True(length <= name.Length && offset <= address, context);
        }
        Assert.True(accepted > 0, "no mutant was accepted: the mutations are too coarse to test the checks");
    }

    private static void AssertFollowsTheRules(in Elf elf, int fileLength, string context)
    {
        bool entryExecutable = false;
        ulong pages = 0;
        for (int i = 0; i < elf.SegmentCount; i++)
        {
            Elf.Segment s = elf.SegmentAt(i);
            Assert.True(s.VirtualAddress >= Lowest && s.MemorySize <= Highest - s.VirtualAddress, context);
            Assert.True(s.FileSize <= s.MemorySize && s.FileOffset <= (ulong)fileLength && s.FileSize <= (ulong)fileLength - s.FileOffset, context);
            Assert.False(s.Writable && s.Executable, context);
            for (int j = 0; j < i; j++)
            {
                Elf.Segment t = elf.SegmentAt(j);
                Assert.True(s.EndPage <= t.FirstPage || t.EndPage <= s.FirstPage, context);
            }
            if (s.Executable && elf.Entry >= s.VirtualAddress && elf.Entry < s.End) entryExecutable = true;
            pages += s.EndPage - s.FirstPage;
        }
        Assert.True(entryExecutable, context);
        Assert.True(pages <= Elf.MaximumImageBytes, context);
    }

    private static ulong Read(byte[] bytes, int at, int size)
    {
        ulong value = 0;
        for (int i = size - 1; i >= 0; i--) value = value << 8 | bytes[at + i];
        return value;
    }

    private static string FindBuilt(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "TeachOS.sln")))
                return File.Exists(Path.Combine(directory.FullName, relative)) ? Path.Combine(directory.FullName, relative) : null;
        return null;
    }
}
