using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace DockScript;

// Whose an address or a name is, or was: the causes that need memory (the address book), links
// and other networks. Ping, Curl, Resolve, Reachability and Explain all come here, so each cause
// has one sentence wherever it is found.
internal static partial class Diagnosis
{
    /// <summary>Why a container that is not running is no target: its state, its exit and when, and the fix.</summary>
    public static Verdict NotRunning(ContainerView c, string prefix = "") =>
        new(ProbeCause.TargetNotRunning, $"{prefix}{c.Name} is {Condition(c)}, so nothing answers for it; start it again (Containers[\"{c.Name}\"].Start()).");

    /// <summary>A container that has been removed: whose it was and when.</summary>
    public static Verdict Gone(string name, string id, string prefix = "") =>
        new(ProbeCause.TargetRemoved, $"{prefix}{name} {Removal(id)}, so nothing answers for it.");

    /// <summary>
    /// A state as a person says it: "stopped (exited 137, 40 s ago)", "created but never
    /// started", "paused". The exit comes from inspect when there is one, else from the list's
    /// own words, so a matrix explains it without another engine call.
    /// </summary>
    public static string Condition(ContainerView c)
    {
        switch (c.State)
        {
            case "exited" or "dead":
                long? code = null;
                string? when = null;
                if (DateTimeOffset.TryParse(c.Finished, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var finished) && finished.Year > 1)
                {
                    code = c.ExitCode;
                    when = Ago(DateTimeOffset.UtcNow - finished);
                }
                else if (ExitedSummary().Match(c.Summary) is { Success: true } m)
                {
                    code = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    when = AddressBook.DiedAt(c.Id) is { } died ? Ago(DateTimeOffset.UtcNow - died) : Humanised(m.Groups[2].Value);
                }
                var what = c.State == "dead" ? "dead" : "stopped";
                return code is null ? what : $"{what} (exited {code}{(when is null ? "" : $", {when}")})";
            case "created":
                return "created but never started";
            case "paused":
                return "paused (its processes are frozen)";
            case "restarting":
                return "restarting";
            case "removing":
                return "being removed";
            default:
                return $"not running ({c.State})";
        }
    }

    /// <summary>"has been removed (12 s ago)", with the time when the event stream saw it.</summary>
    public static string Removal(string containerId) =>
        $"has been removed{(AddressBook.RemovedAt(containerId) is { } t ? $" ({Ago(DateTimeOffset.UtcNow - t)})" : "")}";

    /// <summary>
    /// Why an address that no running container holds does not answer: whose it was (the address
    /// book, else the source's link of that name), what became of that container, or which
    /// network the address is on. Null when the address is on no Docker network and was never seen.
    /// </summary>
    public static Verdict? Vacated(EngineView view, ContainerView src, string address, string? name, bool fromHosts)
    {
        var link = fromHosts && name is not null ? LinkOf(src, name) : null;
        // A sighting counts only while its network still holds the address: a removed network's
        // subnet is handed out again, and its old members are no one's business there.
        (string Name, string Id, string? Network)? holder = AddressBook.Holder(address) is { } seen
            && IPAddress.TryParse(address, out var at) && view.Network(seen.Network) is { } still && still.Contains(at)
            ? (seen.ContainerName, seen.ContainerId, seen.Network)
            : link is not null ? (link, view.Containers.FirstOrDefault(c => c.Name == link)?.Id ?? "", null) : null;
        if (holder is { } h)
        {
            var now = view.Containers.FirstOrDefault(c => c.Id == h.Id);
            var state = now is null ? Removal(h.Id) : !now.Running ? $"is {Condition(now)}" : $"now has {Addresses(now)}";
            if (fromHosts && name is not null)
            {
                var what = link is not null ? $"a link in /etc/hosts to {h.Name}" : $"an /etc/hosts entry ({address}), {h.Name}'s address";
                var fix = now is null ? $"recreate {h.Name} or drop the {(link is null ? "entry" : "link")}"
                    : !now.Running ? $"start it again (Containers[\"{h.Name}\"].Start())"
                    : $"recreate the container that holds the {(link is null ? "entry" : "link")} so it gets the new address";
                return new(ProbeCause.StaleLink, $"'{name}' comes from {what}, which {state}: nothing answers at {address}; {fix}.");
            }
            var was = h.Network is null ? "" : $"{address} was {h.Name}'s address on '{h.Network}'; ";
            return now is null ? Gone(h.Name, h.Id, was)
                : !now.Running ? NotRunning(now, was)
                : new(ProbeCause.AddressVacant, $"{was}{h.Name} now has {Addresses(now)}, so nobody answers at {address}; probe {h.Name} by name or as a container.");
        }
        if (IPAddress.TryParse(address, out var ip) && view.NetworkOf(ip) is { } net)
        {
            return src.Networks.ContainsKey(net.Name)
                ? new(ProbeCause.AddressVacant, $"no running container has {address} on '{net.Name}', and DockScript never saw one with it, so nobody answers.")
                : new(ProbeCause.NoSharedNetwork, $"{address} is on '{net.Name}', which {src.Name} is not on; connect {src.Name} to '{net.Name}' to reach it.");
        }
        return null;
    }

