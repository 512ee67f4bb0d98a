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
        MessageQueue = 6,        // a named message queue (kernel/Ipc/MessageQueue.cs)
        CharacterDevice = 7,     // a name in /dev that leads to a driver: its bytes come and go one at a time (Fs/Devices/DeviceNode.cs)
        Socket = 8,              // a network endpoint: TCP or UDP (Net/Sockets/Socket.cs)
        VirtualMachine = 9,      // a virtual machine (kernel/Virt/VirtualMachineDescriptor.cs)
    }
}
