using Docker.DotNet;

namespace DockScript.Scripting;

/// <summary>
/// The globals every DockScript script and REPL submission sees: <c>Networks</c>,
/// <c>Containers</c>, the probes <c>Ping</c>, <c>Curl</c>, <c>Resolve</c>, <c>Reachability</c> and <c>Masquerade</c>,
/// <c>Lab</c>, <c>Docker</c> and <c>Args</c>.
/// </summary>
public partial class ScriptGlobals
{
    private readonly Func<Lab> lab;

    /// <summary>Creates the globals for one session.</summary>
    public ScriptGlobals(Lab lab, IReadOnlyList<string>? args = null)
        : this(() => lab, args)
    {
    }

    private ScriptGlobals(Func<Lab> lab, IReadOnlyList<string>? args)
    {
        this.lab = lab;
        Args = args ?? [];
    }

    /// <summary>
    /// Globals whose session is found on each use: the REPL opens before the engine answers, and
    /// a submission that needs Docker while none answers gets one sentence instead of a dead REPL.
    /// </summary>
    /// <param name="lab">Returns the session, or throws <see cref="EngineUnavailableException"/>.</param>
    /// <param name="args">The script arguments.</param>
    public static ScriptGlobals Deferred(Func<Lab> lab, IReadOnlyList<string>? args = null) => new(lab, args);

    /// <summary>The engine's networks: enumerate, index by name, <c>Create</c>.</summary>
    /// <example><code>Networks["bridge"].Subnet</code></example>
    public Networks Networks => Lab.Networks;

    /// <summary>The engine's containers: enumerate the running ones, index by name, <c>Run</c>.</summary>
    /// <example><code>var web1 = Containers.Run("dockscript/web", name: "nginx1");</code></example>
    public Containers Containers => Lab.Containers;

    /// <summary>This session: what it created, and <c>Cleanup()</c>.</summary>
    /// <example><code>Lab.Cleanup()</code></example>
    public Lab Lab => lab();

    /// <summary>The underlying Docker.DotNet client, as an escape hatch.</summary>
    /// <example><code>await Docker.System.GetVersionAsync()</code></example>
    public DockerClient Docker => Lab.Docker;

    /// <summary>The script's arguments: <c>dockscript run file.csx -- a b</c>.</summary>
    /// <example><code>Args.FirstOrDefault() ?? "nginx1"</code></example>
    public IReadOnlyList<string> Args { get; }

    /// <summary>
    /// Pings <paramref name="to"/> from inside <paramref name="from"/>'s network namespace; a
    /// container target means its address on a network both share. Never throws for a network
    /// outcome: a failed ping has a <c>Reason</c>.
    /// </summary>
    /// <example><code>Ping(web1, web2).Success   // true: both on the default bridge (seed S2)</code></example>
    public PingResult Ping(Container from, Container to, int count = 4, TimeSpan? timeout = null) => Lab.Probes.Ping(from, to, count, timeout);

    /// <summary>Pings a name or an address, resolved exactly as <paramref name="from"/> resolves it.</summary>
    /// <example><code>Ping(web1, "nginx2", count: 1, timeout: TimeSpan.FromSeconds(1))</code></example>
    public PingResult Ping(Container from, string to, int count = 4, TimeSpan? timeout = null) => Lab.Probes.Ping(from, to, count, timeout);

    /// <summary>Pings from the container named <paramref name="from"/> to a name or an address.</summary>
    /// <example><code>Ping("nginx1", "172.17.0.3")</code></example>
    public PingResult Ping(string from, string to, int count = 4, TimeSpan? timeout = null) => Lab.Probes.Ping(Source(from), to, count, timeout);

    /// <summary>Pings container <paramref name="to"/> from the container named <paramref name="from"/>.</summary>
    /// <example><code>Ping("nginx1", web2)</code></example>
    public PingResult Ping(string from, Container to, int count = 4, TimeSpan? timeout = null) => Lab.Probes.Ping(Source(from), to, count, timeout);

