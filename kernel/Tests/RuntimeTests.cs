using System;
using System.Runtime.CompilerServices;
using Diagnostics;
using Mem;
using static Tests.KernelTestRunner;

namespace Tests
{
    /// <summary>The base library at work inside the kernel: each test exercises one language feature.</summary>
    public static unsafe class RuntimeTests
    {
        public static void Strings()
        {
            string hello = "Hello";
            string greeting = hello + ", " + "TeachOS";
            CheckEqual("Hello, TeachOS", greeting, "concatenation");
            CheckEqual(14, greeting.Length, "length");
            Check(greeting[7] == 'T', "indexer");
            Check(greeting == string.Concat("Hello, ", "TeachOS"), "equality compares characters");
            CheckEqual("Teach", greeting.Substring(7, 5), "substring");
            Check(greeting.StartsWith("Hello") && greeting.EndsWith("OS"), "prefix and suffix");
            CheckEqual(5, greeting.IndexOf(','), "IndexOf");
            string[] words = "  init=/bin/sh   test=all ".Split(' ', StringSplitOptions.RemoveEmptyEntries);
            CheckEqual(2, words.Length, "split drops empty words");
            CheckEqual("test=all", words[1], "split keeps the words");
            CheckEqual(3, "a,,b".Split(',').Length, "split keeps empty pieces by default");
            CheckEqual("abc", "  abc \n".Trim(), "trim");
            int letters = 0;
            foreach (char c in greeting) if (char.IsLetter(c)) letters++;
            CheckEqual(12, letters, "foreach over a string");
        }

        public static void Formatting()
        {
            CheckEqual("0", 0.ToString(), "zero");
            CheckEqual("-42", (-42).ToString(), "negative");
            CheckEqual("-9223372036854775808", long.MinValue.ToString(), "long.MinValue");
            CheckEqual("18446744073709551615", ulong.MaxValue.ToString(), "ulong.MaxValue");
            CheckEqual("ff", 255.ToString("x"), "hex");
            CheckEqual("000000FF", 255.ToString("X8"), "padded upper-case hex");
            CheckEqual("n = 7", "n = " + 7, "string + int");
            Check(int.TryParse("-123", out int parsed) && parsed == -123, "parse decimal");
            Check(int.TryParse("0x1F", out parsed) && parsed == 31, "parse hex");
            Check(!int.TryParse("12a", out parsed), "reject junk");
            Check(!int.TryParse("99999999999", out parsed), "reject overflow");
        }

        public static void Arrays()
        {
            int[] squares = new int[10];
            for (int i = 0; i < squares.Length; i++) squares[i] = i * i;
            CheckEqual(81, squares[9], "element write and read");
            int sum = 0;
            foreach (int square in squares) sum += square;
            CheckEqual(285, sum, "foreach over an array");
            int[] copy = new int[3];
            Array.Copy(squares, 4, copy, 0, 3);
            CheckEqual(36, copy[2], "Array.Copy");
            Array.Resize(ref copy, 5);
            CheckEqual(5, copy.Length, "Array.Resize");
            CheckEqual(16, copy[0], "Array.Resize keeps elements");
            string[] names = { "init", "sh" };
            CheckEqual("sh", names[1], "array of strings");
        }

        public static void Spans()
        {
            Span<byte> buffer = stackalloc byte[16];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)i;
            Span<byte> middle = buffer.Slice(4, 8);
            CheckEqual(8, middle.Length, "slice length");
            CheckEqual(4, middle[0], "slice start");
            middle.Fill(0xAA);
            CheckEqual(0xAA, buffer[11], "slice writes through");
            CheckEqual(12, buffer[12], "slice ends where it should");
            ReadOnlySpan<char> text = "kernel".AsSpan(2, 3);
            Check(text.SequenceEqual("rne"), "span of a string");
            int total = 0;
            foreach (byte b in buffer.Slice(0, 4)) total += b;
            CheckEqual(6, total, "foreach over a span");
        }

        private abstract class Shape
        {
            public abstract int Area();
            public virtual string Kind => "shape";
        }

        private class Rectangle : Shape
        {
            public int Width, Height;
            public override int Area() => Width * Height;
            public override string Kind => "rectangle";
        }

        private sealed class Square : Rectangle
        {
            public Square(int side) { Width = side; Height = side; }
            public override string Kind => "square";
        }

        private sealed class Circle : Shape
        {
            public int Radius;
            public override int Area() => 3 * Radius * Radius;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Shape[] MakeShapes() => new Shape[] { new Rectangle { Width = 2, Height = 3 }, new Square(4), new Circle { Radius = 1 } };

        public static void VirtualDispatch()
        {
            Shape[] shapes = MakeShapes();
            int total = 0;
            foreach (Shape shape in shapes) total += shape.Area();
            CheckEqual(6 + 16 + 3, total, "abstract method overridden in each class");
            CheckEqual("square", shapes[1].Kind, "override of an override");
            CheckEqual("shape", shapes[2].Kind, "inherited virtual");
            CheckEqual("object", new object().ToString(), "object.ToString");
            CheckEqual("12", ((object)12).ToString(), "boxed int's ToString");
        }

        private interface ICounter
        {
            int Next();
            int Current { get; }
        }

        private sealed class StepCounter : ICounter
        {
            private int _value;
            public int Step = 1;
            public int Next() => _value += Step;
            public int Current => _value;
        }

        private class BaseCounter : ICounter
        {
            protected int Value;
            public virtual int Next() => ++Value;
            public int Current => Value;
        }

