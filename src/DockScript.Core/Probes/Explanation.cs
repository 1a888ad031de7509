using System.Text;

namespace DockScript;

/// <summary>The layers an <see cref="Explanation"/> walks through, in the order traffic meets them.</summary>
public enum ExplanationLayer
{
    /// <summary>How the target's name became an address: hosts file, link, embedded DNS, upstream.</summary>
    Name,

    /// <summary>Whose address it is, on which network (or whose it was).</summary>
    Address,

    /// <summary>Whether a packet can go there at all: a shared network, internal networks, ICC.</summary>
    Path,

    /// <summary>Docker's chains and the user's own <c>DOCKER-USER</c> rules.</summary>
    Firewall,

    /// <summary>With a port: whether anything listens on it in the target, and on which address.</summary>
    Listener,

    /// <summary>The real probe: a ping, or a TCP connection to the port.</summary>
    Answer,
}

/// <summary>One layer of an <see cref="Explanation"/>: did it let the traffic through, and what shows it.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Ok">True when this layer lets the traffic through.</param>
/// <param name="Evidence">What was read: a hosts line, a nameserver, network names, a rule, a <c>/proc/net/tcp</c> line.</param>
/// <example><code>Explain(web1, "db").Steps[0].Evidence   // "'db' → 172.17.0.3 from /etc/hosts: 172.17.0.3  db …"</code></example>
public sealed record ExplanationStep(ExplanationLayer Layer, bool Ok, string Evidence)
{
    /// <summary>The cause this step found, when it did not let the traffic through.</summary>
    public ProbeCause Cause { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{(Ok ? "✔" : "✘")} {Layer}: {Evidence}";
}

/// <summary>
/// Why <see cref="Source"/> can or cannot reach <see cref="Target"/>, layer by layer (name,
/// address, path, firewall, listener), ending with a real probe whose outcome is
/// <see cref="Reachable"/>. The layers never overrule the probe: when it answered although a layer
/// predicted failure, the last step says so.
/// </summary>
/// <param name="Source">The container the traffic leaves from.</param>
/// <param name="Target">The target as given: a name, an address or a container's name.</param>
/// <param name="Port">The TCP port asked about; null means a ping.</param>
/// <param name="Reachable">The outcome of the real probe (the <see cref="ExplanationLayer.Answer"/> step).</param>
/// <param name="Cause">Why it is not reachable; <see cref="ProbeCause.None"/> when it is.</param>
/// <param name="Reason">The cause in a sentence, with names and the fix; null when reachable.</param>
/// <param name="Steps">The layers, in order.</param>
/// <param name="Via">How the probes ran: <c>namespace</c> or <c>helper</c>.</param>
/// <example><code>Explain(web1, "db", port: 80).Cause   // ProbeCause.TargetNotRunning</code></example>
public sealed record Explanation(
    string Source, string Target, int? Port, bool Reachable, ProbeCause Cause, string? Reason, IReadOnlyList<ExplanationStep> Steps, string Via)
{
    /// <summary>The steps, kept as given; shown one per line.</summary>
    public IReadOnlyList<ExplanationStep> Steps { get; init; } = Readable.List(Steps, "\n");

    /// <summary>The first line: who, to whom, and the outcome.</summary>
    public string Title =>
        $"explain {Source} → {Target}{(Port is { } p ? $":{p}" : "")}: {(Reachable ? "reachable" : "not reachable")}";

    /// <summary>A tree with ✔/✘ per layer, then the cause: what the REPL shows, in plain text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Title);
        for (var i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            text.Append('\n').Append(i == Steps.Count - 1 ? "└─ " : "├─ ").Append(s.Ok ? "✔ " : "✘ ")
                .Append(s.Layer.ToString().PadRight(9)).Append(s.Evidence);
        }
        if (!Reachable && Reason is not null)
        {
            text.Append("\ncause: ").Append(Cause).Append(": ").Append(Reason);
        }
        return text.ToString();
    }
}
