namespace DockScript;

/// <summary>Whether the session that left resources behind may still be using them.</summary>
internal enum OwnerState
{
    /// <summary>Its process has ended on this machine: what it left is garbage.</summary>
    Gone,

    /// <summary>Its process still runs on this machine: a live session (a running script, a REPL, a test run).</summary>
    Running,

    /// <summary>It ran on another machine sharing this engine; whether it still runs cannot be told from here.</summary>
    OtherHost,

    /// <summary>The resources carry no owner (an older DockScript made them); whether it still runs cannot be told.</summary>
    Unknown,
}

/// <summary>What one earlier or concurrent session has on the engine.</summary>
/// <param name="SessionId">The session id (<c>io.dockscript.session</c>).</param>
/// <param name="Owner">The process that made them, when the labels say.</param>
/// <param name="State">Whether that process may still be using them.</param>
/// <param name="Containers">Container names.</param>
/// <param name="Networks">Network names.</param>
internal sealed record LeftoverSession(string SessionId, SessionOwner? Owner, OwnerState State, IReadOnlyList<string> Containers, IReadOnlyList<string> Networks)
{
    /// <summary>True when <c>dockscript down</c> removes it: its owner is gone, or <paramref name="all"/> was asked for.</summary>
    public bool RemovedBy(bool all) => all || State == OwnerState.Gone;

    /// <summary>Why it is kept or removed, in words.</summary>
    public string Why => State switch
    {
        OwnerState.Gone => $"its process ({Owner}) has ended",
        OwnerState.Running => $"session still running ({Owner})",
        OwnerState.OtherHost => $"made on another machine ({Owner}); it may still be running",
        _ => "made by an older DockScript that records no owner; it may still be running",
    };

    /// <summary>The resources, as <c>2 containers (a, b) and 1 network (n)</c>.</summary>
    public string What => new CleanupReport(Containers, Networks, []).ToString()["removed ".Length..];

    /// <inheritdoc/>
    public override string ToString() => $"session {SessionId}: {What}; {Why}";
}

/// <summary>
/// Finds and removes what DockScript sessions left on the engine (<c>dockscript down</c>). A
/// session whose process still runs is kept unless asked otherwise: on a shared engine it may be a
/// script or a test run in progress.
/// </summary>
internal static class Leftovers
{
    /// <summary>Every session other than <paramref name="lab"/>'s own that has containers or networks on the engine.</summary>
    public static async Task<IReadOnlyList<LeftoverSession>> FindAsync(Lab lab, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var containers = await lab.ListOwnContainersAsync(LabLabels.Managed + "=true", ct).ConfigureAwait(false);
        var networks = await lab.ListOwnNetworksAsync(LabLabels.Managed + "=true", ct).ConfigureAwait(false);
        var resources = containers.Select(c => (Session: LabLabels.SessionOf(c.Labels), Labels: c.Labels, Name: c.Name, IsContainer: true))
            .Concat(networks.Select(n => (Session: LabLabels.SessionOf(n.Labels), Labels: n.Labels, Name: n.Name, IsContainer: false)))
            .Where(r => r.Session is { Length: > 0 } && r.Session != lab.SessionId);
        return resources
            .GroupBy(r => r.Session!, StringComparer.Ordinal)
            .Select(g =>
            {
                var owners = g.Select(r => SessionOwner.From(r.Labels)).ToList();
                var owner = owners.FirstOrDefault(o => o is not null);
                var state = owners.Any(o => o is null) ? OwnerState.Unknown
                    : owners.Any(o => o!.IsAlive) ? OwnerState.Running
                    : owners.Any(o => o!.Host != Environment.MachineName) ? OwnerState.OtherHost
                    : OwnerState.Gone;
                return new LeftoverSession(g.Key, owner, state,
                    g.Where(r => r.IsContainer).Select(r => r.Name).Order(StringComparer.Ordinal).ToList(),
                    g.Where(r => !r.IsContainer).Select(r => r.Name).Order(StringComparer.Ordinal).ToList());
            })
            .OrderBy(s => s.SessionId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Removes everything labelled with one session's id, and nothing else.</summary>
    public static Task<CleanupReport> RemoveAsync(Lab lab, LeftoverSession session, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(session);
        return lab.RemoveLabelledAsync($"{LabLabels.Session}={session.SessionId}", ct);
    }

    /// <summary>
    /// The host's ends (<c>dsh…</c>) of masquerade links whose outside server is gone: what an
    /// interrupted plumbing of an older DockScript could leave. Read through a short-lived container.
    /// </summary>
    public static Task<IReadOnlyList<string>> FindLinksAsync(Lab lab, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return Outside.OrphanLinksAsync(lab, ct);
    }

    /// <summary>Deletes the host links that <see cref="FindLinksAsync"/> found.</summary>
    public static Task RemoveLinksAsync(Lab lab, IReadOnlyList<string> links, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(links);
        return Outside.RemoveLinksAsync(lab, links, ct);
    }
}