    /// <summary>
    /// A name that resolves only on networks <paramref name="src"/> is not on: a container's own
    /// name, an alias or a compose service. Names the network and the fix; null when the name is
    /// known nowhere, or also on a network the source shares.
    /// </summary>
    /// <remarks>A list carries no aliases: those come from inspect (the view's members, the address book), and a compose service's from its label.</remarks>
    public static Verdict? NameElsewhere(EngineView view, ContainerView src, string name)
    {
        (ContainerView C, string Network, bool Alias)? found = null;
        foreach (var c in view.Containers.OrderByDescending(c => c.Running))
        {
            var ownName = c.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
            var service = name.Equals(c.Service, StringComparison.OrdinalIgnoreCase);
            foreach (var (network, endpoint) in c.Networks)
            {
                var byAlias = service || endpoint.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase)
                    || AddressBook.AliasesOf(c.Id, network).Contains(name, StringComparer.OrdinalIgnoreCase);
                if (!byAlias && !ownName)
                {
                    continue;
                }
                if (src.Networks.ContainsKey(network) || network == "bridge")
                {
                    return null;
                }
                found ??= (c, network, byAlias && !ownName);
            }
        }
        if (found is not { } f)
        {
            return null;
        }
        var kind = !f.Alias ? $"'{name}' is a container on '{f.Network}'"
            : name.Equals(f.C.Service, StringComparison.OrdinalIgnoreCase) ? $"'{name}' is the service alias of {f.C.Name} on '{f.Network}'"
            : $"'{name}' is an alias of {f.C.Name} on '{f.Network}'";
        return new(ProbeCause.NameOnOtherNetwork,
            $"{kind}; {src.Name} is only on {src.NetworkList}, where the embedded DNS does not know it. Fix: Networks[\"{f.Network}\"].Connect(\"{src.Name}\").");
    }

    /// <summary>Why <paramref name="src"/>, on internal networks only, cannot reach <paramref name="address"/> outside them; null when it can try.</summary>
    public static Verdict? InternalOnly(EngineView view, ContainerView src, IPAddress address, bool published)
    {
        var own = src.Networks.Keys.Select(view.Network).OfType<NetworkView>().ToList();
        if (own.Count == 0 || !own.All(n => n.Internal) || own.Any(n => n.Contains(address)))
        {
            return null;
        }
        return new(ProbeCause.InternalNetwork,
            $"{Names(own)} {(own.Count == 1 ? "is" : "are")} internal: Docker drops what {src.Name} sends to {address}, which is outside {string.Join(", ", own.SelectMany(n => n.Subnets))}"
            + (published ? ", even a port published on the host; put it on a non-internal network too." : "; connect it to a non-internal network to reach the outside."));
    }

    /// <summary>The container a legacy link of <paramref name="src"/> names <paramref name="alias"/>, if any.</summary>
    public static string? LinkOf(ContainerView src, string alias)
    {
        foreach (var link in src.Links)
        {
            // "/db1:/web3/db": container db1, seen by web3 as db.
            var parts = link.Split(':');
            if (parts.Length == 2)
            {
                var name = parts[0].TrimStart('/');
                var asSeen = parts[1][(parts[1].LastIndexOf('/') + 1)..];
                if (asSeen.Equals(alias, StringComparison.OrdinalIgnoreCase) || name.Equals(alias, StringComparison.OrdinalIgnoreCase))
                {
                    return name;
                }
            }
        }
        return null;
    }

    /// <summary>Every address of a container, with its network: "172.20.0.5 on 'blue'".</summary>
    public static string Addresses(ContainerView c) =>
        c.Networks.Count == 0 ? "no address" : string.Join(", ", c.Networks.Select(kv => $"{kv.Value.Address ?? "none"} on '{kv.Key}'"));

    /// <summary>"just now", "40 s ago", "3 min ago", "2 h ago".</summary>
    public static string Ago(TimeSpan t) =>
        t.TotalSeconds < 1 ? "just now"
        : t.TotalMinutes < 2 ? $"{(int)t.TotalSeconds} s ago"
        : t.TotalHours < 2 ? $"{(int)t.TotalMinutes} min ago"
        : $"{(int)t.TotalHours} h ago";

    /// <summary>The engine's "40 seconds ago" in the same short form as <see cref="Ago"/>.</summary>
    private static string Humanised(string engineWords)
    {
        var m = Regex.Match(engineWords, @"^(\d+) (second|minute|hour)s? ago$");
        return engineWords.StartsWith("Less than a second", StringComparison.Ordinal) ? "just now"
            : !m.Success ? engineWords.ToLowerInvariant()
            : $"{m.Groups[1].Value} {m.Groups[2].Value switch { "second" => "s", "minute" => "min", _ => "h" }} ago";
    }

    [GeneratedRegex(@"^Exited \((-?\d+)\) (.+)$")]
    private static partial Regex ExitedSummary();
}
