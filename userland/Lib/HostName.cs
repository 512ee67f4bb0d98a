using System;

namespace TeachOS
{
    /// <summary>The host name of the caller's UTS namespace (kernel/Namespaces/UtsNamespace.cs), for hostname and the shell's prompt.</summary>
    public static unsafe class HostName
    {
        public const int MaximumLength = 64;      // the kernel's UtsNamespace.MaximumHostName (Linux's HOST_NAME_MAX)

        /// <summary>The name, or "?" if the kernel refused.</summary>
        public static string Get()
        {
            byte* buffer = stackalloc byte[MaximumLength];
            long length = Sys.GetHostName(new Span<byte>(buffer, MaximumLength));
            return length < 0 ? "?" : string.FromAscii(buffer, (int)(length < MaximumLength ? length : MaximumLength));
        }

        /// <summary>sethostname: 0 or a negated errno (-EPERM unless root, -EINVAL for an empty or too long name).</summary>
        public static long Set(string name)
        {
            byte* buffer = stackalloc byte[MaximumLength + 1];
            int length = name.Length < MaximumLength + 1 ? name.Length : MaximumLength + 1;   // one too many reaches the kernel's check
            for (int i = 0; i < length; i++) buffer[i] = (byte)name[i];
            return Sys.SetHostName(new ReadOnlySpan<byte>(buffer, length));
        }
    }
}
