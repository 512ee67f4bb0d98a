namespace Fs
{
    /// <summary>What a descriptor or a node is: the numbers FileStatus.Kind carries to user programs (abi/Structures.cs).</summary>
    public enum FileKind
    {
        File = 1,
        Directory = 2,
        Console = 3,
        Pipe = 4,
        SymbolicLink = 5,
    }
}
