namespace TeachOS.Fuzzing
{
    /// <summary>What an argument is, as the fuzzer chose it: the kind says how to make the register's value.</summary>
    public enum ArgumentKind
    {
        Number,          // the value itself
        Buffer,          // the fuzzer's buffer + value (FuzzMemory): mapped, writable, its own
        Kernel,          // the kernel's half + value: present, but supervisor-only
        NonCanonical,    // past the end of user space: no such address on x86-64
        Unmapped,        // in user space, nothing mapped there
        Code,            // the program's own code: mapped, read-only
        Text,            // string number value (FuzzMemory.Texts)
        ArgumentList,    // spawn argument list number value
        ThreadEntry,     // where a new thread starts (the user library's thread start)
        ThreadStack,     // the top of thread stack slot value
        ThreadBody,      // the function a new thread runs
        OwnPid,          // this process's pid + value (its children, mostly)
        OwnThread,       // the id of this process's thread number value (0: main)
    }

    /// <summary>One chosen argument; <see cref="Value"/> is the number, or the kind's parameter.</summary>
    public struct Argument
    {
        public ArgumentKind Kind;
        public ulong Value;

        public Argument(ArgumentKind kind, ulong value)
        {
            Kind = kind;
            Value = value;
        }

        public static Argument Of(long value) => new Argument(ArgumentKind.Number, (ulong)value);
    }

    /// <summary>The pools the arguments are drawn from: the values that break kernels.</summary>
    public static class ArgumentPools
    {
        /// <summary>Boundaries: zero, one, sign changes, 32-bit edges, page sizes, the extremes.</summary>
        public static readonly long[] Edges =
        {
            0, 1, 2, 3, 7, 8, 15, 16, 255, 256, 4095, 4096, 4097, 8192, 65536, 1 << 20, -1, -2, -4096,
            int.MaxValue, int.MinValue, uint.MaxValue, 1L << 32, (1L << 32) + 1, 1L << 47, long.MaxValue, long.MinValue,
        };

        /// <summary>Offsets into the buffer: its start, odd ones, across the page boundary, at and past its end.</summary>
        public static readonly long[] BufferOffsets =
        {
            0, 1, 7, 4093, 4095, 4096, FuzzMemory.BufferSize - 8, FuzzMemory.BufferSize - 1, FuzzMemory.BufferSize,
        };

        public static Argument AnyNumber(ref SplitMix random)
        {
            switch (random.Below(4))
            {
                case 0: return Argument.Of(random.Below(64));
                case 1: return Argument.Of((long)random.Next());
                default: return Argument.Of(Edges[random.Below(Edges.Length)]);
            }
        }

        /// <summary>A pointer the kernel may read or write through: its own buffer or something it must refuse.</summary>
        public static Argument Pointer(ref SplitMix random)
        {
            switch (random.Below(10))
            {
                case 0: case 1: case 2: return new Argument(ArgumentKind.Buffer, (ulong)BufferOffsets[random.Below(BufferOffsets.Length)]);
                case 3: return new Argument(ArgumentKind.Buffer, (ulong)random.Below(FuzzMemory.BufferSize));
                case 4: return new Argument(ArgumentKind.Kernel, random.OneIn(2) ? 0 : (ulong)random.Below(1 << 30) * 8);
                case 5: return new Argument(ArgumentKind.NonCanonical, (ulong)random.Below(4096));
                case 6: return new Argument(ArgumentKind.Unmapped, (ulong)random.Below(1 << 20));
                case 7: return new Argument(ArgumentKind.Code, 0);
                case 8: return Argument.Of(random.OneIn(2) ? 0 : -1);
                default: return AnyNumber(ref random);
            }
        }

        public static Argument Length(ref SplitMix random) =>
            random.OneIn(3) ? Argument.Of(random.Below(64)) : Argument.Of(Edges[random.Below(Edges.Length)]);

        public static Argument Descriptor(ref SplitMix random) =>
            random.Below(4) != 0 ? Argument.Of(random.Below(10)) : AnyNumber(ref random);

        /// <summary>A path or a name: one of the texts (mostly), or a bad pointer.</summary>
        public static Argument Text(ref SplitMix random, int firstTexts = 0)
        {
            if (random.Below(4) == 0) return Pointer(ref random);
            int count = firstTexts == 0 ? FuzzMemory.Texts.Length : firstTexts;
            int text = random.Below(count);
            return new Argument(ArgumentKind.Text, KnownBugs.TextSkipped(text) ? 0UL : (ulong)text);
        }

        public static Argument ArgumentList(ref SplitMix random)
        {
            if (random.OneIn(5)) return Pointer(ref random);
            int list = random.Below(FuzzMemory.ListCount);
            return new Argument(ArgumentKind.ArgumentList, KnownBugs.ListSkipped(list) ? 0UL : (ulong)list);
        }
    }
}
