using System;
using Abi;

namespace Ipc
{
    /// <summary>
    /// What a queue's name may be, as POSIX says it: "/" and then 1 to MessageQueueLimits.MaximumName
    /// characters, none of them another "/". TeachOS also refuses what is not printable ASCII, so that
    /// a name can always be shown (`mq list`, a fault report). A name is not a path: queues live in their
    /// namespace's table, not in the file tree.
    /// </summary>
    public static class MessageQueueNames
    {
        /// <summary>0 if <paramref name="name"/> (with its "/") is a good name, else -EINVAL or -ENAMETOOLONG.</summary>
        public static long Check(ReadOnlySpan<char> name)
        {
            if (name.Length < 2 || name[0] != '/') return -Errno.EINVAL;
            if (name.Length - 1 > MessageQueueLimits.MaximumName) return -Errno.ENAMETOOLONG;
            for (int i = 1; i < name.Length; i++)
                if (name[i] == '/' || name[i] <= ' ' || name[i] > '~') return -Errno.EINVAL;
            return 0;
        }
    }
}
