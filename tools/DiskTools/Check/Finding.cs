namespace TeachOS.Tools.DiskTools.Check;

/// <summary>What kind of problem a finding is, for a program that acts on some kinds only (the crash explorer, tests).</summary>
public enum FindingKind
{
    Superblock,        // magic, version, regions outside the image or out of order
    Log,               // a log header that cannot be installed
    LogPending,        // a committed transaction waits in the log: not corruption, recovery installs it
    Inode,             // a bad type, a size its blocks cannot hold, blocks past its size
    BlockOutOfRange,   // an address outside the data region
    BlockOwnedTwice,   // one block named by two owners
    BitmapHole,        // a block in use but free in the bitmap
    BitmapLeak,        // a block marked in use that nothing uses
    LinkCount,         // a link count that is not the number of entries naming the inode
    DirectoryEntry,    // an entry naming a free or impossible inode, a bad or repeated name
    DirectoryDots,     // "." not naming the directory, ".." not naming its parent
    DirectoryTree,     // a directory named twice (a loop or a second parent), one the root does not reach
    Orphan,            // an allocated inode with a link count that no directory reachable from the root names
    Unlinked,          // an allocated inode with link count 0 and no name: a file unlinked while open, never freed
                       // (xv6 leaves one after a crash; a leak, not damage: a caller may choose to accept it)
}

/// <summary>One line of fsck's report.</summary>
public sealed record Finding(FindingKind Kind, string Message)
{
    /// <summary>False for what is not corruption (a committed log waiting to be installed).</summary>
    public bool IsProblem => Kind != FindingKind.LogPending;

    public override string ToString() => Message;
}
