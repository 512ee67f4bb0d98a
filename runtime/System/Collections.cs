namespace System.Collections
{
    // Arrays implement these in .NET, so the compiler wants them to exist. TeachOS code uses
    // foreach over arrays and spans, which the compiler turns into plain indexed loops.
    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }

    public interface IEnumerator
    {
        object Current { get; }
        bool MoveNext();
    }
}
