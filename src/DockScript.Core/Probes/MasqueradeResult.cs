namespace DockScript;

/// <summary>
/// What a server outside Docker's networks saw when <see cref="Source"/> called it: the proof of
/// seed claim S7. On a bridge network that masquerades, the server sees the host's address, not
/// the container's (NAT, as a home router does: S8); on one created with
/// <c>ipMasquerade: false</c> it sees the container's own address.
/// </summary>
/// <param name="Source">The container the request left from.</param>
/// <param name="SourceAddresses">The source's own addresses: network name → IPv4.</param>
/// <param name="SeenAs">The address the outside server saw the request come from; null when none arrived.</param>
/// <param name="HostAddress">The engine host's address on the way out (its end of the link to the outside server).</param>
/// <param name="Reason">Why nothing arrived, in a sentence or two; null on success.</param>
/// <param name="Via">How the request ran: <c>namespace</c> or <c>helper</c>.</param>
/// <example><code>Masquerade(web1).Masqueraded   // true on the default bridge (seed S7)</code></example>
public sealed record MasqueradeResult(
    string Source, IReadOnlyDictionary<string, string> SourceAddresses, string? SeenAs, string HostAddress, string? Reason, string Via)
{
    /// <summary>Why nothing arrived, as a kind a script can branch on; <see cref="ProbeCause.None"/> on success.</summary>
    public ProbeCause Cause { get; init; }

    /// <summary>True when the request reached the outside server.</summary>
    public bool Success => SeenAs is not null;

    /// <summary>True when the source is on the host network: it is the host, so there is nothing to translate.</summary>
    public bool OnHostNetwork { get; init; }

    /// <summary>
    /// True when the outside saw the host's address instead of the container's: the host
    /// translated it. False when it saw the container's own address, or nothing arrived.
    /// </summary>
    public bool Masqueraded => SeenAs is not null && !OnHostNetwork && SeenAs == HostAddress && !SourceAddresses.Values.Contains(SeenAs);

    /// <inheritdoc/>
    public override string ToString()
    {
        var own = SourceAddresses.Count == 0 ? Source : $"{Source} ({string.Join(", ", SourceAddresses.Select(kv => $"{kv.Value} on {kv.Key}"))})";
        return SeenAs switch
        {
            null => $"{own} did not reach the outside: {Reason}",
            _ when OnHostNetwork => $"{own} is seen outside as {SeenAs}: it is on the host network, so it is the host; nothing is translated",
            _ when Masqueraded => $"{own} is seen outside as {SeenAs}, the host's address: the host masqueraded it (NAT)",
            _ => $"{own} is seen outside as {SeenAs}, its own address: its network does not masquerade",
        };
    }
}
