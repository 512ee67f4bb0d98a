using System;
using Arch.X64;
using TeachOS.Boundary;

namespace Mem
{
    /// <summary>
    /// The one place the kernel touches user memory. Every copy checks, page by page, in the process's
    /// own page tables, that the page is present and user-accessible (and writable, when the kernel
    /// writes to it), and that the whole range lies in user space. A page that is not mapped yet may
    /// be a lazy one the program never touched (a fresh sbrk buffer handed to `read`): the process
    /// layer is asked to map it, as the program's own first touch would (Mem/DemandPaging.cs). If
    /// anything still fails the copy fails, and the syscall returns -EFAULT: a bad pointer is the
    /// program's error, never a kernel fault.
    /// The bytes themselves are reached through the direct map (the frame's kernel address), so the
    /// kernel never follows the user's address at all; with SMAP on (Mem/KernelAddressSpace.cs), a
    /// stray dereference of a user address elsewhere in the kernel faults at once.
    /// </summary>
    [UserCopyLayer]
    public static unsafe class UserMemory
    {
        public const int MaximumStringLength = 255;

        /// <summary>Copies the first <paramref name="destination"/>.Length bytes of a user buffer in.</summary>
        public static bool CopyIn(AddressSpace space, UserBuffer source, Span<byte> destination) =>
            (ulong)destination.Length <= source.Length && CopyIn(space, source.Address, destination);

        /// <summary>Copies <paramref name="source"/> into the start of a user buffer, which must be writable.</summary>
        public static bool CopyOut(AddressSpace space, UserBuffer destination, ReadOnlySpan<byte> source) =>
            (ulong)source.Length <= destination.Length && CopyOut(space, destination.Address, source);

        /// <summary>True if the whole buffer lies in user space (its pages may still be unmapped).</summary>
        public static bool InUserSpace(UserBuffer buffer) => InUserSpace(buffer.Address, buffer.Length);

        /// <summary>Element <paramref name="index"/> of a user array whose first element is at <paramref name="array"/>.</summary>
        public static UserPointer<T> Element<T>(UserPointer<T> array, int index) where T : unmanaged =>
            new UserPointer<T>(array.Address + (ulong)index * (ulong)sizeof(T));

        private static bool CopyIn(AddressSpace space, ulong userAddress, Span<byte> destination)
        {
            ulong length = (ulong)destination.Length;
            if (!InUserSpace(userAddress, length)) return false;
            // The lock keeps another thread of the process from unmapping a page mid-copy.
            bool flags = space.Lock.Acquire();
            bool ok = true;
            for (ulong done = 0; done < length && ok;)
            {
                byte* source = KernelAddressOf(space, userAddress + done, write: false);
                ok = source != null;
                if (!ok) break;
                ulong chunk = ChunkLength(userAddress + done, length - done);
                for (ulong i = 0; i < chunk; i++) destination[(int)(done + i)] = source[i];
                done += chunk;
            }
            space.Lock.Release(flags);
            return ok;
        }

        private static bool CopyOut(AddressSpace space, ulong userAddress, ReadOnlySpan<byte> source)
        {
            ulong length = (ulong)source.Length;
            if (!InUserSpace(userAddress, length)) return false;
            bool flags = space.Lock.Acquire();
            // Check every page before writing any, so a failed copy changes nothing.
            bool ok = true;
            for (ulong page = userAddress & ~(PageTables.PageSize - 1); page < userAddress + length && ok; page += PageTables.PageSize)
                ok = KernelAddressOf(space, page, write: true) != null;
            for (ulong done = 0; done < length && ok;)
            {
                byte* target = KernelAddressOf(space, userAddress + done, write: true);
                ulong chunk = ChunkLength(userAddress + done, length - done);
                for (ulong i = 0; i < chunk; i++) target[i] = source[(int)(done + i)];
                done += chunk;
            }
            space.Lock.Release(flags);
            return ok;
        }

        public static bool Read<T>(AddressSpace space, UserPointer<T> pointer, out T value) where T : unmanaged
        {
            T copy = default;
            bool ok = CopyIn(space, pointer.Address, new Span<byte>(&copy, sizeof(T)));
            value = copy;
            return ok;
        }

