using System.Runtime.CompilerServices;
using TeachOS;

/// <summary>
/// fault KIND: does something a user program may not do, so you can watch the kernel stop it.
/// The kernel kills only this process, prints the trap report naming it and the C# method, and the
/// shell reports the exit status. KIND is one of:
///   divide       integer division by zero         #DE  -> status 136 (SIGFPE)
///   null         read a field through null         #PF  -> 139 (SIGSEGV)
///   kernel-read  read kernel memory                #PF  -> 139 (the page is supervisor-only)
///   cli, hlt, out  a privileged instruction       #GP  -> 139
///   ud2          an invalid instruction            #UD  -> 132 (SIGILL)
///   stack        endless recursion                 #PF in the stack's guard page -> 139
/// </summary>
public static unsafe class Fault
{
    private sealed class Box { public int Value; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Zero() => 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Box Nothing() => null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int DivideByZero() => 100 / Zero();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadThroughNull() => Nothing().Value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    // The kernel's direct map of physical memory: present in every address space, but supervisor-only.
    private static ulong ReadKernelMemory() => *(ulong*)0xFFFF800000100000;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        byte* frame = stackalloc byte[256];
        frame[depth & 255] = 1;
        return Recurse(depth + 1) + frame[0];
    }

    public static int Main(string[] args)
    {
        string kind = args.Length > 0 ? args[0] : "";
        Console.WriteLine("fault: about to " + kind);
        switch (kind)
        {
            case "divide": return DivideByZero();
            case "null": return ReadThroughNull();
            case "kernel-read": return (int)ReadKernelMemory();
            case "cli": Demonstrations.DisableInterrupts(); break;
            case "hlt": Demonstrations.Halt(); break;
            case "out": Demonstrations.WritePort(); break;
            case "ud2": Demonstrations.InvalidInstruction(); break;
            case "stack": return Recurse(0);
            default:
                Console.Error("usage: fault divide|null|kernel-read|cli|hlt|out|ud2|stack\n");
                return 2;
        }
        Console.WriteLine("fault: still running (this should not happen)");
        return 0;
    }
}
