namespace DockScript;

/// <summary>
/// Makes a Docker Swarm on this machine (<c>Create</c>: nested engines in containers, no
/// registry, no VM) or attaches to engines that already form one (<c>Connect</c>).
/// </summary>
/// <example><code>var cluster = Cluster.Create(nodes: 3);</code></example>
public sealed class Clusters : IDisposable
{
    private readonly Lab lab;
    private readonly List<Cluster> open = [];
    private readonly Lock gate = new();

    internal Clusters(Lab lab) => this.lab = lab;

    /// <summary>
    /// Starts <paramref name="nodes"/> engines as containers on a new session network named
    /// <paramref name="name"/>, forms a Swarm (<paramref name="managers"/> managers, the rest
    /// workers) and puts the lab images on every node. Everything is session-labelled: a cleanup
    /// removes the nodes, and with them all they ran.
    /// </summary>
    /// <example><code>var cluster = Cluster.Create(nodes: 2, name: "lab");   // lab-1 (manager), lab-2 (worker)</code></example>
    public Cluster Create(int nodes = 3, int managers = 1, string name = "cluster") =>
        Ambient.Wait(ct => CreateAsync(nodes, managers, name, ct));

    /// <inheritdoc cref="Create"/>
    public async Task<Cluster> CreateAsync(int nodes = 3, int managers = 1, string name = "cluster", CancellationToken ct = default)
    {
        var cluster = await new ClusterStart(lab, name, nodes, managers).RunAsync(ct).ConfigureAwait(false);
        Remember(cluster);
        return cluster;
    }

    /// <summary>
    /// Attaches to engines that already form a Swarm (the first must be a manager), e.g.
    /// <c>tcp://10.0.0.5:2375</c>. The cluster is read-only: creating or removing services,
    /// overlays, containers or networks through it is refused with one sentence, unless it was
    /// opened with <c>readOnly: false</c>; what it creates then is session-labelled like everything else.
    /// </summary>
    /// <example><code>var prod = Cluster.Connect("tcp://10.0.0.5:2375", "tcp://10.0.0.6:2375");</code></example>
    public Cluster Connect(params string[] endpoints) => Ambient.Wait(ct => ConnectAsync(endpoints, true, ct));

    /// <inheritdoc cref="Connect(string[])"/>
    /// <example><code>var lab = Cluster.Connect(new[] { "tcp://10.0.0.5:2375" }, readOnly: false);</code></example>
    public Cluster Connect(IReadOnlyList<string> endpoints, bool readOnly) => Ambient.Wait(ct => ConnectAsync(endpoints, readOnly, ct));

    /// <inheritdoc cref="Connect(string[])"/>
    public async Task<Cluster> ConnectAsync(IReadOnlyList<string> endpoints, bool readOnly = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new DockScriptException("Cluster.Connect needs at least one engine address, e.g. Cluster.Connect(\"tcp://10.0.0.5:2375\").");
        }
        var labs = new List<Lab>();
        try
        {
            foreach (var endpoint in endpoints)
            {
                labs.Add(await Lab.StartAsync(lab.Options with { Endpoint = DockerEndpoint.FromEnvironment(endpoint) }, ct).ConfigureAwait(false));
            }
            var nodes = new List<Node>();
            var swarm = await labs[0].Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false);
            foreach (var node in labs)
            {
                var host = node.Engine.Endpoint.Uri.Host;
                var known = swarm.FirstOrDefault(s => s.Address == host);
                var role = known?.Role == "manager" ? NodeRole.Manager : NodeRole.Worker;
                node.ReadOnlyNode = readOnly;
                nodes.Add(new Node(known?.Hostname ?? host, host, node == labs[0] ? NodeRole.Manager : role, node, readOnly, stop: null));
            }
            var cluster = new Cluster("connected", nodes, created: false);
            Remember(cluster);
            return cluster;
        }
        catch
        {
            foreach (var l in labs)
            {
                l.Dispose();
            }
            throw;
        }
    }

    /// <summary>Hostname (a task container's short id) → "web.2@lab-2", over every service of the clusters open.</summary>
    internal async Task<IReadOnlyDictionary<string, string>> TaskNamesAsync(CancellationToken ct)
    {
        List<Cluster> clusters;
        lock (gate)
        {
            clusters = [.. open];
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            foreach (var service in await cluster.Services.ListAsync(ct).ConfigureAwait(false))
            {
                foreach (var task in await service.GetTasksAsync(ct).ConfigureAwait(false))
                {
                    if (task.ContainerId is { Length: >= 12 } id)
                    {
                        names[id[..12]] = $"{service.Name}.{task.Slot}@{task.Node}";
                    }
                }
            }
        }
        return names;
    }

    /// <summary>The clusters this session has open (created or connected), oldest first.</summary>
    internal IReadOnlyList<Cluster> Open
    {
        get
        {
            lock (gate)
            {
                return [.. open];
            }
        }
    }

    private void Remember(Cluster cluster)
    {
        lock (gate)
        {
            open.Add(cluster);
        }
    }

    /// <summary>Closes the connections to the nodes (the session's cleanup removed the nodes themselves).</summary>
    internal void Forget()
    {
        List<Cluster> closing;
        lock (gate)
        {
            closing = [.. open];
            open.Clear();
        }
        foreach (var node in closing.SelectMany(c => c.Nodes))
        {
            node.Lab.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Forget();

    /// <inheritdoc/>
    public override string ToString() => "Cluster.Create(nodes: 3) or Cluster.Connect(\"tcp://…:2375\")";
}
