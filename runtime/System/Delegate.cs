namespace System
{
    // Delegates are not supported yet: the compiler needs these types to exist, but TeachOS code
    // passes code around as function pointers (delegate*<...>), which need no allocation.
    public abstract class Delegate { }
    public abstract class MulticastDelegate : Delegate { }

    public interface IDisposable
    {
        void Dispose();
    }
}
