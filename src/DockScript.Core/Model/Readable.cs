using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DockScript;

/// <summary>
/// The lists and maps the DSL hands out (<c>web1.Interfaces</c>, <c>web1.IPs</c>, <c>net.Containers</c>,
/// …) keep their interface types, but print their contents: <c>Console.WriteLine(web1.IPs)</c>
/// shows <c>bridge=172.17.0.2, my-network=172.18.0.3</c>, not a generic type name.
/// </summary>
internal static class Readable
{
    /// <summary>A read-only list whose text is its items' texts joined by <paramref name="separator"/>.</summary>
    public static IReadOnlyList<T> List<T>(IEnumerable<T> items, string separator = ", ") => new ReadableList<T>([.. items], separator);

    /// <summary>A read-only map whose text is <c>key=value, …</c> (a missing value shows as <c>-</c>).</summary>
    public static IReadOnlyDictionary<string, TValue> Map<TValue>(IReadOnlyDictionary<string, TValue> map) =>
        map as ReadableMap<TValue> ?? new ReadableMap<TValue>(map);

    private sealed class ReadableList<T>(T[] items, string separator) : IReadOnlyList<T>
    {
        public T this[int index] => items[index];

        public int Count => items.Length;

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

        public override string ToString() => string.Join(separator, items);
    }

    private sealed class ReadableMap<TValue>(IReadOnlyDictionary<string, TValue> map) : IReadOnlyDictionary<string, TValue>
    {
        public TValue this[string key] => map[key];

        public IEnumerable<string> Keys => map.Keys;

        public IEnumerable<TValue> Values => map.Values;

        public int Count => map.Count;

        public bool ContainsKey(string key) => map.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => map.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => map.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => map.GetEnumerator();

        public override string ToString() => string.Join(", ", map.Select(kv => $"{kv.Key}={(kv.Value is null ? "-" : kv.Value.ToString())}"));
    }
}
