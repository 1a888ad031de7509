using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>
/// Explains a failed probe from the engine's state (inspect data, network membership, the
/// source's resolv.conf and hosts), never from an error message alone. Each method returns one
/// or two sentences that say what is wrong and, where there is one, the fix.
/// </summary>
internal static partial class Diagnosis
{
    /// <summary>A diagnosis: its kind, for scripts to branch on, and its sentence, for people.</summary>
    public sealed record Verdict(ProbeCause Cause, string Text);

    /// <summary>Why nothing can be sent from the source at all (it is not running), or null.</summary>
    public static Verdict? SourceProblem(ContainerView src) =>
        !src.Running ? new(ProbeCause.SourceNotRunning, $"{src.Name} is not running ({src.State}); probes run inside its network namespace, so start it first.") : null;

    /// <summary>Why the source reaches nobody whatever the target, or null.</summary>
    public static Verdict? Isolated(ContainerView src) =>
        SourceProblem(src)
        ?? (src.OnNone ? new(ProbeCause.SourceIsolated, $"{src.Name} is on the 'none' network: it has only loopback, so it cannot reach any other container.") : null);

    /// <summary>Why no packet can go from <paramref name="src"/> to <paramref name="dst"/>, or null when a path exists.</summary>
    public static Verdict? PathProblem(ContainerView src, ContainerView dst)
    {
        if (Isolated(src) is { } isolated)
        {
            return isolated;
        }
        if (!dst.Running)
        {
            return NotRunning(dst);
        }
        if (dst.OnNone)
        {
            return new(ProbeCause.TargetIsolated, $"{dst.Name} is on the 'none' network: it has only loopback, so nothing outside it can reach it.");
        }
        if (src.OnHost || dst.OnHost || src.Id == dst.Id)
        {
            return null;
        }
        if (src.SharedNetworks(dst).Count == 0)
        {
            var suggestion = dst.Networks.Keys.FirstOrDefault(n => n != "bridge") ?? dst.Networks.Keys.FirstOrDefault();
            return new(ProbeCause.NoSharedNetwork, $"{src.Name} and {dst.Name} share no network: {src.Name} is on {src.NetworkList}, {dst.Name} on {dst.NetworkList}"
                + (suggestion is null ? "." : $"; connect one to the other's network, e.g. Networks[\"{suggestion}\"].Connect(\"{src.Name}\")."));
        }
        return null;
    }

    /// <summary>Why <paramref name="address"/> did not answer (<paramref name="what"/>: "the ping", "on port 80").</summary>
    /// <param name="view">The engine as read for this failure (or for a whole matrix).</param>
    /// <param name="src">The source, as last read.</param>
    /// <param name="address">The address that was probed.</param>
    /// <param name="dst">The target when it was given as a container; null looks the address up.</param>
    /// <param name="timeout">How long the probe waited.</param>
    /// <param name="what">What did not answer, for the sentence.</param>
    /// <param name="name">The name the address came from, if the target was a name.</param>
    /// <param name="fromHosts">True when that name came from the source's /etc/hosts (a link or an extra host).</param>
    public static Verdict NoAnswer(EngineView view, ContainerView src, string address, ContainerView? dst, TimeSpan timeout, string what,
        string? name = null, bool fromHosts = false)
    {
        if (Isolated(src) is { } isolated)
        {
            return isolated;
        }
        dst ??= view.Owner(address);
        if (dst is not null)
        {
            if (PathProblem(src, dst) is { } problem)
            {
                return problem;
            }
            var shared = src.SharedNetworks(dst);
            return new(ProbeCause.NoAnswer, $"{dst.Name} ({address}) did not answer {what} within {Seconds(timeout)}, although it shares {(shared.Count > 0 ? $"'{shared[0]}'" : "a network")} with {src.Name}; it may be dropping such traffic.");
        }
        if (IPAddress.TryParse(address, out var ip))
        {
            if (InternalOnly(view, src, ip, published: false) is { } walled)
            {
                return walled;
            }
            if (Vacated(view, src, address, name, fromHosts) is { } vacated)
            {
                return vacated;
            }
        }
        return new(ProbeCause.NoAnswer, $"{address} did not answer {what} within {Seconds(timeout)}.");
    }

