namespace DockScript;

// Probes across a cluster's nodes (see Probes.cs for the class). A probe runs through the engine
// of its source's node: a container of another node is handed to that node's session, whose
// transport (the helper path: a remote engine has no /proc here) enters the namespace there.
// A target container on another node is pinged at its address on a network both share: an
// overlay has the same id on every node.
public sealed partial class Probes
{
    /// <summary>"web1@lab-2" for a container of a cluster node; the plain name on this session's engine.</summary>
    internal static string Qualified(Container container) =>
        container.Lab.NodeName is { } node ? $"{container.Name}@{node}" : container.Name;

    // A cluster node's container belongs to that node's session; a second view of the same engine
    // (the portable path's Lab, say) is not another engine, so its probes stay on this session's path.
    private bool OnOtherEngine(Container container) =>
        container.Lab != lab && !string.Equals(container.Lab.NodeName, lab.NodeName, StringComparison.Ordinal);

    /// <summary>
    /// Why a failed probe failed, when a cluster explains it better than one engine's view can
    /// (see Cluster/ClusterDiagnosis.cs); null when no cluster is open or none explains it. A
    /// reason the source itself gives (not running, isolated) or an answer that came stands.
    /// </summary>
    private async Task<Diagnosis.Verdict?> ClusterWhyAsync(Container from, string? name, string? address, Container? to, ProbeCause cause, CancellationToken ct)
    {
        if (cause is ProbeCause.None or ProbeCause.SourceNotRunning or ProbeCause.SourceIsolated or ProbeCause.HttpError or ProbeCause.NotHttp or ProbeCause.LoopbackOnly)
        {
            return null;
        }
        var open = lab.Clusters.Open;
        return open.Count == 0 ? null : await ClusterDiagnosis.WhyAsync(open, from, name, address, to, cause, ct).ConfigureAwait(false);
    }

    private async Task<PingResult> ExplainAcrossAsync(PingResult result, Container from, string? target, Container? to, CancellationToken ct) =>
        !result.Success && await ClusterWhyAsync(from, NameOf(target), result.Address ?? AddressOf(target), to, result.Cause, ct).ConfigureAwait(false) is { } why
            ? result with { Reason = why.Text, Cause = why.Cause }
            : result;

    private async Task<HttpResult> ExplainAcrossAsync(HttpResult result, Container from, Uri uri, CancellationToken ct) =>
        !result.Success && await ClusterWhyAsync(from, NameOf(uri.Host), result.Address ?? AddressOf(uri.Host), null, result.Cause, ct).ConfigureAwait(false) is { } why
            ? result with { Reason = why.Text, Cause = why.Cause }
            : result;

    private async Task<DnsResult> ExplainAcrossAsync(DnsResult result, Container from, string name, CancellationToken ct) =>
        !result.Success && await ClusterWhyAsync(from, NameOf(name), AddressOf(name), null, result.Cause, ct).ConfigureAwait(false) is { } why
            ? result with { Reason = why.Text, Cause = why.Cause }
            : result;

    private static string? NameOf(string? target) => target is null || System.Net.IPAddress.TryParse(target, out _) ? null : target.Trim();

    private static string? AddressOf(string? target) => target is not null && System.Net.IPAddress.TryParse(target, out _) ? target.Trim() : null;

    private async Task<PingResult> PingAcrossAsync(Container from, Container to, int count, TimeSpan? timeout, CancellationToken ct)
    {
        PingResult result;
        if (to.Lab == from.Lab)
        {
            result = await from.Lab.Probes.PingAsync(from, to, count, timeout, ct).ConfigureAwait(false);
        }
        else
        {
            string? address;
            try
            {
                address = await SharedAddressAsync(from, to, ct).ConfigureAwait(false);
            }
            catch (EngineUnavailableException e)
            {
                // The target's node does not answer: say which, and whether the Swarm has it down.
                var down = new PingResult(from.Name, to.Name, null, 0, 0, null, $"the engine of {Qualified(to)} does not answer: {e.Message}", "cluster") { Cause = ProbeCause.NoAnswer };
                result = await ExplainAcrossAsync(down, from, null, to, ct).ConfigureAwait(false) with { Source = Qualified(from), Target = Qualified(to) };
                Record(new JournalEntry.Ping(result));
                return result;
            }
            result = address is null
                ? new PingResult(from.Name, to.Name, null, 0, 0, null,
                    $"{Qualified(to)} has no address that {Qualified(from)} could reach: they share no network (an overlay both are attached to would do).", "cluster")
                { Cause = ProbeCause.NoSharedNetwork }
                : await from.Lab.Probes.PingAsync(from, address, count, timeout, ct).ConfigureAwait(false);
            if (result.Cause is ProbeCause.TargetRemoved or ProbeCause.TargetNotRunning or ProbeCause.AddressVacant)
            {
                // The source's engine does not see the target, which lives on another node and was
                // just inspected there: what this process remembers of that address (an earlier
                // holder, since removed) is not the target.
                result = result with
                {
                    Cause = ProbeCause.NoAnswer,
                    Reason = $"{Qualified(to)} ({address}) did not answer {Qualified(from)}'s ping across the nodes, although both are on the overlay.",
                };
            }
        }
        result = await ExplainAcrossAsync(result, from, null, to, ct).ConfigureAwait(false) with { Source = Qualified(from), Target = Qualified(to) };
        Record(new JournalEntry.Ping(result));
        return result;
    }

