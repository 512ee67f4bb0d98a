namespace System
{
    /// <summary>Base of every struct. A struct is copied by value; boxing gives it an object header.</summary>
    public abstract class ValueType { }

    /// <summary>Base of every enum. Enums are integers with names that only the compiler sees.</summary>
    public abstract class Enum : ValueType { }

    /// <summary>The type of "no value"; the compiler needs it to exist.</summary>
    public struct Void { }

    /// <summary>A value type that may also be "no value"; <c>int?</c> is <c>Nullable&lt;int&gt;</c>.</summary>
    public struct Nullable<T> where T : struct
    {
        private readonly bool _hasValue;
        private readonly T _value;

        public Nullable(T value) { _hasValue = true; _value = value; }

        public bool HasValue => _hasValue;

        public T Value
        {
            get
            {
                if (!_hasValue) throw new InvalidOperationException("Nullable object must have a value.");
                return _value;
            }
        }

        public T GetValueOrDefault() => _value;

        public T GetValueOrDefault(T fallback) => _hasValue ? _value : fallback;

        public static implicit operator T?(T value) => new T?(value);

        public static explicit operator T(T? value) => value.Value;
    }
}
