using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace DockScript;

/// <summary>
/// One DockScript session on one engine: the entry point to <see cref="Networks"/>,
/// <see cref="Containers"/> and <see cref="Images"/>. Everything it creates carries its session
/// label, and <see cref="Cleanup"/> removes exactly that, never anything else.
/// </summary>
/// <example><code>Lab.Cleanup()   // "removed 2 containers (nginx1, nginx2) and 1 network (my-network)"</code></example>
public sealed class Lab : IAsyncDisposable, IDisposable
{
    private Lab(DockerEngine engine, LabOptions options)
    {
        Engine = engine;
        Gateway = new DockerGateway(engine);
        Options = options;
        SessionId = options.SessionId ?? NewSessionId();
        Networks = new Networks(this);
        Containers = new Containers(this);
        Images = new Images(Gateway, LabelsFor);
        Probes = new Probes(this);
        Namespaces = new NamespaceFiles(() => Probes.FastPath, Probes.Pool.RunInHelperAsync);
        Clusters = new Clusters(this);
    }

    /// <summary>Connects to the engine and opens a session. Nothing is created until asked for.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers.</exception>
    public static async Task<Lab> StartAsync(LabOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LabOptions();
        var engine = await DockerEngine.ConnectAsync(options.Endpoint, ct).ConfigureAwait(false);
        return new Lab(engine, options);
    }

    /// <summary>This session's id, as found in the <c>io.dockscript.session</c> label.</summary>
    public string SessionId { get; }

    /// <summary>The options the session was opened with.</summary>
    public LabOptions Options { get; }

    /// <summary>The engine connection (endpoint, versions).</summary>
    internal DockerEngine Engine { get; }

    /// <summary>The one way to the engine (see Engine/DockerGateway.cs).</summary>
    internal DockerGateway Gateway { get; }

    /// <summary>
    /// The underlying Docker.DotNet client: the escape hatch for what the DSL does not cover. The
    /// only Docker.DotNet type outside Engine/ (a test holds it so); DockScript itself never uses it.
    /// </summary>
    /// <example><code>await Lab.Docker.System.GetVersionAsync()</code></example>
    public Docker.DotNet.DockerClient Docker => Engine.Client;

    /// <summary>The engine's networks.</summary>
    public Networks Networks { get; }

    /// <summary>The engine's containers.</summary>
    public Containers Containers { get; }

    /// <summary>Image availability: lab images and pulls.</summary>
    internal Images Images { get; }

    internal NamespaceFiles Namespaces { get; }

    /// <summary>Ping, Curl, Resolve and Reachability from inside containers' network namespaces.</summary>
    /// <example><code>Lab.Probes.FastPath   // true locally as root: probes enter namespaces directly</code></example>
    public Probes Probes { get; }

    /// <summary>Swarm clusters: nested engines made on this one (<c>Create</c>), or engines you have (<c>Connect</c>).</summary>
    /// <example><code>Lab.Clusters.Create(nodes: 2)</code></example>
    public Clusters Clusters { get; }

    /// <summary>The cluster node this session's engine is, or null for the engine DockScript was started on.</summary>
    internal string? NodeName { get; set; }

    /// <summary>For a cluster node: the first manager's session, which knows the Swarm's overlays.</summary>
    internal Lab? ClusterManager { get; set; }

    /// <summary>True for a node of <c>Cluster.Connect</c> opened read-only: nothing may be created or removed through it.</summary>
    internal bool ReadOnlyNode { get; set; }

    /// <summary>What this session observed: probe results and assertions, oldest first.</summary>
    public Journal Journal { get; } = new();

    /// <summary>What this session has created and not yet removed, read from the engine by label.</summary>
    /// <example><code>Lab.Created   // nginx1 (container), dockscript-probe-nginx1-3f9a2c (probe helper), my-network (network)</code></example>
    public IReadOnlyList<string> Created => Ambient.Wait(GetCreatedAsync);

