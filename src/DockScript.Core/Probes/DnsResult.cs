namespace DockScript;

/// <summary>Who gave the answer to a name lookup.</summary>
public enum AnsweredBy
{
    /// <summary>Nobody: the lookup failed.</summary>
    None,

    /// <summary>The container's <c>/etc/hosts</c> (for example a <c>--link</c> entry, seed S11).</summary>
    HostsFile,

    /// <summary>Docker's embedded DNS server at 127.0.0.11 (user-defined networks, seed S14).</summary>
    EmbeddedDns,

    /// <summary>Another nameserver from the container's resolv.conf (usually the host's).</summary>
    Upstream,

    /// <summary>The name was already an address: nothing to look up.</summary>
    Literal,
}

/// <summary>
/// A name resolved exactly as <see cref="Source"/> resolves it: its <c>/etc/hosts</c> first, then
/// the nameservers in its resolv.conf, queried from inside its network namespace.
/// </summary>
/// <param name="Source">The container whose view was used.</param>
/// <param name="Name">The name looked up.</param>
/// <param name="Addresses">The IPv4 addresses found; empty on failure.</param>
/// <param name="AnsweredBy">Who answered.</param>
/// <param name="Server">The nameserver that answered (or was asked last), or <c>/etc/hosts</c>.</param>
/// <param name="Reason">Why it failed, in a sentence or two; null on success.</param>
/// <param name="Via">How the lookup ran: <c>namespace</c> or <c>helper</c>.</param>
/// <example><code>Resolve(web2, "nginx2").AnsweredBy   // EmbeddedDns on a user network</code></example>
public sealed record DnsResult(
    string Source, string Name, IReadOnlyList<string> Addresses, AnsweredBy AnsweredBy, string? Server, string? Reason, string Via)
{
    /// <summary>The IPv4 addresses found; empty on failure.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = Readable.List(Addresses);

    /// <summary>Why it failed, as a kind a script can branch on; <see cref="ProbeCause.None"/> on success.</summary>
    public ProbeCause Cause { get; init; }

    /// <summary>True when at least one address was found.</summary>
    public bool Success => Addresses.Count > 0;

    /// <summary>The first address, or null.</summary>
    public string? Address => Addresses.Count > 0 ? Addresses[0] : null;

    /// <inheritdoc/>
    public override string ToString() => Success
        ? $"resolve {Name} from {Source}: {string.Join(", ", Addresses)} (answered by {Describe(AnsweredBy, Server)})"
        : $"resolve {Name} from {Source}: no address: {Reason}";

    private static string Describe(AnsweredBy by, string? server) => by switch
    {
        AnsweredBy.HostsFile => "/etc/hosts",
        AnsweredBy.EmbeddedDns => $"the embedded DNS, {server}",
        AnsweredBy.Upstream => $"nameserver {server}",
        AnsweredBy.Literal => "no one: it is an address",
        _ => "no one",
    };
}
