namespace DockScript;

/// <summary>
/// Several engines joined in one Docker Swarm: its <see cref="Nodes"/>, the cluster-scope
/// <see cref="Networks"/> (overlays) and the <see cref="Services"/>. Probes accept containers and
/// tasks of any node; each runs through the engine of its source's node.
/// </summary>
/// <example><code>var cluster = Cluster.Create(nodes: 3);  cluster.Nodes</code></example>
public sealed class Cluster
{
    internal Cluster(string name, IReadOnlyList<Node> nodes, bool created)
    {
        Name = name;
        Nodes = Readable.List(nodes);
        Created = created;
        Networks = new ClusterNetworks(this);
        Services = new Services(this);
    }

    /// <summary>The cluster's name: its nodes are <c>name-1</c>, <c>name-2</c>, … on the network <c>name</c>.</summary>
    public string Name { get; }

    /// <summary>The nodes, managers first.</summary>
    /// <example><code>cluster.Nodes[1].Containers.Run("dockscript/toolbox", name: "t2", network: "ov")</code></example>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>The node named <paramref name="name"/>.</summary>
    /// <example><code>cluster["lab-2"].Address</code></example>
    public Node this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new NotFoundException($"The cluster {Name} has no node named '{name}'; its nodes are {string.Join(", ", Nodes.Select(n => n.Name))}.");

    /// <summary>The cluster-scope networks (overlays): create, list, index by name.</summary>
    /// <example><code>cluster.Networks.Create("ov", subnet: "10.20.0.0/24")</code></example>
    public ClusterNetworks Networks { get; }

    /// <summary>The Swarm's services: create, index by name.</summary>
    /// <example><code>var web = cluster.Services.Create("web", "dockscript/web", replicas: 3, network: "ov");</code></example>
    public Services Services { get; }

    /// <summary>True when DockScript started the nodes (<c>Cluster.Create</c>); false for <c>Cluster.Connect</c>.</summary>
    public bool Created { get; }

    /// <summary>The first manager: where the Swarm's state is read and changed.</summary>
    internal Node Manager => Nodes.First(n => n.Role == NodeRole.Manager);

    /// <summary>Swarm node id → node name (its hostname).</summary>
    internal async Task<Dictionary<string, string>> NodeNamesAsync(CancellationToken ct)
    {
        var nodes = await Manager.Lab.Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false);
        return nodes.ToDictionary(n => n.Id, n => n.Hostname, StringComparer.Ordinal);
    }

    /// <summary>The Swarm's view of its nodes: each node's state and role as the manager sees it.</summary>
    /// <example><code>cluster.Status()   // lab-1 manager ready, lab-2 worker down</code></example>
    public IReadOnlyList<string> Status() => Ambient.Wait(StatusAsync);

    /// <inheritdoc cref="Status"/>
    public async Task<IReadOnlyList<string>> StatusAsync(CancellationToken ct = default)
    {
        var nodes = await Manager.Lab.Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false);
        return Readable.List(nodes.OrderBy(n => n.Hostname, StringComparer.Ordinal).Select(n => $"{n.Hostname} {n.Role} {n.State} {n.Address}").ToList());
    }

    /// <inheritdoc/>
    public override string ToString() => $"cluster {Name}: {string.Join(", ", Nodes)}";
}
