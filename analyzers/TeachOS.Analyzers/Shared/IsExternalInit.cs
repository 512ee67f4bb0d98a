namespace System.Runtime.CompilerServices
{
    // netstandard2.0 predates C# 9: records and init-only setters need this one empty type, which
    // newer frameworks provide. Declaring it ourselves lets the compiler use them here.
    internal static class IsExternalInit { }
}
