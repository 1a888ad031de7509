using System.Collections;
using System.Net;
using System.Net.Sockets;

namespace DockScript;

/// <summary>
/// One line of <c>/etc/hosts</c>: an address and the names that resolve to it.
/// </summary>
/// <param name="Address">The address exactly as written in the file, e.g. <c>172.17.0.2</c> or <c>::1</c>.</param>
/// <param name="Names">The canonical name first, then aliases, in file order.</param>
public sealed record HostsEntry(string Address, IReadOnlyList<string> Names)
{
    /// <summary>Prints the entry as a hosts line, e.g. <c>172.17.0.2  nginx1 3f2a1b9c0d1e</c>.</summary>
    public override string ToString() => Address + "  " + string.Join(' ', Names);

    /// <summary>Entries are equal when address and names match in order; record equality would compare list references.</summary>
    public bool Equals(HostsEntry? other) =>
        other is not null && Address == other.Address && Names.SequenceEqual(other.Names);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Address);
        foreach (var name in Names)
        {
            hash.Add(name);
        }

        return hash.ToHashCode();
    }
}

/// <summary>
/// The entries of a container's <c>/etc/hosts</c>, as Docker writes it (links, <c>--add-host</c>, own hostname).
/// </summary>
/// <example><code>web1.Hosts.Lookup("nginx1")</code></example>
public sealed class HostsFile : IReadOnlyList<HostsEntry>
{
    private HostsFile(IReadOnlyList<HostsEntry> entries) => Entries = entries;

    /// <summary>The usable lines, in file order; comments, blank and malformed lines are left out.</summary>
    public IReadOnlyList<HostsEntry> Entries { get; }

    /// <inheritdoc />
    public int Count => Entries.Count;

    /// <inheritdoc />
    public HostsEntry this[int index] => Entries[index];

    /// <summary>
    /// Parses the text of a hosts file. Never throws: lines that a resolver would ignore are ignored here too.
    /// </summary>
    /// <example><code>var hosts = HostsFile.Parse(web1.Exec("cat /etc/hosts").Stdout);</code></example>
    public static HostsFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<HostsEntry>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);

            // An address without names maps nothing, so glibc skips it; so do we.
            if (fields.Length < 2 || !LooksLikeAddress(fields[0]))
            {
                continue;
            }

            entries.Add(new HostsEntry(fields[0], Array.AsReadOnly(fields[1..])));
        }

        return new HostsFile(entries.AsReadOnly());
    }

    /// <summary>
    /// The addresses that <paramref name="name"/> maps to, in file order, matching any name case-insensitively
    /// (DNS names are case-insensitive, and so is glibc's hosts lookup).
    /// </summary>
    /// <example><code>web3.Hosts.Lookup("nginx1")   // ["172.17.0.2"]</code></example>
    public IReadOnlyList<string> Lookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Readable.List(Entries
            .Where(e => e.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            .Select(e => e.Address)
            .Distinct(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Whether any entry carries <paramref name="name"/> (case-insensitively).</summary>
    /// <example><code>web3.Hosts.Contains("nginx1")</code></example>
    public bool Contains(string name) => Lookup(name).Count > 0;

    /// <inheritdoc />
    public IEnumerator<HostsEntry> GetEnumerator() => Entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The entries one per line, as a cleaned-up hosts file.</summary>
    public override string ToString() => string.Join('\n', Entries);

    private static bool LooksLikeAddress(string field)
    {
        // IPAddress.TryParse accepts shorthand such as "1" or "1.2"; a resolver would not, so neither do we.
        if (field.Contains(':'))
        {
            return IPAddress.TryParse(field, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return field.Count(c => c == '.') == 3
            && IPAddress.TryParse(field, out var v4)
            && v4.AddressFamily == AddressFamily.InterNetwork;
    }
}
