using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>
/// Ping, Curl and Resolve from inside a container's network namespace, and the reachability
/// matrix built from them. A failed probe is a result whose <c>Reason</c> is derived from the
/// engine's state; exceptions are for misuse (a container that does not exist, a bad URL, a
/// count of zero).
/// </summary>
/// <remarks>
/// Two paths give the same answers. Locally as root (<see cref="DockerEngine.CanReadHostProc"/>)
/// probes enter the source's namespace directly (<see cref="NetworkNamespace"/>); otherwise, or
/// with <see cref="LabOptions.ForcePortable"/>, they run busybox tools in one long-lived toolbox
/// helper per source that shares its namespace.
/// </remarks>
public sealed class Probes : IDisposable
{
    /// <summary>How long <c>Ping</c> waits for each reply unless told otherwise.</summary>
    public static readonly TimeSpan DefaultPingTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long <c>Resolve</c> waits for each nameserver unless told otherwise.</summary>
    public static readonly TimeSpan DefaultDnsTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>Curl</c> waits for the whole response unless told otherwise.</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The largest <c>count</c> a probe takes: beyond it a typo is likelier than an experiment.</summary>
    public const int MaxCount = 10_000;

    /// <summary>The longest <c>timeout</c> a probe takes: beyond it a lost answer would look like a hang.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>The pause between echoes when <c>count</c> is above one.</summary>
    public static readonly TimeSpan EchoInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan StateTtl = TimeSpan.FromSeconds(1);
    private const string ProbeRole = "probe";
    private const string ProbeFor = "io.dockscript.probe-for";

    private readonly Lab lab;
    private readonly ConcurrentDictionary<string, (ContainerInspectResponse State, long Stamp, long Generation)> states = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<NetworkNamespace?>>> namespaces = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<HelperTransport>>> helpers = new();
    // Process-wide: a change made through any Lab of this process (a script's, a REPL's, a test's
    // second view of one session) must reach every probe cache, or a helper that still holds a
    // stopped source's namespace could answer for it within the cache's second.
    private static long generation;

    internal Probes(Lab lab) => this.lab = lab;

    /// <summary>True when probes enter namespaces directly (local engine, root, Linux, not forced portable).</summary>
    public bool FastPath => !lab.Options.ForcePortable && lab.Engine.CanReadHostProc;

    /// <summary>Forget cached container state: DockScript changed something (connect, stop, …).</summary>
    internal static void Invalidate() => Interlocked.Increment(ref generation);

    internal static bool IsProbeHelper(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(LabLabels.Role, out var role) && role == ProbeRole;

    // ───────────── Blocking forms (they honour the ambient cancellation) ─────────────

    /// <inheritdoc cref="PingAsync(Container, string, int, TimeSpan?, CancellationToken)"/>
    public PingResult Ping(Container from, string to, int count = 4, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => PingAsync(from, to, count, timeout, ct));

    /// <inheritdoc cref="PingAsync(Container, Container, int, TimeSpan?, CancellationToken)"/>
    public PingResult Ping(Container from, Container to, int count = 4, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => PingAsync(from, to, count, timeout, ct));

    /// <inheritdoc cref="CurlAsync"/>
    public HttpResult Curl(Container from, string url, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => CurlAsync(from, url, timeout, ct));

    /// <inheritdoc cref="ResolveAsync"/>
    public DnsResult Resolve(Container from, string name, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => ResolveAsync(from, name, timeout, ct));

    /// <inheritdoc cref="ReachabilityAsync"/>
    public Reachability Reachability(IReadOnlyList<Container> containers, bool byName = true, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => ReachabilityAsync(containers, byName, timeout, ct));

    // ───────────── Ping ─────────────

    /// <summary>Pings <paramref name="to"/> (a name or an address, resolved as <paramref name="from"/> would) from inside <paramref name="from"/>.</summary>
    public async Task<PingResult> PingAsync(Container from, string to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(count, timeout, "Ping");
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new DockScriptException("Ping needs a target: a container, a name or an address.");
        }
        var result = await PingCoreAsync(from, to.Trim(), null, count, timeout ?? DefaultPingTimeout, ct).ConfigureAwait(false);
        Record("ping", result.Success, result.ToString(), result);
        return result;
    }

