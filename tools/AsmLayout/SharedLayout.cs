namespace TeachOS.Tools.AsmLayout;

/// <summary>One field of a shared struct: its name in C# and its byte offset from the struct's start.</summary>
public sealed record SharedField(string Name, int Offset, int Size);

/// <summary>One integer constant of a shared type (a `const` field), such as a segment selector.</summary>
public sealed record SharedConstant(string Name, long Value);

/// <summary>
/// What the assembly may know about one C# type marked [SharedWithAssembly("PREFIX")]: for a struct its
/// fields' offsets and its size, for a class of constants their values. Names are the C# ones; the
/// writer turns them into NASM's (PREFIX_FIELD_NAME).
/// </summary>
public sealed record SharedLayout(string TypeName, string Prefix, IReadOnlyList<SharedField> Fields, int Size,
                                  IReadOnlyList<SharedConstant> Constants)
{
    public bool IsStruct => Fields.Count > 0;
}
