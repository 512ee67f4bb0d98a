using System;
using System.Collections;
using System.Collections.Generic;

namespace TeachOS.Analyzers
{
    /// <summary>
    /// An array compared by its contents. An incremental generator re-runs a step only when the step's
    /// input changed, and decides that with Equals; a plain array compares by reference, so every
    /// keystroke would look like a change. Models handed between steps therefore use this instead.
    /// </summary>
    public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
        where T : IEquatable<T>
    {
        private readonly T[] _items;

        public EquatableArray(T[] items) => _items = items;

        public int Length => _items == null ? 0 : _items.Length;

        public T this[int index] => _items[index];

        public bool Equals(EquatableArray<T> other)
        {
            if (Length != other.Length) return false;
            for (int i = 0; i < Length; i++)
                if (!EqualityComparer<T>.Default.Equals(_items[i], other._items[i])) return false;
            return true;
        }

        public override bool Equals(object obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            int hash = 17;
            for (int i = 0; i < Length; i++) hash = hash * 31 + (_items[i] == null ? 0 : _items[i].GetHashCode());
            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
