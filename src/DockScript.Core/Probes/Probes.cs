using System.Net;

namespace DockScript;

/// <summary>
/// Ping, Curl and Resolve from inside a container's network namespace, and the reachability
/// matrix built from them: the DSL's verbs. Targets are resolved by <see cref="Targets"/>, state
/// comes from the <see cref="StateCache"/>, and the ways into namespaces from the
/// <see cref="TransportPool"/>. A failed probe is a result whose <c>Reason</c> is derived from the
/// engine's state; exceptions are for misuse (a container that does not exist, a bad URL, a
/// count of zero).
/// </summary>
/// <remarks>
/// Two paths give the same answers. Locally as root (<see cref="DockerEngine.CanReadHostProc"/>)
/// probes enter the source's namespace directly (<see cref="NetworkNamespace"/>); otherwise, or
/// with <see cref="LabOptions.ForcePortable"/>, they run busybox tools in one long-lived toolbox
/// helper per source that shares its namespace.
/// </remarks>
public sealed partial class Probes : IDisposable
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

    private readonly Lab lab;
    private readonly StateCache cache;
    private readonly Targets targets;

    internal Probes(Lab lab)
    {
        this.lab = lab;
        cache = new StateCache(lab.Gateway);
        targets = new Targets(cache);
        Pool = new TransportPool(lab, cache);
    }

    /// <summary>The namespace threads, helpers and outside server the probes keep between calls.</summary>
    internal TransportPool Pool { get; }

    /// <summary>True when probes enter namespaces directly (local engine, root, Linux, not forced portable).</summary>
    public bool FastPath => Pool.FastPath;

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
        if (OnOtherEngine(from))
        {
            var there = await ExplainAcrossAsync(await from.Lab.Probes.ResolveAsync(from, name, timeout, ct).ConfigureAwait(false) with { Source = Qualified(from) }, from, name, ct).ConfigureAwait(false);
            Record(new JournalEntry.Resolve(there));
            return there;
        }
        Watch.Ensure();
        var src = await cache.ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        DnsResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new DnsResult(src.Name, name, [], AnsweredBy.None, null, cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            var transport = await Pool.TransportAsync(from, ct).ConfigureAwait(false);
            result = await ExplainAcrossAsync(await targets.ResolveAsync(src, name.Trim(), transport, timeout ?? DefaultDnsTimeout, ct).ConfigureAwait(false), from, name, ct).ConfigureAwait(false);
        }
        Record(new JournalEntry.Resolve(result));
        return result;
    }

    // ───────────── Shared steps ─────────────

    private string ViaName => Pool.Via;

    /// <summary>
    /// Disposes every namespace thread and helper shell and forgets cached state: after a cleanup
    /// removed the helpers, and on the REPL's <c>#reset</c> (through <see cref="Lab.ResetProbes"/>).
    /// </summary>
    internal void Reset()
    {
        StopCaptures();
        cache.Clear();
        Pool.Reset();
    }

    private void Record(JournalEntry entry) => lab.Journal.Add(entry);

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
        StopCaptures();
        watch?.Dispose();
        Pool.Dispose();
    }
}