        private sealed class DoubleCounter : BaseCounter
        {
            public override int Next() => Value += 2;
        }

        private struct ValueCounter : ICounter
        {
            private int _value;
            public int Next() => ++_value;
            public int Current => _value;
        }

        private sealed class ExplicitCounter : ICounter
        {
            private int _value = 100;
            int ICounter.Next() => --_value;
            int ICounter.Current => _value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ICounter[] MakeCounters() => new ICounter[]
        {
            new StepCounter { Step = 5 }, new BaseCounter(), new DoubleCounter(), new ValueCounter(), new ExplicitCounter(),
        };

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Advance(ICounter counter, int times)
        {
            for (int i = 0; i < times; i++) counter.Next();
            return counter.Current;
        }

        public static void InterfaceDispatch()
        {
            ICounter[] counters = MakeCounters();
            CheckEqual(15, Advance(counters[0], 3), "sealed class implementing an interface");
            CheckEqual(3, Advance(counters[1], 3), "virtual implementation in a base class");
            CheckEqual(6, Advance(counters[2], 3), "implementation overridden in a subclass");
            CheckEqual(3, Advance(counters[3], 3), "boxed struct");
            CheckEqual(97, Advance(counters[4], 3), "explicit interface implementation");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static object Box(object value) => value;

        public static void Casts()
        {
            object square = Box(new Square(2));
            Check(square is Shape, "is: base class");
            Check(square is Rectangle, "is: direct base");
            Check(!(square is Circle), "is: unrelated class");
            Check(square as Circle == null, "as: unrelated class gives null");
            Check(Box(new StepCounter()) is ICounter, "is: interface");
            Check(!(square is ICounter), "is: interface not implemented");
            Check(Box("text") is string, "is: string");
            Check(Box(new string[1]) is object[], "array covariance");
            CheckEqual(4, ((Rectangle)square).Area(), "downcast");
            CheckEqual(42, (int)Box(42), "unboxing");
        }

        private static int s_computedAtCompileTime = 6 * 7;
        private static readonly string s_greeting = "preinitialized";
        private static int s_constructorRuns;

        private static class Lazy
        {
            public static readonly int[] Table = MakeTable();

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static int[] MakeTable()
            {
                s_constructorRuns++;
                int[] table = new int[4];
                for (int i = 0; i < table.Length; i++) table[i] = i * 10;
                return table;
            }
        }

        public static void Statics()
        {
            CheckEqual(42, s_computedAtCompileTime, "preinitialized int static");
            CheckEqual("preinitialized", s_greeting, "preinitialized string static");
            CheckEqual(0, s_constructorRuns, "static constructor not run before first use");
            CheckEqual(30, Lazy.Table[3], "static constructor result");
            CheckEqual(1, s_constructorRuns, "static constructor ran once");
            CheckEqual(20, Lazy.Table[2], "static constructor not run again");
            CheckEqual(1, s_constructorRuns, "static constructor still ran once");
        }

        public static void Heap()
        {
            ulong before = KernelHeap.BytesInUse;
            void* block = KernelHeap.Allocate(100);
            Check(KernelHeap.BytesInUse >= before + 100, "allocation is counted");
            Check(((ulong)block & 15) == 0, "blocks are 16-byte aligned");
            KernelHeap.Free(block);
            CheckEqual((long)before, (long)KernelHeap.BytesInUse, "free gives the bytes back");
            void* again = KernelHeap.Allocate(100);
            // The debugging heap keeps freed blocks in quarantine (Mem/Quarantine.cs) instead.
            Check(HeapDebug.Enabled ? again != block : again == block, "a freed block is reused (at once only without debug-heap)");
            KernelHeap.Free(again);

            void* large = KernelHeap.Allocate(100000);
            ((byte*)large)[99999] = 1;
            KernelHeap.Free(large);
            void* largeAgain = KernelHeap.Allocate(90000);
            Check(((byte*)largeAgain)[89999] == 0, "a large block is zeroed");
            KernelHeap.Free(largeAgain);

            object obj = new Square(3);
            ulong withObject = KernelHeap.BytesInUse;
            KernelHeap.Free(obj);
            Check(KernelHeap.BytesInUse < withObject, "objects can be freed explicitly");
        }

        public static void Symbols()
        {
            Check(SymbolTable.IsAvailable, "the kernel has a symbol table");
            ulong address = SymbolTable.AddressOfName("Kernel_Tests_RuntimeTests__Symbols");
            Check(address != 0, "this method is in the symbol table");
            long index = SymbolTable.Find(address + 3);
            Check(index >= 0 && SymbolTable.AddressOf(index) == address, "an address inside a method finds that method");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CountFramesTo(ulong target, int depth)
        {
            if (depth > 0) return CountFramesTo(target, depth - 1) + 0;
            UnwindRegisters registers;
            Backtrace.CaptureCallerRegisters(&registers);
            for (int frame = 0; frame < 16; frame++)
            {
                long symbol = SymbolTable.Find(registers.Rip - 1);
                if (symbol >= 0 && SymbolTable.AddressOf(symbol) == target) return frame;
                if (!Backtrace.Step(ref registers, registers.Rip - 1)) return -1;
            }
            return -1;
        }

        public static void BacktraceWalk()
        {
            ulong self = SymbolTable.AddressOfName("Kernel_Tests_RuntimeTests__BacktraceWalk");
            int frames = CountFramesTo(self, 3);
            CheckEqual(4, frames, "unwinding through four frames reaches the caller");
        }
    }
}
