using System.Runtime.InteropServices;
using TeachOS.Tools.AsmLayout;
using Xunit;

namespace TeachOS.Tests.Tools.AsmLayout;

/// <summary>
/// The generated layout.inc must say what the C# says: the offsets the reader computes from the IL are
/// the ones the .NET runtime gives the same struct, and an edit to a copy of TrapFrame.cs either moves
/// the generated offsets with it or stops the build.
/// </summary>
public class LayoutTests
{
    // The TrapFrame is the Arch layer's (kernel/Layers.txt): the layout the CPU and the stubs share.
    private const string TrapFramePath = "kernel/Arch/X64/TrapFrame.cs";

    private static SharedLayout Frame(byte[] image) => LayoutReader.Read(image).Single(l => l.Prefix == "FRAME");

    private static int RuntimeOffset(byte[] image, string typeName, string field) =>
        (int)Marshal.OffsetOf(KernelStructCompiler.Load(image).GetType(typeName, throwOnError: true)!, field);

    private const string TrapFrameTypeName = "Arch.X64.TrapFrame";

    [Fact]
    public void TheRealTrapFramesOffsetsAreTheRuntimes()
    {
        string source = KernelStructCompiler.Read(TrapFramePath);
        byte[] image = KernelStructCompiler.Compile(source);
        SharedLayout frame = Frame(image);
        Type type = KernelStructCompiler.Load(image).GetType(TrapFrameTypeName, throwOnError: true)!;

        Assert.Equal(22, frame.Fields.Count);
        foreach (SharedField field in frame.Fields)
            Assert.Equal((int)Marshal.OffsetOf(type, field.Name), field.Offset);
        Assert.Equal(Marshal.SizeOf(type), frame.Size);
    }

    [Fact]
    public void TheGeneratedFileNamesTheFramesOffsetsAndPushesItsRegistersInFieldOrder()
    {
        string source = KernelStructCompiler.Read(TrapFramePath);
        byte[] image = KernelStructCompiler.Compile(source);
        string include = IncludeWriter.Write(LayoutReader.Read(image), "test");

        int rip = RuntimeOffset(image, TrapFrameTypeName, "Rip");
        Assert.Contains($"FRAME_RIP                        equ {rip}\n", include);
        // The first field (R15, at the lowest address) is pushed last and popped first.
        string push = include[include.IndexOf("%macro FRAME_PUSH_REGISTERS", StringComparison.Ordinal)..];
        Assert.EndsWith("push r15\n", push[..push.IndexOf("%endmacro", StringComparison.Ordinal)]);
        string pop = include[include.IndexOf("%macro FRAME_POP_REGISTERS", StringComparison.Ordinal)..];
        Assert.StartsWith("%macro FRAME_POP_REGISTERS 0\n    pop r15\n", pop);
    }

    [Fact]
    public void AFieldAddedToACopyMovesTheGeneratedOffsets()
    {
        string source = KernelStructCompiler.Read(TrapFramePath)
            .Replace("public ulong ErrorCode;", "public ulong ErrorCode;\n        public ulong Extra;")
            .Replace("public const int Size = 22 * 8;", "public const int Size = 23 * 8;");
        byte[] image = KernelStructCompiler.Compile(source);
        SharedLayout frame = Frame(image);

        SharedField rip = frame.Fields.Single(f => f.Name == "Rip");
        Assert.Equal(18 * 8, rip.Offset);
        Assert.Equal(RuntimeOffset(image, TrapFrameTypeName, "Rip"), rip.Offset);
        Assert.Contains("FRAME_RIP                        equ 144\n", IncludeWriter.Write(LayoutReader.Read(image), "test"));
    }

    [Fact]
    public void AFieldAddedWithoutUpdatingTheDeclaredSizeStopsTheBuild()
    {
        string source = KernelStructCompiler.Read(TrapFramePath)
            .Replace("public ulong ErrorCode;", "public ulong ErrorCode;\n        public ulong Extra;");
        byte[] image = KernelStructCompiler.Compile(source);

        var error = Assert.Throws<InvalidDataException>(() => LayoutReader.Read(image));
        Assert.Contains("const Size is 176, the fields take 184 bytes", error.Message);
    }

    [Fact]
    public void ReorderedRegisterFieldsReorderThePushes()
    {
        string source = KernelStructCompiler.Read(TrapFramePath)
            .Replace("public ulong R15, R14, R13,", "public ulong R14, R15, R13,");
        string include = IncludeWriter.Write(LayoutReader.Read(KernelStructCompiler.Compile(source)), "test");

        Assert.Contains("    push r14\n%endmacro", include);
        Assert.Contains("%macro FRAME_POP_REGISTERS 0\n    pop r14\n    pop r15\n", include);
        Assert.Contains("FRAME_R14                        equ 0\n", include);
    }

    [Fact]
    public void AnOffsetConstantThatDisagreesWithItsFieldStopsTheBuild()
    {
        const string source = """
            using System.Runtime.InteropServices;
            using TeachOS.Boundary;
            [StructLayout(LayoutKind.Sequential), SharedWithAssembly("GS")]
            public struct PerCpu
            {
                public const int KernelStackTopOffset = 16;
                public ulong Self;
                public ulong KernelStackTop;
            }
            """;
        var error = Assert.Throws<InvalidDataException>(() => LayoutReader.Read(KernelStructCompiler.Compile(source)));
        Assert.Contains("const KernelStackTopOffset is 16, field KernelStackTop is at 8", error.Message);
    }

    [Fact]
    public void MixedFieldSizesAreLaidOutAsTheRuntimeDoes()
    {
        const string source = """
            using System.Runtime.InteropServices;
            using TeachOS.Boundary;
            [StructLayout(LayoutKind.Sequential), SharedWithAssembly("MIXED")]
            public unsafe struct Mixed { public byte A; public ulong B; public ushort C; public uint D; public void* E; public byte F; }
            """;
        byte[] image = KernelStructCompiler.Compile(source);
        SharedLayout mixed = LayoutReader.Read(image).Single();
        Type type = KernelStructCompiler.Load(image).GetType("Mixed", throwOnError: true)!;
        foreach (SharedField field in mixed.Fields)
            Assert.Equal((int)Marshal.OffsetOf(type, field.Name), field.Offset);
        Assert.Equal(Marshal.SizeOf(type), mixed.Size);
    }

    [Fact]
    public void AFieldAssemblyCannotUseIsRefused()
    {
        const string source = """
            using System.Runtime.InteropServices;
            using TeachOS.Boundary;
            [StructLayout(LayoutKind.Sequential), SharedWithAssembly("BAD")]
            public struct Bad { public ulong A; public object B; }
            """;
        var error = Assert.Throws<InvalidDataException>(() => LayoutReader.Read(KernelStructCompiler.Compile(source)));
        Assert.Contains("field B is not an integer or a pointer", error.Message);
    }

    [Fact]
    public void SelectorConstantsAreWrittenInHex()
    {
        string include = IncludeWriter.Write(LayoutReader.Read(KernelStructCompiler.Compile(
            KernelStructCompiler.Read("kernel/Arch/X64/Gdt.cs"))), "test");
        Assert.Contains("SELECTOR_USER_CODE               equ 0x23\n", include);
        Assert.Contains("SELECTOR_USER_DATA               equ 0x1B\n", include);
    }
}
