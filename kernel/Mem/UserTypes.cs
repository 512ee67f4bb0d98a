namespace Mem
{
    // What a syscall receives from a user program is numbers. Some of those numbers are addresses in
    // the program's memory, and the kernel must never use them as pointers: the program chooses them,
    // so one could point into the kernel, at an unmapped page, or at memory the program may only read.
    // These types carry such addresses through the kernel without making them usable as pointers; the
    // only way to the bytes is Mem/UserMemory.cs, which checks every page first.

    /// <summary>A user-space address of one <typeparamref name="T"/> (a struct the syscall reads or fills).</summary>
    public readonly struct UserPointer<T> where T : unmanaged
    {
        public readonly ulong Address;
        public UserPointer(ulong address) => Address = address;
        public bool IsNull => Address == 0;
    }

    /// <summary>A user-space byte range: a buffer to read into or write from.</summary>
    public readonly struct UserBuffer
    {
        public readonly ulong Address;
        public readonly ulong Length;

        public UserBuffer(ulong address, ulong length)
        {
            Address = address;
            Length = length;
        }

        public UserBuffer Slice(ulong offset, ulong length) => new UserBuffer(Address + offset, length);
    }

    /// <summary>A user-space, NUL-terminated ASCII string (a path, an argument).</summary>
    public readonly struct UserString
    {
        public readonly ulong Address;
        public UserString(ulong address) => Address = address;
    }
}
