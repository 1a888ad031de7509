namespace DockScript;

/// <summary>Round-trip times of the echoes that were answered.</summary>
/// <param name="Min">The fastest reply.</param>
/// <param name="Avg">The mean.</param>
/// <param name="Max">The slowest reply.</param>
public sealed record RoundTrip(TimeSpan Min, TimeSpan Avg, TimeSpan Max)
{
    internal static RoundTrip? Of(IReadOnlyList<TimeSpan> rtts) =>
        rtts.Count == 0 ? null : new RoundTrip(rtts.Min(), TimeSpan.FromTicks((long)rtts.Average(t => t.Ticks)), rtts.Max());

    /// <inheritdoc/>
    public override string ToString() =>
        $"rtt min/avg/max {Ms(Min)}/{Ms(Avg)}/{Ms(Max)} ms";

    internal static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.000" : "0.0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// What <c>Ping(from, to)</c> saw: ICMP echoes sent from inside <see cref="Source"/>'s network
/// namespace. A failed ping is a result too: <see cref="Success"/> is false and
/// <see cref="Reason"/> says why, from the engine's state.
/// </summary>
/// <param name="Source">The container the echoes left from.</param>
/// <param name="Target">The target as given: a name, an address, or a container's name.</param>
/// <param name="Address">The address pinged; null when the target could not be resolved.</param>
/// <param name="Sent">Echo requests sent.</param>
/// <param name="Received">Echo replies received.</param>
/// <param name="Rtt">Round-trip times of the replies; null when none came back.</param>
/// <param name="Reason">Why it failed, in a sentence or two; null on success.</param>
/// <param name="Via">How the probe ran: <c>namespace</c> (entered directly) or <c>helper</c> (a toolbox container sharing the namespace).</param>
/// <example><code>Ping(web1, web2.IP).Success   // true: same default bridge (seed S2)</code></example>
public sealed record PingResult(
    string Source, string Target, string? Address, int Sent, int Received, RoundTrip? Rtt, string? Reason, string Via)
{
    /// <summary>Why it failed, as a kind a script can branch on; <see cref="ProbeCause.None"/> on success.</summary>
    public ProbeCause Cause { get; init; }

    /// <summary>True when at least one echo was answered.</summary>
    public bool Success => Received > 0;

    /// <summary>The share of echoes lost, 0–100.</summary>
    public double LossPercent => Sent == 0 ? 100 : Math.Round(100.0 * (Sent - Received) / Sent, 1);

    /// <summary>One line, like the summary <c>ping</c> prints.</summary>
    public override string ToString()
    {
        var to = Address is null || Address == Target ? Target : $"{Target} ({Address})";
        if (Sent == 0)
        {
            return $"ping {Source} → {to}: not sent: {Reason}";
        }
        var head = $"ping {Source} → {to}: {Received}/{Sent} replies, {LossPercent:0.#}% loss";
        return Success
            ? Rtt is null ? head : $"{head}, {Rtt}"
            : $"{head}: {Reason}";
    }
}