    /// <summary>Why <paramref name="name"/> did not resolve from <paramref name="src"/>.</summary>
    public static Verdict NameFailure(EngineView view, ContainerView src, ResolvConf resolv, string name, DnsReply? last, TimeSpan timeout)
    {
        if (Isolated(src) is { } problem)
        {
            return problem;
        }
        var known = view.ByName(name);
        if (src.Networks.Count > 0 && src.Networks.Keys.All(n => n == "bridge"))
        {
            return new(ProbeCause.DefaultBridgeHasNoNames, $"{src.Name} is only on the default bridge network, which has no name resolution, and '{name}' is not in its /etc/hosts; "
                + $"use a user-defined network or a link (links: new[] {{ \"{name}\" }}).");
        }
        if (known is { Running: false })
        {
            return new(ProbeCause.TargetNotRunning, $"'{name}' is {known.Name}, which is {Condition(known)}; the embedded DNS answers only for running containers, so start it again (Containers[\"{known.Name}\"].Start()).");
        }
        if (known is null && AddressBook.Named(name) is { } seen && view.Containers.All(c => c.Id != seen.ContainerId))
        {
            return new(ProbeCause.TargetRemoved, $"'{name}' was {seen.ContainerName} ({seen.Address} on '{seen.Network}'), which {Removal(seen.ContainerId)}, so no DNS knows it any more.");
        }
        if (NameElsewhere(view, src, name) is { } elsewhere)
        {
            return elsewhere;
        }
        if (known is not null)
        {
            var shared = src.SharedNetworks(known);
            if (shared.Count == 0)
            {
                return new(ProbeCause.NoSharedNetwork, $"{src.Name} and {known.Name} share no network, so {src.Name}'s DNS does not know '{name}': {src.Name} is on {src.NetworkList}, {known.Name} on {known.NetworkList}.");
            }
            if (shared.All(n => n == "bridge"))
            {
                return new(ProbeCause.DefaultBridgeHasNoNames, $"{src.Name} and {known.Name} share only the default bridge network, which has no name resolution; put both on a user-defined network.");
            }
        }
        var status = last?.Status switch
        {
            DnsStatus.NoSuchName => "it does not exist (NXDOMAIN)",
            DnsStatus.ServerFailure => "the server failed (SERVFAIL)",
            DnsStatus.Timeout => $"no answer within {Seconds(timeout)}",
            DnsStatus.Unreachable => "nothing listens there",
            DnsStatus.NoAddress => "it has no IPv4 address",
            DnsStatus.Refused => "the server refused",
            DnsStatus.Malformed => $"its reply could not be read ({last.Detail})",
            _ => "no nameserver is configured",
        };
        if (resolv.UsesEmbeddedDns)
        {
            return new(ProbeCause.UnknownName, $"the embedded DNS (127.0.0.11) knows no container, alias or service named '{name}' on {src.NetworkList}, and asking upstream gave nothing: {status}.");
        }
        return resolv.Nameservers.Count == 0
            ? new(ProbeCause.UnknownName, $"{src.Name} has no nameserver in its resolv.conf and '{name}' is not in its /etc/hosts.")
            : new(ProbeCause.UnknownName, $"'{name}' is not in {src.Name}'s /etc/hosts, and its nameservers ({string.Join(", ", resolv.Nameservers)}) gave no address: {status}.");
    }

    internal static string Seconds(TimeSpan t) =>
        t.TotalSeconds.ToString(t.TotalSeconds % 1 == 0 ? "0" : "0.###", CultureInfo.InvariantCulture) + " s";

    private static string Names(IEnumerable<NetworkView> nets) => string.Join(", ", nets.Select(n => $"'{n.Name}'"));
}
