using System.Collections.Concurrent;

namespace DockScript;

/// <summary>
/// Every address DockScript has seen a container hold in this process: from its own handles
/// (every inspect and list goes through the gateway, which tells this book) and from the engine's
/// event stream for containers it did not create (<see cref="AddressWatch"/>). When an address
/// stops answering, the book says whose it was, so a diagnosis can name the stopped or removed
/// container instead of "nobody has this address".
/// </summary>
/// <remarks>Process-wide like <see cref="EngineChanges"/>: a second session object must know what the first one saw.</remarks>
internal static class AddressBook
{
    /// <summary>A container seen holding <paramref name="Address"/> on <paramref name="Network"/>.</summary>
    internal sealed record Sighting(string Address, string Network, string ContainerId, string ContainerName, DateTimeOffset Seen);

    private const int Limit = 100_000;
    private static readonly ConcurrentDictionary<string, Sighting> ByAddress = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Sighting> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Removed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Died = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> AliasesById = new(StringComparer.Ordinal);

    /// <summary>Remembers the addresses of a running container.</summary>
    public static void Remember(ContainerInfo c)
    {
        if (!c.Running || ByAddress.Count > Limit)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        // A list carries no aliases (only inspect does): keep what an inspect saw.
        if (c.Networks.Values.Any(e => e.Aliases.Count > 0))
        {
            AliasesById[c.Id] = c.Networks.ToDictionary(kv => kv.Key, kv => kv.Value.Aliases, StringComparer.Ordinal);
        }
        foreach (var (network, endpoint) in c.Networks)
        {
            if (endpoint.Address is { Length: > 0 } address)
            {
                var seen = new Sighting(address, network, c.Id, c.Name, now);
                ByAddress[address] = seen;
                ByName[c.Name] = seen;
            }
        }
    }

    /// <summary>Remembers every running container of a list.</summary>
    public static void Remember(IEnumerable<ContainerInfo> containers)
    {
        foreach (var c in containers)
        {
            Remember(c);
        }
    }

    /// <summary>Notes that the engine removed a container (its destroy event).</summary>
    public static void NoteRemoved(string containerId, DateTimeOffset when) => Removed[containerId] = when;

    /// <summary>Notes that a container's process ended (its die event).</summary>
    public static void NoteDied(string containerId, DateTimeOffset when) => Died[containerId] = when;

    /// <summary>When the container's process last ended, if DockScript saw the event.</summary>
    public static DateTimeOffset? DiedAt(string containerId) => Died.TryGetValue(containerId, out var t) ? t : null;

    /// <summary>The aliases an inspect last saw the container have on <paramref name="network"/>; empty when none was seen.</summary>
    public static IReadOnlyList<string> AliasesOf(string containerId, string network) =>
        AliasesById.TryGetValue(containerId, out var all) && all.TryGetValue(network, out var aliases) ? aliases : [];

    /// <summary>Who held <paramref name="address"/> when DockScript last saw it, if anyone.</summary>
    public static Sighting? Holder(string address) => ByAddress.TryGetValue(address, out var s) ? s : null;

    /// <summary>The last time DockScript saw a container called <paramref name="name"/> running, if ever.</summary>
    public static Sighting? Named(string name) => ByName.TryGetValue(name, out var s) ? s : null;

    /// <summary>When the engine removed the container, if DockScript saw the event.</summary>
    public static DateTimeOffset? RemovedAt(string containerId) => Removed.TryGetValue(containerId, out var t) ? t : null;
}
