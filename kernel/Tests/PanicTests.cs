using System;
using System.Runtime.CompilerServices;

namespace Tests
{
    /// <summary>
    /// Deliberate kernel bugs. Each must end in a panic report naming what went wrong and, in its
    /// backtrace, the method below. The host tests (tests/Integration/PanicTests.cs) check the report.
    /// </summary>
    public static class PanicTests
    {
        private static int[] s_numbers = new int[4];

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void IndexOutOfRange()
        {
            int index = s_numbers.Length + 3;      // computed at run time, so the compiler cannot object
            s_numbers[index] = 1;
        }

        private class Animal { }
        private sealed class Dog : Animal { }
        private sealed class Cat : Animal { }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Animal MakeCat() => new Cat();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void InvalidCast()
        {
            Dog dog = (Dog)MakeCat();
            KernelTestRunner.Check(dog != null, "unreachable");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void ExplicitThrow() =>
            throw new InvalidOperationException("deliberate exception from PanicTests.ExplicitThrow");
    }
}