    /// <summary>Pings container <paramref name="to"/> at its address on a network both share (else its primary address).</summary>
    public async Task<PingResult> PingAsync(Container from, Container to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Check(count, timeout, "Ping");
        var result = await PingCoreAsync(from, to.Name, to, count, timeout ?? DefaultPingTimeout, ct).ConfigureAwait(false);
        Record("ping", result.Success, result.ToString(), result);
        return result;
    }

    private async Task<PingResult> PingCoreAsync(Container from, string target, Container? toContainer, int count, TimeSpan timeout, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var fresh = attempt > 0;
            var src = await ViewAsync(from, fresh, ct).ConfigureAwait(false);
            if (Diagnosis.SourceProblem(src) is { } cannot)
            {
                return new PingResult(src.Name, target, null, 0, 0, null, cannot.Text, ViaName) { Cause = cannot.Cause };
            }
            var transport = await TransportAsync(from, ct).ConfigureAwait(false);
            var (address, dst, problem) = await TargetAsync(src, target, toContainer, transport, fresh, Shorter(timeout, DefaultDnsTimeout), ct).ConfigureAwait(false);
            if (address is null)
            {
                return new PingResult(src.Name, target, null, 0, 0, null, problem?.Text, transport.Via) { Cause = problem?.Cause ?? ProbeCause.NoAnswer };
            }
            var echo = await transport.PingAsync(address, count, timeout, EchoInterval, ct).ConfigureAwait(false);
            if (echo.Replies.Count > 0)
            {
                return new PingResult(src.Name, target, address.ToString(), echo.Sent, echo.Replies.Count, RoundTrip.Of(echo.Replies), null, transport.Via);
            }
            // Explain from fresh state; if that state points elsewhere than the cache did, try once more.
            var view = await EngineView.TakeAsync(lab, ct).ConfigureAwait(false);
            var srcNow = await ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
            var dstNow = toContainer is null ? null : view.Containers.FirstOrDefault(c => c.Id == toContainer.Id);
            // The cache may be up to a second old: if the source restarted meanwhile (a new
            // namespace) or the target moved, the echo went the wrong way. Ask once more, fresh.
            if (!fresh && (srcNow.Started != src.Started
                           || (toContainer is not null && dstNow is not null && AddressFor(srcNow, dstNow) is { } again && again != address.ToString())))
            {
                continue;
            }
            var verdict = Diagnosis.NoAnswer(view, srcNow, address.ToString(), dstNow ?? dst, timeout, "the ping");
            return new PingResult(src.Name, target, address.ToString(), echo.Sent, 0, null, verdict.Text, transport.Via) { Cause = verdict.Cause };
        }
    }

    // ───────────── Resolve ─────────────

    /// <summary>Resolves <paramref name="name"/> exactly as <paramref name="from"/> does: its /etc/hosts, then its resolv.conf nameservers.</summary>
    public async Task<DnsResult> ResolveAsync(Container from, string name, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(1, timeout, "Resolve");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DockScriptException("Resolve needs a name to look up.");
        }
        var src = await ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        DnsResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new DnsResult(src.Name, name, [], AnsweredBy.None, null, cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            var transport = await TransportAsync(from, ct).ConfigureAwait(false);
            result = await ResolveCoreAsync(src, name.Trim(), transport, timeout ?? DefaultDnsTimeout, ct).ConfigureAwait(false);
        }
        Record("resolve", result.Success, result.ToString(), result);
        return result;
    }

    private async Task<DnsResult> ResolveCoreAsync(ContainerView src, string name, IProbeTransport transport, TimeSpan timeout, CancellationToken ct)
    {
        if (IPAddress.TryParse(name, out var literal))
        {
            return new DnsResult(src.Name, name, [literal.ToString()], AnsweredBy.Literal, null, null, transport.Via);
        }
        var hosts = HostsFile.Parse(await ReadOrEmptyAsync(transport, "/etc/hosts", ct).ConfigureAwait(false));
        var fromHosts = hosts.Lookup(name).Where(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (fromHosts.Count > 0)
        {
            return new DnsResult(src.Name, name, fromHosts, AnsweredBy.HostsFile, "/etc/hosts", null, transport.Via);
        }
        var resolv = ResolvConf.Parse(await ReadOrEmptyAsync(transport, "/etc/resolv.conf", ct).ConfigureAwait(false));
        DnsReply? last = null;
        string? asked = null;
        {
            foreach (var server in resolv.Nameservers)
            {
                if (!IPAddress.TryParse(server, out var serverAddress))
                {
                    continue;
                }
                asked = server;
                last = await transport.QueryAsync(serverAddress, name, timeout, ct).ConfigureAwait(false);
                if (last.Status == DnsStatus.Answer)
                {
                    var by = server == "127.0.0.11" ? AnsweredBy.EmbeddedDns : AnsweredBy.Upstream;
                    return new DnsResult(src.Name, name, last.Addresses, by, server, null, transport.Via);
                }
                if (last.Status == DnsStatus.NoSuchName)
                {
                    break; // an authoritative "no": the resolver asks no further
                }
            }
        }
        var view = await EngineView.TakeAsync(lab, ct).ConfigureAwait(false);
        var verdict = Diagnosis.NameFailure(view, src, resolv, name, last, timeout);
        return new DnsResult(src.Name, name, [], AnsweredBy.None, asked, verdict.Text, transport.Via) { Cause = verdict.Cause };
    }

    // ───────────── Curl ─────────────

    /// <summary>GETs <paramref name="url"/> (http://) from inside <paramref name="from"/>, resolving its host as <paramref name="from"/> would.</summary>
    public async Task<HttpResult> CurlAsync(Container from, string url, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(1, timeout, "Curl");
        var uri = ParseUrl(url);
        var limit = timeout ?? DefaultHttpTimeout;
        var src = await ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        HttpResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new HttpResult(src.Name, url, null, null, "", Empty, TimeSpan.Zero, HttpFailure.Source, cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            result = await CurlCoreAsync(from, src, url, uri, limit, ct).ConfigureAwait(false);
        }
        Record("curl", result.Success, result.ToString(), result);
        return result;
    }

    // ───────────── Masquerade ─────────────

    private Lazy<Task<Outside>>? outside;

    /// <inheritdoc cref="MasqueradeAsync(Container, TimeSpan?, CancellationToken)"/>
    public MasqueradeResult Masquerade(Container from, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => MasqueradeAsync(from, timeout, ct));

    /// <summary>
    /// Calls a server outside Docker's networks from inside <paramref name="from"/> and says which
    /// address the request arrived from: the host's when <paramref name="from"/>'s network
    /// masquerades (seed S7), its own when it does not. The first call starts that server: a
    /// container on no Docker network, joined to the engine's host by a veth pair of its own in
    /// 198.18.0.0/15 (see <c>Outside</c>). No packet leaves the machine.
    /// </summary>
    public async Task<MasqueradeResult> MasqueradeAsync(Container from, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(1, timeout, "Masquerade");
        var src = await ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        var own = Readable.Map(src.Networks.Where(kv => kv.Value.Address is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value.Address!, StringComparer.Ordinal));
        MasqueradeResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new MasqueradeResult(src.Name, own, null, "", cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            var world = await OutsideAsync(ct).ConfigureAwait(false);
            if (!await world.ServesAsync(ct).ConfigureAwait(false))
            {
                // Removed by hand or lost with a dockerd restart: start another rather than time out until the next cleanup.
                var stale = outside;
                if (stale is { IsValueCreated: true } && stale.Value.IsCompletedSuccessfully && stale.Value.Result == world)
                {
                    Interlocked.CompareExchange(ref outside, null, stale);
                }
                await lab.TryRemoveContainerAsync(world.Server.Id).ConfigureAwait(false);
                world = await OutsideAsync(ct).ConfigureAwait(false);
            }
            var http = await CurlCoreAsync(from, src, world.Url, new Uri(world.Url), timeout ?? DefaultHttpTimeout, ct).ConfigureAwait(false);
            var seen = http.StatusCode == 200 ? Outside.CallerFrom(http.Body) : null;
            result = new MasqueradeResult(src.Name, own, seen, world.HostAddress,
                seen is not null ? null : http.Reason ?? $"the outside server answered {http.StatusCode}.", http.Via)
            {
                Cause = seen is not null ? ProbeCause.None : http.Cause == ProbeCause.None ? ProbeCause.NoAnswer : http.Cause,
                OnHostNetwork = src.OnHost,
            };
        }
        Record("masquerade", result.Success, result.ToString(), result);
        return result;
    }

    /// <summary>The outside server, started on first use (again after a failed start or a cleanup).</summary>
    private Task<Outside> OutsideAsync(CancellationToken ct)
    {
        var current = outside;
        if (current is null || (current.IsValueCreated && (current.Value.IsFaulted || current.Value.IsCanceled)))
        {
            var fresh = new Lazy<Task<Outside>>(() => Outside.StartAsync(lab, ProbeRole, ct));
            current = Interlocked.CompareExchange(ref outside, fresh, current) == current ? fresh : outside!;
        }
        return current.Value;
    }

    private async Task<HttpResult> CurlCoreAsync(Container from, ContainerView src, string url, Uri uri, TimeSpan timeout, CancellationToken ct)
    {
        var result = await CurlOnceAsync(from, src, url, uri, timeout, ct).ConfigureAwait(false);
        if (result.StatusCode is null && result.Failure != HttpFailure.Dns)
        {
            // A source restarted within the cache's second has a new namespace: try that one.
            var srcNow = await ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
            if (srcNow.Started != src.Started && srcNow.Running)
            {
                return await CurlOnceAsync(from, srcNow, url, uri, timeout, ct).ConfigureAwait(false);
            }
        }
        return result;
    }

    private async Task<HttpResult> CurlOnceAsync(Container from, ContainerView src, string url, Uri uri, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var transport = await TransportAsync(from, ct).ConfigureAwait(false);
        var host = uri.IdnHost;
        var (address, dst, problem) = await TargetAsync(src, host, null, transport, fresh: false, Shorter(timeout, DefaultDnsTimeout), ct).ConfigureAwait(false);
        if (address is null)
        {
            return new HttpResult(src.Name, url, null, null, "", Empty, clock.Elapsed, HttpFailure.Dns, problem?.Text, transport.Via) { Cause = problem?.Cause ?? ProbeCause.UnknownName };
        }
        var exchange = await transport.GetAsync(uri, address, timeout, ct).ConfigureAwait(false);
        clock.Stop();
        if (exchange.Status is { } status)
        {
            string? reason = status >= 400 ? $"the server at {address} answered {status}{Phrase(status)}." : null;
            return new HttpResult(src.Name, url, address.ToString(), status, exchange.Body, exchange.Headers, clock.Elapsed, HttpFailure.None, reason, transport.Via)
            {
                Cause = status >= 400 ? ProbeCause.HttpError : ProbeCause.None,
                Truncated = exchange.Truncated,
            };
        }
        var view = await EngineView.TakeAsync(lab, ct).ConfigureAwait(false);
        var srcNow = await ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
        var owner = dst ?? view.Owner(address.ToString());
        var label = owner is null ? address.ToString() : $"{owner.Name} ({address})";
        var why = exchange.Failure switch
        {
            HttpFailure.Refused => new Diagnosis.Verdict(ProbeCause.Refused, $"nothing listens on port {uri.Port} at {label}: connection refused."),
            HttpFailure.Protocol => new Diagnosis.Verdict(ProbeCause.NotHttp, $"{label} answered on port {uri.Port}, but not with HTTP{(exchange.Detail is null ? "" : $" ({exchange.Detail})")}."),
            _ => Diagnosis.NoAnswer(view, srcNow, address.ToString(), owner, timeout, $"on port {uri.Port}"),
        };
        return new HttpResult(src.Name, url, address.ToString(), null, "", Empty, clock.Elapsed, exchange.Failure, why.Text, transport.Via) { Cause = why.Cause };
    }

    // ───────────── Reachability ─────────────

    /// <summary>
    /// Probes every ordered pair of <paramref name="containers"/>, by IP and (unless
    /// <paramref name="byName"/> is false) by name, all at once, with one echo each.
    /// </summary>
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
        // The helper path execs in containers: keep the engine's queue reasonable.
        using var gate = new SemaphoreSlim(FastPath ? 256 : 16);
        async Task<PingResult> Gated(Func<Task<PingResult>> probe)
        {
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
        var cells = new List<Task<ReachabilityCell>>();
        foreach (var from in distinct)
        {
            foreach (var to in distinct.Where(t => !t.Equals(from)))
            {
                cells.Add(Cell(from, to));
            }
        }
        async Task<ReachabilityCell> Cell(Container from, Container to)
        {
            var ip = Gated(() => PingCoreAsync(from, to.Name, to, 1, limit, ct));
            Task<PingResult>? name = byName ? Gated(() => PingCoreAsync(from, to.Name, null, 1, limit, ct)) : null;
            return new ReachabilityCell(from.Name, to.Name, await ip.ConfigureAwait(false), name is null ? null : await name.ConfigureAwait(false));
        }
        var matrix = new Reachability(distinct.Select(c => c.Name).ToList(), await Task.WhenAll(cells).ConfigureAwait(false));
        Record("reachability", matrix.Failures.Count == 0, $"reachability of {matrix.Containers.Count} containers: {matrix.Summary}", matrix);
        return matrix;
    }

    // ───────────── Shared steps ─────────────

    /// <summary>Turns the target into an address from the source's point of view.</summary>
    private async Task<(IPAddress? Address, ContainerView? Dst, Diagnosis.Verdict? Problem)> TargetAsync(
        ContainerView src, string target, Container? toContainer, IProbeTransport transport, bool fresh, TimeSpan dnsTimeout, CancellationToken ct)
    {
        if (toContainer is not null)
        {
            var dst = await ViewAsync(toContainer, fresh, ct).ConfigureAwait(false);
            if (AddressFor(src, dst) is { } ip)
            {
                return (IPAddress.Parse(ip), dst, null);
            }
            return (null, dst, Diagnosis.PathProblem(src, dst)
                ?? new Diagnosis.Verdict(ProbeCause.NoAddress, $"{dst.Name} has no address of its own (it is on {dst.NetworkList}); nothing can reach it by IP."));
        }
        if (IPAddress.TryParse(target, out var literal))
        {
            return (literal, null, null);
        }
        var dns = await ResolveCoreAsync(src, target, transport, dnsTimeout, ct).ConfigureAwait(false);
        return dns.Success ? (IPAddress.Parse(dns.Addresses[0]), null, null) : (null, null, new Diagnosis.Verdict(dns.Cause, dns.Reason ?? "the name did not resolve."));
    }

    /// <summary>The address of <paramref name="dst"/> on a network shared with <paramref name="src"/>, else its primary address.</summary>
    private static string? AddressFor(ContainerView src, ContainerView dst)
    {
        var shared = src.SharedNetworks(dst);
        foreach (var name in shared)
        {
            var networkId = src.Networks[name].NetworkId;
            if (dst.Networks.Values.FirstOrDefault(e => e.NetworkId == networkId)?.Address is { } a)
            {
                return a;
            }
        }
        return dst.Running ? dst.PrimaryAddress : null;
    }

    private async Task<ContainerView> ViewAsync(Container container, bool fresh, CancellationToken ct) =>
        ContainerView.From(await InspectAsync(container, fresh, ct).ConfigureAwait(false));

    private async Task<ContainerInspectResponse> InspectAsync(Container container, bool fresh, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        var gen = Interlocked.Read(ref generation);
        if (!fresh && states.TryGetValue(container.Id, out var cached) && cached.Generation == gen
            && Stopwatch.GetElapsedTime(cached.Stamp, now) < StateTtl)
        {
            return cached.State;
        }
        var state = await container.InspectRawAsync(ct).ConfigureAwait(false);
        states[container.Id] = (state, now, gen);
        return state;
    }

    private string ViaName => FastPath ? "namespace" : "helper";

    /// <summary>The way into <paramref name="from"/>'s namespace: entered directly, else its helper.</summary>
    private async Task<IProbeTransport> TransportAsync(Container from, CancellationToken ct)
    {
        var state = await InspectAsync(from, fresh: false, ct).ConfigureAwait(false);
        if (FastPath)
        {
            var pid = state.State?.Pid ?? 0;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var entry = namespaces.GetOrAdd(from.Id, _ => new Lazy<Task<NetworkNamespace?>>(() => NetworkNamespace.EnterAsync(pid)));
                var ns = await entry.Value.ConfigureAwait(false);
                if (ns is not null && ns.Pid == pid && ns.IsCurrent)
                {
                    return new NamespaceTransport(ns);
                }
                // Restarted (new pid, new namespace) or gone: enter afresh.
                if (namespaces.TryRemove(new KeyValuePair<string, Lazy<Task<NetworkNamespace?>>>(from.Id, entry)))
                {
                    ns?.Dispose();
                }
            }
        }
        return await HelperAsync(from, state, ct).ConfigureAwait(false);
    }

    private async Task<HelperTransport> HelperAsync(Container from, ContainerInspectResponse state, CancellationToken ct)
    {
        var started = state.State?.StartedAt ?? "";
        var key = $"{from.Id}@{started}";
        var entry = helpers.GetOrAdd(key, _ => new Lazy<Task<HelperTransport>>(() => StartHelperAsync(from, started, CancellationToken.None)));
        try
        {
            var transport = await entry.Value.WaitAsync(ct).ConfigureAwait(false);
            if (transport.Alive)
            {
                return transport;
            }
            // Someone stopped or removed the helper: start a new one.
            if (helpers.TryRemove(new KeyValuePair<string, Lazy<Task<HelperTransport>>>(key, entry)))
            {
                transport.Dispose();
                await lab.TryRemoveContainerAsync(transport.Helper.Id).ConfigureAwait(false);
            }
            return await HelperAsync(from, state, ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            helpers.TryRemove(new KeyValuePair<string, Lazy<Task<HelperTransport>>>(key, entry));
            throw;
        }
    }

    private async Task<HelperTransport> StartHelperAsync(Container source, string started, CancellationToken ct)
    {
        // A helper joined the namespace of an earlier run of this source: it is of no use now.
        foreach (var stale in helpers.Keys.Where(k => k.StartsWith(source.Id + "@", StringComparison.Ordinal) && k != $"{source.Id}@{started}").ToList())
        {
            if (helpers.TryRemove(stale, out var old) && old.IsValueCreated && old.Value.IsCompletedSuccessfully)
            {
                old.Value.Result.Dispose();
                await lab.TryRemoveContainerAsync(old.Value.Result.Helper.Id).ConfigureAwait(false);
            }
        }
        await lab.Images.EnsureLabImageAsync(LabImage.Toolbox, ct).ConfigureAwait(false);
        var name = $"dockscript-probe-{source.Name}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
        var created = await lab.Call(() => lab.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = LabImage.Toolbox.Name,
            // A shell fed over stdin: each probe is a line, not a docker exec.
            Cmd = ["sh"],
            OpenStdin = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            Labels = lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = ProbeRole, [ProbeFor] = source.Id }),
            HostConfig = new HostConfig { NetworkMode = $"container:{source.Id}" },
        }, ct), $"create a probe helper for {source.Name}", ct).ConfigureAwait(false);
        HelperShell? shell = null;
        try
        {
            // Attach before starting, so not a byte of the shell's output is missed.
            shell = await HelperShell.AttachAsync(lab, created.ID, ct).ConfigureAwait(false);
            await lab.Call(() => lab.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct),
                $"start a probe helper for {source.Name}", ct).ConfigureAwait(false);
        }
        catch
        {
            shell?.Dispose();
            await lab.TryRemoveContainerAsync(created.ID).ConfigureAwait(false);
            throw;
        }
        var helper = new Container(lab, created.ID, name, LabImage.Toolbox.Name, lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = ProbeRole }));
        return new HelperTransport(helper, shell, source);
    }

    /// <summary>
    /// Runs <paramref name="argv"/> in <paramref name="source"/>'s probe helper (started if need be)
    /// and returns its output; for reading a namespace whose own image has no tools.
    /// </summary>
    internal async Task<string> RunInHelperAsync(Container source, IReadOnlyList<string> argv, CancellationToken ct)
    {
        var helper = await HelperAsync(source, await InspectAsync(source, fresh: true, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        return await helper.RunAsync(argv, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false)
            ?? throw new DockScriptException($"The probe helper of {source.Name} did not answer within 10 s; try again, or remove it with Lab.Cleanup().");
    }

    /// <summary>Drops what is kept for <paramref name="containerId"/> (its namespace, its helper) and removes the helper.</summary>
    internal async Task ForgetAsync(string containerId)
    {
        Invalidate();
        states.TryRemove(containerId, out _);
        if (namespaces.TryRemove(containerId, out var ns) && ns.IsValueCreated && ns.Value.IsCompletedSuccessfully)
        {
            ns.Value.Result?.Dispose();
        }
        foreach (var key in helpers.Keys.Where(k => k.StartsWith(containerId + "@", StringComparison.Ordinal)).ToList())
        {
            if (helpers.TryRemove(key, out var gone) && gone.IsValueCreated && gone.Value.IsCompletedSuccessfully)
            {
                gone.Value.Result.Dispose();
            }
        }
        // Ask the engine, not only this object: another session object (a REPL reset, a second
        // Lab) may have started a helper for the same container.
        var list = await lab.Engine.CallAsync(() => lab.Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ProbeFor}={containerId}"] = true } },
        }, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
        foreach (var helper in list.Where(c => LabLabels.IsManaged(c.Labels)))
        {
            await lab.TryRemoveContainerAsync(helper.ID).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets every helper (after a cleanup removed them) and cached state.</summary>
    internal void Reset()
    {
        Invalidate();
        states.Clear();
        outside = null;
        DisposeHelpers();
    }

    private void DisposeHelpers()
    {
        foreach (var entry in helpers.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                entry.Value.Result.Dispose();
            }
        }
        helpers.Clear();
    }

    private static async Task<string> ReadOrEmptyAsync(IProbeTransport transport, string path, CancellationToken ct)
    {
        try
        {
            return await transport.ReadFileAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotFoundException)
        {
            return "";
        }
    }

    private void Record(string kind, bool success, string summary, object detail) => lab.Journal.Record(kind, success, summary, detail);

    /// <summary>A probe's name lookup waits no longer than the probe itself would.</summary>
    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void Check(int count, TimeSpan? timeout, string what)
    {
        if (count <= 0)
        {
            throw new DockScriptException($"{what} needs a count of at least 1, but {count} was given.");
        }
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new DockScriptException($"{what} needs a positive timeout, but {t.TotalSeconds:0.###} s was given.");
        }
        if (count > MaxCount)
        {
            throw new DockScriptException($"{what} allows a count of at most {MaxCount}, but {count} was given.");
        }
        if (timeout is { } big && big > MaxTimeout)
        {
            throw new DockScriptException($"{what} allows a timeout of at most an hour, but {big} was given.");
        }
    }

    private static Uri ParseUrl(string url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new DockScriptException($"'{url}' is not a URL Curl can fetch; write it like http://nginx1/ or http://172.17.0.2:8080/path.");
        }
        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new DockScriptException($"Curl speaks plain HTTP only, but '{url}' uses {uri.Scheme}://; use http:// instead.");
        }
        return uri;
    }

    private static string Phrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? $" {(HttpStatusCode)status}" : "";

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var entry in namespaces.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                entry.Value.Result?.Dispose();
            }
        }
        namespaces.Clear();
        DisposeHelpers();
    }
}
