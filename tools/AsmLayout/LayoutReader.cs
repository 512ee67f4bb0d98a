using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TeachOS.Tools.AsmLayout;

/// <summary>
/// Reads the layouts of the [SharedWithAssembly] types from a compiled assembly's metadata (ECMA-335
/// II.22), without loading or running it: the kernel's IL targets its own base library, which the host
/// cannot load. Offsets are computed the way the runtime lays out a sequential struct (ECMA-335
/// II.10.7): each field at the next multiple of its own size, the whole rounded up to the largest.
/// Only what assembly can use is accepted: integers and pointers. Anything else is an error, not a guess.
/// </summary>
public static class LayoutReader
{
    public const string AttributeName = "SharedWithAssemblyAttribute";

    public static IReadOnlyList<SharedLayout> Read(string assemblyPath) => Read(File.ReadAllBytes(assemblyPath));

    public static IReadOnlyList<SharedLayout> Read(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        MetadataReader metadata = pe.GetMetadataReader();
        var layouts = new List<SharedLayout>();
        foreach (TypeDefinitionHandle handle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            string? prefix = SharedPrefix(metadata, type);
            if (prefix != null) layouts.Add(ReadType(metadata, type, prefix));
        }
        layouts.Sort((a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
        return layouts;
    }

    private static string? SharedPrefix(MetadataReader metadata, TypeDefinition type)
    {
        foreach (CustomAttributeHandle handle in type.GetCustomAttributes())
        {
            CustomAttribute attribute = metadata.GetCustomAttribute(handle);
            if (AttributeTypeName(metadata, attribute) != AttributeName) continue;
            CustomAttributeValue<string> value = attribute.DecodeValue(new AttributeArgumentDecoder());
            return (string?)value.FixedArguments[0].Value ?? throw Error(metadata, type, "the prefix is null");
        }
        return null;
    }

    private static string AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
    {
        EntityHandle typeHandle = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return typeHandle.Kind switch
        {
            HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)typeHandle).Name),
            HandleKind.TypeDefinition => metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)typeHandle).Name),
            _ => "",
        };
    }

    private static SharedLayout ReadType(MetadataReader metadata, TypeDefinition type, string prefix)
    {
        TypeAttributes layoutKind = type.Attributes & TypeAttributes.LayoutMask;
        TypeLayout declared = type.GetLayout();
        var fields = new List<SharedField>();
        var constants = new List<SharedConstant>();
        int offset = 0, alignment = 1;
        foreach (FieldDefinitionHandle handle in type.GetFields())
        {
            FieldDefinition field = metadata.GetFieldDefinition(handle);
            string name = metadata.GetString(field.Name);
            if ((field.Attributes & FieldAttributes.Literal) != 0)
            {
                if (ConstantValue(metadata, field.GetDefaultValue()) is long value) constants.Add(new SharedConstant(name, value));
                continue;
            }
            if ((field.Attributes & FieldAttributes.Static) != 0) continue;

            int size = field.DecodeSignature(new FieldSizeDecoder(), null);
            if (size <= 0) throw Error(metadata, type, $"field {name} is not an integer or a pointer");
            if (layoutKind == TypeAttributes.ExplicitLayout) offset = field.GetOffset();
            else if (layoutKind == TypeAttributes.SequentialLayout) offset = Align(offset, Math.Min(size, PackOf(declared)));
            else throw Error(metadata, type, "a shared struct needs [StructLayout(LayoutKind.Sequential)] or Explicit");
            fields.Add(new SharedField(name, offset, size));
            offset += size;
            alignment = Math.Max(alignment, Math.Min(size, PackOf(declared)));
        }
        int total = fields.Count == 0 ? 0 : Math.Max(Align(fields.Max(f => f.Offset + f.Size), alignment), declared.Size);
        var layout = new SharedLayout(FullName(metadata, type), prefix, fields, total, constants);
        CheckDeclaredOffsets(metadata, type, layout);
        return layout;
    }

    /// <summary>
    /// A struct may state offsets for its C# users as constants (`const int SizeOf`, `XxxOffset`):
    /// they must agree with the layout, or the C# and the assembly would disagree after all.
    /// </summary>
    private static void CheckDeclaredOffsets(MetadataReader metadata, TypeDefinition type, SharedLayout layout)
    {
        if (!layout.IsStruct) return;
        foreach (SharedConstant constant in layout.Constants)
        {
            if (constant.Name == "Size" && constant.Value != layout.Size)
                throw Error(metadata, type, $"const Size is {constant.Value}, the fields take {layout.Size} bytes");
            if (!constant.Name.EndsWith("Offset", StringComparison.Ordinal)) continue;
            string fieldName = constant.Name[..^"Offset".Length];
            SharedField? field = layout.Fields.FirstOrDefault(f => f.Name == fieldName);
            if (field != null && field.Offset != constant.Value)
                throw Error(metadata, type, $"const {constant.Name} is {constant.Value}, field {fieldName} is at {field.Offset}");
        }
    }

    private static int PackOf(TypeLayout layout) => layout.PackingSize == 0 ? 8 : layout.PackingSize;

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static long? ConstantValue(MetadataReader metadata, ConstantHandle handle)
    {
        if (handle.IsNil) return null;
        Constant constant = metadata.GetConstant(handle);
        BlobReader blob = metadata.GetBlobReader(constant.Value);
        return constant.TypeCode switch
        {
            ConstantTypeCode.SByte => blob.ReadSByte(),
            ConstantTypeCode.Byte => blob.ReadByte(),
            ConstantTypeCode.Int16 => blob.ReadInt16(),
            ConstantTypeCode.UInt16 => blob.ReadUInt16(),
            ConstantTypeCode.Int32 => blob.ReadInt32(),
            ConstantTypeCode.UInt32 => blob.ReadUInt32(),
            ConstantTypeCode.Int64 => blob.ReadInt64(),
            ConstantTypeCode.UInt64 => (long)blob.ReadUInt64(),
            _ => null,
        };
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
    {
        string name = metadata.GetString(type.Name);
        if (type.IsNested) return FullName(metadata, metadata.GetTypeDefinition(type.GetDeclaringType())) + "." + name;
        string ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static InvalidDataException Error(MetadataReader metadata, TypeDefinition type, string message) =>
        new($"{FullName(metadata, type)}: {message}");

    /// <summary>A field's size from its signature: integers and pointers only; 0 for anything else.</summary>
    private sealed class FieldSizeDecoder : ISignatureTypeProvider<int, object?>
    {
        public int GetPrimitiveType(PrimitiveTypeCode code) => code switch
        {
            PrimitiveTypeCode.Boolean or PrimitiveTypeCode.Byte or PrimitiveTypeCode.SByte => 1,
            PrimitiveTypeCode.Int16 or PrimitiveTypeCode.UInt16 or PrimitiveTypeCode.Char => 2,
            PrimitiveTypeCode.Int32 or PrimitiveTypeCode.UInt32 => 4,
            PrimitiveTypeCode.Int64 or PrimitiveTypeCode.UInt64 or PrimitiveTypeCode.IntPtr or PrimitiveTypeCode.UIntPtr => 8,
            _ => 0,
        };
        public int GetPointerType(int elementType) => 8;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 8;
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetGenericMethodParameter(object? context, int index) => 0;
        public int GetGenericTypeParameter(object? context, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => unmodifiedType;
        public int GetPinnedType(int elementType) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => 0;
    }

    /// <summary>Decodes the attribute's one argument, a string; it has no enum or type arguments.</summary>
    private sealed class AttributeArgumentDecoder : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode code) => code.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => "";
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => "";
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => throw new BadImageFormatException("no enums expected");
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
