using Xunit;

namespace TeachOS.Tests.Analyzers
{
    public class RuntimeCompilesTests
    {
        [Fact]
        public void TheBaseLibraryCompilesInMemory() => Assert.NotNull(TeachOSRuntime.Reference);
    }
}
