using System.Net;

namespace DockScript;

/// <summary>
/// Wraps a reachability matrix so that a front end can show its progress (the CLI and the REPL
/// draw a bar once it takes over a second). Core itself never writes to a console.
/// </summary>
/// <param name="pairs">How many ordered pairs the matrix probes.</param>
/// <param name="matrix">The matrix; call it with the sink that hears how many pairs are done.</param>
internal delegate Task ReachabilityDisplay(int pairs, Func<IProgress<int>, Task> matrix);

// The reachability matrix (see Probes.cs for the class).
public sealed partial class Probes
{
    // Probes in flight at once. The fast path holds a socket per probe, and this process may open
    // 20,000 files here: 8,000 leaves room for the rest. The helper path runs a busybox process
    // per probe in each source's helper: 64 each keeps two cores answering.
    private const int FastPathInFlight = 8_000;
    private const int HelperPathInFlightPerSource = 64;

    /// <summary>Shows a matrix's progress; set by the front end (null: nothing is shown).</summary>
    internal ReachabilityDisplay? ReachabilityDisplay { get; set; }

    /// <summary>
    /// Probes every ordered pair of <paramref name="containers"/>, by IP and (unless
    /// <paramref name="byName"/> is false) by name, all at once, with one echo each.
    /// </summary>
    /// <remarks>
    /// The engine is read once for the whole matrix (every container and network, and each
    /// member's inspect), and every failing cell is explained from that one reading. A member whose
    /// state changed while the matrix ran (the engine's events say so) has its cells probed again,
    /// one by one, as <c>Ping</c> would, from fresh state.
    /// </remarks>
    public async Task<Reachability> ReachabilityAsync(IReadOnlyList<Container> containers, bool byName = true, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(containers);
        Check(1, timeout, "Reachability");
        var distinct = containers.Distinct().ToList();
        if (distinct.Count < 2)
        {
            throw new DockScriptException("Reachability needs at least two containers to compare.");
        }
        var limit = timeout ?? DefaultPingTimeout;
        Watch.Ensure();
        Reachability? matrix = null;
        if (distinct.Any(OnOtherEngine))
        {
            matrix = await MatrixAcrossAsync(distinct, byName, limit, ct).ConfigureAwait(false);
            Record(new JournalEntry.Reachability(matrix));
            return matrix;
        }
        if (ReachabilityDisplay is { } display)
        {
            await display(distinct.Count * (distinct.Count - 1), async progress => matrix = await MatrixAsync(distinct, byName, limit, progress, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        matrix ??= await MatrixAsync(distinct, byName, limit, null, ct).ConfigureAwait(false);
        Record(new JournalEntry.Reachability(matrix));
        return matrix;
    }

    /// <summary>One member of a matrix: as read at its start, and the way into its namespace (null when it does not run).</summary>
    private sealed record Member(Container Container, ContainerView View, IProbeTransport? Transport, SourceFiles? Files)
    {
        public string Name => View.Name;
    }

    private async Task<Reachability> MatrixAsync(List<Container> containers, bool byName, TimeSpan limit, IProgress<int>? progress, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow;
        // The one reading of the engine: all containers and networks, and each member's inspect
        // (its pid and start); the members' own reads replace their rows of the list.
        var listed = cache.SnapshotAsync(ct);
        using (var starting = new SemaphoreSlim(16))
        {
            var members = await Task.WhenAll(containers.Select(c => MemberAsync(c, starting, ct))).ConfigureAwait(false);
            var own = members.Select(m => m.View.Id).ToHashSet(StringComparer.Ordinal);
            var all = await listed.ConfigureAwait(false);
            var view = all with { Containers = all.Containers.Where(c => !own.Contains(c.Id)).Concat(members.Select(m => m.View)).ToList() };

            var gates = members.ToDictionary(m => m.View.Id, _ => FastPath ? null : new SemaphoreSlim(HelperPathInFlightPerSource));
            using var shared = new SemaphoreSlim(FastPathInFlight);
            async Task<PingResult> Gated(Member from, Func<Task<PingResult>> probe)
            {
                var gate = gates[from.View.Id] ?? shared;
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await probe().ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
            var done = 0;
            async Task<ReachabilityCell> Cell(Member from, Member to)
            {
                var ip = Gated(from, () => ByIpAsync(view, from, to, limit, ct));
                var name = byName ? Gated(from, () => ByNameAsync(view, from, to, limit, ct)) : null;
                var cell = new ReachabilityCell(from.Name, to.Name, await ip.ConfigureAwait(false), name is null ? null : await name.ConfigureAwait(false));
                progress?.Report(Interlocked.Increment(ref done));
                return cell;
            }
            try
            {
                var pairs = members.SelectMany(from => members.Where(to => to != from).Select(to => (From: from, To: to))).ToList();
                var cells = await Task.WhenAll(pairs.Select(p => Cell(p.From, p.To))).ConfigureAwait(false);
                // Whatever changed while the probes flew is not what the reading said: those
                // members' cells are probed again, alone, as Ping would, from fresh state.
                var changed = await lab.Gateway.Events.ContainersChangedAsync(since, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                for (var i = 0; i < cells.Length; i++)
                {
                    var (from, to) = pairs[i];
                    if (changed.Contains(from.View.Id) || changed.Contains(to.View.Id))
                    {
                        cells[i] = new ReachabilityCell(from.Name, to.Name,
                            await PingCoreAsync(from.Container, to.Name, to.Container, 1, limit, ct).ConfigureAwait(false),
                            byName ? await PingCoreAsync(from.Container, to.Name, null, 1, limit, ct).ConfigureAwait(false) : null);
                    }
                }
                return new Reachability(members.Select(m => m.Name).ToList(), cells);
            }
            finally
            {
                foreach (var gate in gates.Values)
                {
                    gate?.Dispose();
                }
            }
        }
    }

    private async Task<Member> MemberAsync(Container container, SemaphoreSlim starting, CancellationToken ct)
    {
        await starting.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var view = ContainerView.From(await cache.InspectAsync(container, fresh: true, ct).ConfigureAwait(false));
            if (Diagnosis.SourceProblem(view) is not null)
            {
                return new Member(container, view, null, null);
            }
            var transport = await Pool.TransportAsync(container, ct).ConfigureAwait(false);
            return new Member(container, view, transport, new SourceFiles(transport));
        }
        finally
        {
            starting.Release();
        }
    }

    private async Task<PingResult> ByIpAsync(EngineView view, Member from, Member to, TimeSpan limit, CancellationToken ct)
    {
        var src = from.View;
        if (from.Transport is not { } transport)
        {
            return NotSent(src, to.Name);
        }
        if (Targets.AddressFor(src, to.View) is not { } ip)
        {
            var problem = Targets.Unaddressable(src, to.View);
            return new PingResult(src.Name, to.Name, null, 0, 0, null, problem.Text, transport.Via) { Cause = problem.Cause };
        }
        return await EchoOnceAsync(view, src, to.Name, IPAddress.Parse(ip), to.View, transport, limit, ct).ConfigureAwait(false);
    }

    private async Task<PingResult> ByNameAsync(EngineView view, Member from, Member to, TimeSpan limit, CancellationToken ct)
    {
        var src = from.View;
        if (from.Transport is not { } transport)
        {
            return NotSent(src, to.Name);
        }
        var dns = await targets.ResolveAsync(src, to.Name, transport, Shorter(limit, DefaultDnsTimeout), ct, from.Files, view).ConfigureAwait(false);
        if (!dns.Success)
        {
            return new PingResult(src.Name, to.Name, null, 0, 0, null, dns.Reason ?? "the name did not resolve.", transport.Via) { Cause = dns.Cause };
        }
        return await EchoOnceAsync(view, src, to.Name, IPAddress.Parse(dns.Addresses[0]), null, transport, limit, ct, dns.AnsweredBy == AnsweredBy.HostsFile).ConfigureAwait(false);
    }

    /// <summary>One echo; a failure explained from the matrix's reading, as <c>Ping</c> explains it from a fresh one.</summary>
    private static async Task<PingResult> EchoOnceAsync(EngineView view, ContainerView src, string target, IPAddress address, ContainerView? dst,
        IProbeTransport transport, TimeSpan limit, CancellationToken ct, bool fromHosts = false)
    {
        var echo = await transport.PingAsync(address, 1, limit, EchoInterval, ct).ConfigureAwait(false);
        if (echo.Replies.Count > 0)
        {
            return new PingResult(src.Name, target, address.ToString(), echo.Sent, echo.Replies.Count, RoundTrip.Of(echo.Replies), null, transport.Via);
        }
        var verdict = Diagnosis.NoAnswer(view, src, address.ToString(), dst, limit, "the ping", dst is null ? target : null, fromHosts);
        return new PingResult(src.Name, target, address.ToString(), echo.Sent, 0, null, verdict.Text, transport.Via) { Cause = verdict.Cause };
    }

    /// <summary>A source that does not run (a member has no transport only then) sends nothing.</summary>
    private PingResult NotSent(ContainerView src, string target)
    {
        var cannot = Diagnosis.SourceProblem(src)!;
        return new(src.Name, target, null, 0, 0, null, cannot.Text, ViaName) { Cause = cannot.Cause };
    }
}