    /// <summary>The target's address on a network the source is attached to too (same network id), else its first address.</summary>
    private static async Task<string?> SharedAddressAsync(Container from, Container to, CancellationToken ct)
    {
        var src = await from.InspectRawAsync(ct).ConfigureAwait(false);
        var dst = await to.InspectRawAsync(ct).ConfigureAwait(false);
        var shared = dst.Networks.Values.FirstOrDefault(d => d.Address is not null && src.Networks.Values.Any(s => s.NetworkId == d.NetworkId));
        return shared?.Address;
    }

    /// <summary>The matrix over containers of several engines: every ordered pair pinged through its source's node.</summary>
    private async Task<Reachability> MatrixAcrossAsync(IReadOnlyList<Container> members, bool byName, TimeSpan timeout, CancellationToken ct)
    {
        var pairs = members.SelectMany(f => members.Where(t => !t.Equals(f) || t.Lab != f.Lab).Select(t => (From: f, To: t)))
            .Where(p => !(p.From.Equals(p.To) && p.From.Lab == p.To.Lab)).ToList();
        using var gate = new SemaphoreSlim(16);
        var cells = await Task.WhenAll(pairs.Select(async p =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var ip = await PingAcrossAsync(p.From, p.To, 1, timeout, ct).ConfigureAwait(false);
                PingResult? name = null;
                if (byName)
                {
                    name = await p.From.Lab.Probes.PingAsync(p.From, p.To.Name, 1, timeout, ct).ConfigureAwait(false);
                    name = name with { Source = Qualified(p.From), Target = Qualified(p.To) };
                }
                return new ReachabilityCell(Qualified(p.From), Qualified(p.To), ip, name);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return new Reachability(members.Select(Qualified).ToList(), cells);
    }

    /// <summary>
    /// Fetches <paramref name="url"/> <paramref name="requests"/> times from inside
    /// <paramref name="from"/> and counts who answered: with <c>dockscript/web</c> the body is the
    /// answering container's hostname, which a cluster's tasks are named by.
    /// </summary>
    /// <example><code>Spread(probe, "http://web/", 30)   // web.1@lab-1 10, web.2@lab-2 10, web.3@lab-1 10</code></example>
    public Spread Spread(Container from, string url, int requests = 30, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => SpreadAsync(from, url, requests, timeout, ct));

    /// <inheritdoc cref="Spread(Container, string, int, TimeSpan?)"/>
    public async Task<Spread> SpreadAsync(Container from, string url, int requests = 30, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(requests, timeout, "Spread");
        var names = await lab.Clusters.TaskNamesAsync(ct).ConfigureAwait(false);
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        // One after the other: a DNS round-robin or a VIP spreads connections, not parallel bursts.
        for (var i = 0; i < requests; i++)
        {
            var result = await CurlAsync(from, url, timeout, ct).ConfigureAwait(false);
            if (result.Success)
            {
                var body = result.Body.Trim();
                var who = names.GetValueOrDefault(body, body.Length == 0 ? result.Address ?? "?" : body);
                answers[who] = answers.GetValueOrDefault(who) + 1;
            }
            else
            {
                failures.Add(result.Reason ?? result.Failure.ToString());
            }
        }
        return new Spread(Qualified(from), url, requests, Readable.Map(answers), failures.Distinct().ToList()) { Failed = failures.Count };
    }
}