    /// <inheritdoc cref="Created"/>
    public async Task<IReadOnlyList<string>> GetCreatedAsync(CancellationToken ct = default)
    {
        var containers = await ListOwnContainersAsync(SessionFilter, ct).ConfigureAwait(false);
        var networks = await ListOwnNetworksAsync(SessionFilter, ct).ConfigureAwait(false);
        // Probe helpers are the session's too, but not the user's doing: they are named as such.
        return Readable.List(containers.OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => LabLabels.IsProbeHelper(c.Labels) ? $"{c.Name} (probe helper)" : $"{c.Name} (container)")
            .Concat(networks.Select(n => n.Name).Order(StringComparer.Ordinal).Select(n => $"{n} (network)")));
    }

    /// <summary>
    /// Removes every container and network this session created, and nothing else. Each engine
    /// call is bounded; what is not removed in time (or after <c>ct</c> fires) is reported as kept.
    /// </summary>
    /// <example><code>Lab.Cleanup();</code></example>
    public CleanupReport Cleanup() => Ambient.Wait(CleanupAsync);

    /// <inheritdoc cref="Cleanup"/>
    public async Task<CleanupReport> CleanupAsync(CancellationToken ct = default)
    {
        try
        {
            return await RemoveLabelledAsync(SessionFilter, ct).ConfigureAwait(false);
        }
        finally
        {
            Probes.Reset();
            Clusters.Forget();
        }
    }

    /// <summary>
    /// Disposes the probes' namespace threads and helper shells and forgets their cached state,
    /// leaving the session usable: the REPL's <c>#reset</c> calls it (a cleanup does it too).
    /// </summary>
    internal void ResetProbes() => Probes.Reset();

    private string SessionFilter => $"{LabLabels.Session}={SessionId}";

    /// <summary>
    /// Force-removes a container DockScript made for a moment (a failed run, a helper). Best effort:
    /// what is left carries the session label, so <see cref="Cleanup"/> still finds it.
    /// </summary>
    internal Task TryRemoveContainerAsync(string id) => Gateway.Containers.TryRemoveAsync(id);

    /// <summary>
    /// How long each engine call of a cleanup may take. A hung engine must not hang the exit: what
    /// it does not remove in time is reported as kept, and the cleanup goes on and returns.
    /// </summary>
    internal TimeSpan CleanupCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many container removals a cleanup has in flight at once. dockerd does each removal's
    /// work itself (kill, network teardown, layer removal) on the host's cores: more at once only
    /// makes each call slower, past <see cref="CleanupCallTimeout"/> on a loaded machine.
    /// </summary>
    internal const int CleanupAtOnce = 8;

    /// <summary>
    /// How many network removals a cleanup has in flight at once. Few: dockerd 20.10 can keep an
    /// "active endpoints" ghost of a network when many are removed together (only a restart clears it).
    /// </summary>
    internal const int CleanupNetworksAtOnce = 4;

    internal async Task<CleanupReport> RemoveLabelledAsync(string labelFilter, CancellationToken ct)
    {
        var removedContainers = new List<string>();
        var removedHelpers = 0;
        var removedNetworks = new List<string>();
        var kept = new List<string>();
        var late = $"the engine did not answer within {CleanupCallTimeout.TotalSeconds:0.#} s";
        // Past the caller's own bound (the CLI's and REPL's total), the rest is reported, not waited for.
        string Late() => ct.IsCancellationRequested ? "not tried: the cleanup ran out of time" : late;
        var listingContainers = BoundedAsync(call => ListOwnContainersAsync(labelFilter, call), ct);
        var listingNetworks = BoundedAsync(call => ListOwnNetworksAsync(labelFilter, call), ct);
        var containers = await listingContainers.ConfigureAwait(false);
        var networks = await listingNetworks.ConfigureAwait(false);
        if (containers is null)
        {
            kept.Add($"the session's containers ({Late()} to list them)");
        }
        if (networks is null)
        {
            kept.Add($"the session's networks ({Late()} to list them)");
        }

        // Each network goes as soon as the last of its members here is gone (the engine refuses to
        // remove one that has any), while other containers are still being removed.
        var members = (networks ?? []).ToDictionary(n => n.Id, _ => new StrongBox<int>(0), StringComparer.Ordinal);
        foreach (var endpoint in (containers ?? []).SelectMany(c => c.Networks.Values))
        {
            if (members.TryGetValue(endpoint.NetworkId, out var count))
            {
                count.Value++;
            }
        }
        using var networkGate = new SemaphoreSlim(CleanupNetworksAtOnce);
        var networkRemovals = new System.Collections.Concurrent.ConcurrentDictionary<string, Task<(NetworkInfo, bool?, string?)>>(StringComparer.Ordinal);
        void NetworkMayGo(NetworkInfo n) => networkRemovals.GetOrAdd(n.Id, _ => Gated(networkGate, () => RemoveNetworkAsync(n)));
        async Task<(NetworkInfo, bool?, string?)> RemoveNetworkAsync(NetworkInfo n)
        {
            try
            {
                var removed = await BoundedAsync<bool?>(async call => await Gateway.Networks.RemoveAsync(n.Id, $"remove network {n.Name}", call).ConfigureAwait(false), ct).ConfigureAwait(false);
                return (n, removed, removed is null ? $"network {n.Name} ({Late()})" : null);
            }
            catch (DockScriptException e) when (e is not EngineUnavailableException)
            {
                // Typically a container someone else attached: it is not ours to disconnect.
                return (n, null, $"network {n.Name} ({await StillAttachedAsync(n, ct).ConfigureAwait(false) ?? e.EngineSays ?? e.Message})");
            }
        }
        foreach (var n in (networks ?? []).Where(n => members[n.Id].Value == 0))
        {
            NetworkMayGo(n);
        }

        // Removals go several at a time (each bounded); the report is assembled in one place after.
        using var containerGate = new SemaphoreSlim(CleanupAtOnce);
        var containerOutcomes = await Task.WhenAll((containers ?? []).Select(c => Gated(containerGate, async () =>
        {
            (ContainerInfo, bool?, string?) outcome;
            try
            {
                var removed = await BoundedAsync<bool?>(async call => await Gateway.Containers.RemoveAsync(c.Id, $"remove {c.Name}", call).ConfigureAwait(false), ct).ConfigureAwait(false);
                outcome = (c, removed, removed is null ? $"{c.Name} ({Late()})" : null);
            }
            catch (DockScriptException e) when (e is not EngineUnavailableException)
            {
                outcome = (c, null, $"{c.Name} ({e.EngineSays ?? e.Message})");
            }
            // Only a removal the engine confirmed frees the networks: one still under way (timed
            // out here) would race the network's removal, which can leave dockerd 20.10 a ghost
            // endpoint that keeps the network until the daemon restarts.
            if (outcome.Item2 is not null)
            {
                foreach (var n in (networks ?? []).Where(n => c.Networks.Values.Any(e => e.NetworkId == n.Id)))
                {
                    if (Interlocked.Decrement(ref members[n.Id].Value) == 0)
                    {
                        NetworkMayGo(n);
                    }
                }
            }
            return outcome;
        }))).ConfigureAwait(false);
        foreach (var (c, removed, why) in containerOutcomes)
        {
            if (why is not null)
            {
                kept.Add(why);
            }
            else if (removed == false)
            {
                // Removed meanwhile (e.g. by the script itself): nothing left to do.
            }
            else if (LabLabels.IsProbeHelper(c.Labels))
            {
                // Probe helpers are plumbing: counted, not named among the user's containers.
                removedHelpers++;
            }
            else
            {
                removedContainers.Add(c.Name);
            }
        }
        var networkOutcomes = await Task.WhenAll((networks ?? []).Select(n => networkRemovals.TryGetValue(n.Id, out var removal)
            ? removal
            : Task.FromResult<(NetworkInfo, bool?, string?)>((n, null, $"network {n.Name} (not tried: a container of this session on it was not removed)")))).ConfigureAwait(false);
        foreach (var (n, removed, why) in networkOutcomes)
        {
            if (why is not null)
            {
                kept.Add(why);
            }
            else if (removed == true)
            {
                removedNetworks.Add(n.Name);
            }
        }
        return new CleanupReport(removedContainers.Order(StringComparer.Ordinal).ToList(), removedNetworks.Order(StringComparer.Ordinal).ToList(), kept)
        {
            ProbeHelpers = removedHelpers,
        };
    }

    /// <summary>"foreign-web is still attached and was not made by this session", or null when the network has no members left to name.</summary>
    private async Task<string?> StillAttachedAsync(NetworkInfo network, CancellationToken ct)
    {
        var now = await BoundedAsync(call => Gateway.Networks.InspectAsync(network.Id, call), ct).ConfigureAwait(false);
        if (now is null || now.Members.Count == 0)
        {
            return null;
        }
        var names = string.Join(", ", now.Members.Keys);
        return now.Members.Count == 1
            ? $"{names} is still attached and was not made by this session; DockScript does not disconnect what it did not create"
            : $"{names} are still attached and were not made by this session; DockScript does not disconnect what it did not create";
    }

    /// <summary>Runs <paramref name="step"/> once <paramref name="gate"/> lets it.</summary>
    private static async Task<T> Gated<T>(SemaphoreSlim gate, Func<Task<T>> step)
    {
        // Not cancelled by ct: each step reports a cancelled call as kept, which the report must say.
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return await step().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One cleanup call, given <see cref="CleanupCallTimeout"/>; default (null: T is a reference or nullable type) when the engine did not answer in time.</summary>
    private async Task<T?> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(CleanupCallTimeout);
        try
        {
            return await call(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return default;
        }
    }

    internal async Task<IReadOnlyList<ContainerInfo>> ListOwnContainersAsync(string labelFilter, CancellationToken ct)
    {
        var list = await Gateway.Containers.ListAsync(all: true, ct, label: labelFilter).ConfigureAwait(false);
        // Belt and braces: act only on what truly carries DockScript's label.
        return list.Where(c => LabLabels.IsManaged(c.Labels)).ToList();
    }

    internal async Task<IReadOnlyList<NetworkInfo>> ListOwnNetworksAsync(string labelFilter, CancellationToken ct)
    {
        var list = await Gateway.Networks.ListAsync(ct, label: labelFilter).ConfigureAwait(false);
        return list.Where(n => LabLabels.IsManaged(n.Labels)).ToList();
    }

    internal Dictionary<string, string> LabelsFor(IReadOnlyDictionary<string, string>? extra) => LabLabels.For(SessionId, Options.Owner, extra);

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <inheritdoc/>
    public void Dispose()
    {
        Clusters.Dispose();
        Probes.Dispose();
        Images.Dispose();
        Engine.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Clusters.Dispose();
        Probes.Dispose();
        Images.Dispose();
        Engine.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"DockScript session {SessionId} on {Engine.Endpoint} (Docker {Engine.DaemonVersion}, API {Engine.ApiVersion})";
}