    /// <inheritdoc cref="Ping(Container, Container, int, TimeSpan?)"/>
    public Task<PingResult> PingAsync(Container from, Container to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.PingAsync(from, to, count, timeout, ct);

    /// <inheritdoc cref="Ping(Container, string, int, TimeSpan?)"/>
    public Task<PingResult> PingAsync(Container from, string to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.PingAsync(from, to, count, timeout, ct);

    /// <summary>
    /// An HTTP GET of <paramref name="url"/> from inside <paramref name="from"/>'s network namespace,
    /// its host resolved as <paramref name="from"/> would. Refused, timed out and unresolvable are told apart.
    /// </summary>
    /// <example><code>Curl(web3, "http://nginx1/").Body   // nginx1's hostname, through the link (seed S11)</code></example>
    public HttpResult Curl(Container from, string url, TimeSpan? timeout = null) => Lab.Probes.Curl(from, url, timeout);

    /// <summary>An HTTP GET from the container named <paramref name="from"/>.</summary>
    /// <example><code>Curl("nginx4", "http://nginx5/").StatusCode   // 200</code></example>
    public HttpResult Curl(string from, string url, TimeSpan? timeout = null) => Lab.Probes.Curl(Source(from), url, timeout);

    /// <inheritdoc cref="Curl(Container, string, TimeSpan?)"/>
    public Task<HttpResult> CurlAsync(Container from, string url, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.CurlAsync(from, url, timeout, ct);

    /// <summary>
    /// Proves masquerade (seed S7): calls a server outside Docker's networks from inside
    /// <paramref name="from"/> and says which address it saw: the host's when the network
    /// masquerades, the container's own when it does not. The server is DockScript's own (a
    /// container joined to the host by a veth pair in 198.18.0.0/15); nothing leaves the machine.
    /// </summary>
    /// <example><code>Masquerade(web1).Masqueraded   // true: the default bridge masquerades</code></example>
    public MasqueradeResult Masquerade(Container from, TimeSpan? timeout = null) => Lab.Probes.Masquerade(from, timeout);

    /// <summary>Proves masquerade from the container named <paramref name="from"/>.</summary>
    /// <example><code>Masquerade("nginx1").SeenAs   // the host's address, not 172.17.0.2</code></example>
    public MasqueradeResult Masquerade(string from, TimeSpan? timeout = null) => Lab.Probes.Masquerade(Source(from), timeout);

    /// <inheritdoc cref="Masquerade(Container, TimeSpan?)"/>
    public Task<MasqueradeResult> MasqueradeAsync(Container from, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.MasqueradeAsync(from, timeout, ct);

    /// <summary>
    /// Resolves <paramref name="name"/> exactly as <paramref name="from"/> does: its /etc/hosts,
    /// then the nameservers of its resolv.conf; says who answered.
    /// </summary>
    /// <example><code>Resolve(web4, "nginx5").AnsweredBy   // EmbeddedDns (seed S14)</code></example>
    public DnsResult Resolve(Container from, string name, TimeSpan? timeout = null) => Lab.Probes.Resolve(from, name, timeout);

    /// <summary>Resolves a name as the container named <paramref name="from"/> does.</summary>
    /// <example><code>Resolve("nginx3", "nginx1").AnsweredBy   // HostsFile (a link, seed S11)</code></example>
    public DnsResult Resolve(string from, string name, TimeSpan? timeout = null) => Lab.Probes.Resolve(Source(from), name, timeout);

    /// <inheritdoc cref="Resolve(Container, string, TimeSpan?)"/>
    public Task<DnsResult> ResolveAsync(Container from, string name, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.ResolveAsync(from, name, timeout, ct);

    /// <summary>Who reaches whom: every ordered pair pinged by IP and by name, all at once.</summary>
    /// <example><code>Reachability(web1, web2, hermit)</code></example>
    public Reachability Reachability(params Container[] containers) => Lab.Probes.Reachability(containers);

    /// <summary>Who reaches whom among the running members of <paramref name="network"/>.</summary>
    /// <example><code>Reachability(Networks["my-network"])</code></example>
    public Reachability Reachability(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var members = network.Containers.Keys.Select(n => Containers[n]).ToArray();
        return Lab.Probes.Reachability(members);
    }

    /// <inheritdoc cref="Reachability(Container[])"/>
    public Task<Reachability> ReachabilityAsync(IReadOnlyList<Container> containers, bool byName = true, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.ReachabilityAsync(containers, byName, timeout, ct);

    private Container Source(string name) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new DockScriptException("A probe needs a source container: give a Container or its name.")
            : Containers[name];

    /// <summary>
    /// Stops the script with a clear message when <paramref name="condition"/> is false; scripts
    /// use it to state what they expect of the network.
    /// </summary>
    /// <exception cref="AssertionFailedException">The condition is false.</exception>
    /// <example><code>Assert(web1.IP is not null, "nginx1 has an address on the bridge");</code></example>
    public void Assert(bool condition, string claim)
    {
        // Globals without a session (unit tests) still assert; there is just no journal to write to.
        Lab?.Journal.Add(new JournalEntry.Assertion(condition, claim));
        if (!condition)
        {
            throw new AssertionFailedException(claim);
        }
    }
}