        public static bool Write<T>(AddressSpace space, UserPointer<T> pointer, T value) where T : unmanaged =>
            CopyOut(space, pointer.Address, new ReadOnlySpan<byte>(&value, sizeof(T)));

        /// <summary>
        /// Reads one 8-byte word of user memory from an interrupt handler (the profiler's walk of a user
        /// stack, Sched/Profiler.cs): it never waits for the lock (another CPU may hold it, and a handler
        /// must not spin) and never maps a lazy page (that allocates); it only reads a word already there.
        /// The caller has interrupts off, so the lock cannot be this CPU's own.
        /// </summary>
        [InterruptContext]
        public static bool TryReadMappedWord(AddressSpace space, ulong userAddress, out ulong value)
        {
            value = 0;
            if ((userAddress & 7) != 0 || !InUserSpace(userAddress, 8)) return false;
            if (!space.Lock.TryAcquireWithoutWaiting()) return false;
            ulong entry = space.EntryFor(userAddress);
            bool ok = Allows(entry, write: false);
            if (ok) value = *(ulong*)DirectMap.ToVirtual((entry & PageTables.AddressMask) + (userAddress & (PageTables.PageSize - 1)));
            space.Lock.ReleaseKeepingInterrupts();
            return ok;
        }

        /// <summary>
        /// Copies a NUL-terminated string into <paramref name="buffer"/>; returns its length, -EFAULT,
        /// or -ENAMETOOLONG if no NUL comes within the buffer.
        /// </summary>
        public static long CopyInString(AddressSpace space, UserString text, Span<byte> buffer)
        {
            bool flags = space.Lock.Acquire();
            long result = -Abi.Errno.ENAMETOOLONG;
            for (int i = 0; i < buffer.Length; i++)
            {
                byte* source = InUserSpace(text.Address + (ulong)i, 1) ? KernelAddressOf(space, text.Address + (ulong)i, write: false) : null;
                if (source == null) { result = -Abi.Errno.EFAULT; break; }
                buffer[i] = *source;
                if (*source == 0) { result = i; break; }
            }
            space.Lock.Release(flags);
            return result;
        }

        /// <summary>
        /// A user string as a new kernel string, or null (with the errno in <paramref name="error"/>).
        /// Always a fresh copy, even when empty: the caller owns it and frees it.
        /// </summary>
        public static string ReadString(AddressSpace space, UserString text, out long error)
        {
            byte* buffer = stackalloc byte[MaximumStringLength + 1];
            long length = CopyInString(space, text, new Span<byte>(buffer, MaximumStringLength + 1));
            error = length < 0 ? length : 0;
            return length < 0 ? null : string.CopyFromAscii(new ReadOnlySpan<byte>(buffer, (int)length));
        }

        // True if [address, address + length) is inside user space (and does not wrap around).
        private static bool InUserSpace(ulong address, ulong length) =>
            address >= AddressSpace.UserStart && address <= AddressSpace.UserEnd && length <= AddressSpace.UserEnd - address;

        // The kernel's address for one user byte, if the page allows the access (after the process layer
        // had its chance to map a lazy page there); else null. Lock held.
        private static byte* KernelAddressOf(AddressSpace space, ulong userAddress, bool write)
        {
            ulong entry = space.EntryFor(userAddress);
            if (!Allows(entry, write) && DemandPaging.Registered != null && DemandPaging.Registered.TryResolveLocked(space, userAddress, write))
                entry = space.EntryFor(userAddress);
            if (!Allows(entry, write)) return null;
            ulong physical = (entry & PageTables.AddressMask) + (userAddress & (PageTables.PageSize - 1));
            return (byte*)DirectMap.ToVirtual(physical);
        }

        private static bool Allows(ulong entry, bool write) =>
            (entry & PageTables.Present) != 0 && (entry & PageTables.User) != 0 && (!write || (entry & PageTables.Writable) != 0);

        // How many bytes from `address` stay on its page, at most `left`.
        private static ulong ChunkLength(ulong address, ulong left)
        {
            ulong toPageEnd = PageTables.PageSize - (address & (PageTables.PageSize - 1));
            return left < toPageEnd ? left : toPageEnd;
        }
    }
}
