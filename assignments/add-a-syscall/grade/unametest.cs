using TeachOS;

/// <summary>
/// unametest: the grader's own test of uname (docs/assignments/add-a-syscall.md), syscall 26, called
/// through Sys.Call since the stub Sys.Uname exists only once the student declares it. The
/// handout's usertests case is the student's; this one checks the same contract from outside, at
/// its boundaries: the result is the name's length, a buffer of exactly that length is enough, one
/// byte less is -EINVAL with nothing written, and a kernel address is -EFAULT.
/// </summary>
public static unsafe class UnameTest
{
    private const long UnameNumber = 26;
    private const int BufferSize = 64;
    private const byte Untouched = 0xAB;

    private static long Uname(byte* buffer, int length) => Sys.Call(UnameNumber, (ulong)buffer, (ulong)length);

    public static int Main(string[] args) => Grade.Run(args, new[]
    {
        new GradePart { Name = "returns-length", Body = &ReturnsTheLength },
        new GradePart { Name = "boundaries", Body = &Boundaries },
        new GradePart { Name = "bad-pointers", Body = &BadPointers },
    });

    /// <summary>Uname into a 64-byte buffer: its result, and the name if it wrote just the name.</summary>
    private static long NameLength(byte* buffer, out string name)
    {
        Fill(buffer);
        long length = Uname(buffer, BufferSize);
        name = length > 0 && length < BufferSize ? string.FromAscii(buffer, (int)length) : "";
        if (!name.StartsWith("TeachOS ") || buffer[length] != Untouched) name = "";
        return length;
    }

    private static void ReturnsTheLength()
    {
        byte* buffer = stackalloc byte[BufferSize];
        long length = NameLength(buffer, out string name);
        Grade.Check("uname-returns-length", name.Length > 0,
            "uname into 64 bytes should return the length of \"TeachOS VERSION\" and write just that; returned " +
            Grade.Describe(length) + (name.Length > 0 ? ", the buffer holds \"" + name + "\"" : ""));
    }

    private static void Boundaries()
    {
        byte* buffer = stackalloc byte[BufferSize];
        long length = NameLength(buffer, out string name);
        if (name.Length == 0) length = 13;                 // "TeachOS 0.1.0": the boundaries can still be tried
        Fill(buffer);
        long exact = Uname(buffer, (int)length);
        Fill(buffer);
        long tooSmall = Uname(buffer, (int)length - 1);
        bool leftAlone = true;
        for (int i = 0; i < BufferSize; i++) leftAlone &= buffer[i] == Untouched;
        Grade.Check("uname-boundaries", exact == length && tooSmall == -Abi.Errno.EINVAL && leftAlone,
            "a buffer of exactly " + length + " bytes gave " + Grade.Describe(exact) + " (should be " + length +
            "); one byte less gave " + Grade.Describe(tooSmall) + " (should be -EINVAL) and " +
            (leftAlone ? "wrote nothing" : "wrote into the buffer"));
    }

    private static void BadPointers()
    {
        long kernel = Sys.Call(UnameNumber, BadAddresses.KernelAddress, BufferSize);
        long unmapped = Sys.Call(UnameNumber, BadAddresses.UnmappedAddress, BufferSize);
        Grade.Check("uname-bad-pointers", kernel == -Abi.Errno.EFAULT && unmapped == -Abi.Errno.EFAULT,
            "uname into a kernel address gave " + Grade.Describe(kernel) + " and into an unmapped one " +
            Grade.Describe(unmapped) + "; both should be -EFAULT");
    }

    private static void Fill(byte* buffer)
    {
        for (int i = 0; i < BufferSize; i++) buffer[i] = Untouched;
    }
}
