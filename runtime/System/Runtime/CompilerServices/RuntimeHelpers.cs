namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        /// <summary>Bytes from a string reference to its first character (used by <c>fixed</c>).</summary>
        public static unsafe int OffsetToStringData => sizeof(nint) + sizeof(int);

        [Intrinsic]
        public static extern void InitializeArray(Array array, RuntimeFieldHandle fieldHandle);

        [Intrinsic]
        public static extern bool IsReferenceOrContainsReferences<T>();
    }

    /// <summary>Language features this base library supports; the C# compiler checks for these names.</summary>
    public static class RuntimeFeature
    {
        public const string ByRefFields = nameof(ByRefFields);
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
        public const string NumericIntPtr = nameof(NumericIntPtr);
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
        public const string VirtualStaticsInInterfaces = nameof(VirtualStaticsInInterfaces);
        public const string CovariantReturnsOfClasses = nameof(CovariantReturnsOfClasses);
    }

    /// <summary>
    /// Runs static constructors. ilc calls this before the first use of a class whose static
    /// constructor could not be run at compile time (most simple ones are: "preinitialized statics").
    /// </summary>
    internal static class ClassConstructorRunner
    {
        private static unsafe void CheckStaticClassConstruction(ref StaticClassConstructionContext context)
        {
            // Clear the pointer first, so a constructor that touches its own class does not run twice.
            nint constructor = context.ConstructorAddress;
            if (constructor == 0) return;
            context.ConstructorAddress = 0;
            ((delegate*<void>)constructor)();
        }

        private static nint CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, nint nonGcStaticBase)
        {
            CheckStaticClassConstruction(ref context);
            return nonGcStaticBase;
        }

        private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
        {
            CheckStaticClassConstruction(ref context);
            return gcStaticBase;
        }
    }

    /// <summary>The compiler's record of a static constructor that has not run yet (its address, or 0).</summary>
    public struct StaticClassConstructionContext
    {
        public nint ConstructorAddress;
    }
}
