using System.Collections;

namespace DockScript;

/// <summary>
/// The Swarm-scope networks of a <see cref="Cluster"/>, as its manager knows them: overlays span
/// every node, over VXLAN (UDP 4789) between the nodes' addresses.
/// </summary>
/// <example><code>cluster.Networks.Create("ov", subnet: "10.20.0.0/24")</code></example>
public sealed class ClusterNetworks : IEnumerable<Network>
{
    private readonly Cluster cluster;

    internal ClusterNetworks(Cluster cluster) => this.cluster = cluster;

    /// <summary>The Swarm-scope network named <paramref name="name"/>.</summary>
    /// <example><code>cluster.Networks["ov"].Subnet</code></example>
    public Network this[string name] => Ambient.Wait(ct => GetAsync(name, ct));

    /// <inheritdoc cref="this[string]"/>
    public async Task<Network> GetAsync(string name, CancellationToken ct = default) =>
        (await ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(n => n.Name == name || n.Id == name)
        ?? throw new NotFoundException($"The cluster {cluster.Name} has no Swarm network named '{name}'; create it with cluster.Networks.Create(\"{name}\").");

    /// <summary>The Swarm-scope networks (overlays, and the Swarm's own ingress).</summary>
    public IReadOnlyList<Network> List() => Ambient.Wait(ListAsync);

    /// <inheritdoc cref="List"/>
    public async Task<IReadOnlyList<Network>> ListAsync(CancellationToken ct = default)
    {
        var all = await cluster.Manager.Lab.Networks.ListAsync(ct).ConfigureAwait(false);
        return Readable.List(all.Where(n => n.Scope == "swarm").ToList());
    }

    /// <summary>
    /// Creates an overlay across the cluster. <paramref name="attachable"/> lets plain containers
    /// (<c>node.Containers.Run(…, network: name)</c>) join it, not only service tasks.
    /// </summary>
    /// <example><code>cluster.Networks.Create("ov", driver: "overlay", attachable: true, subnet: "10.20.0.0/24")</code></example>
    public Network Create(string name, string driver = "overlay", bool attachable = true, string? subnet = null, string? gateway = null) =>
        Ambient.Wait(ct => CreateAsync(name, driver, attachable, subnet, gateway, ct));

    /// <inheritdoc cref="Create"/>
    public async Task<Network> CreateAsync(string name, string driver = "overlay", bool attachable = true, string? subnet = null, string? gateway = null, CancellationToken ct = default)
    {
        Names.Validate(name, "network");
        var manager = cluster.Manager.Lab;
        ReadOnlyCluster.Check(manager, $"create the overlay {name}");
        SubnetInfo? ipam = null;
        if (subnet is not null)
        {
            ipam = new SubnetInfo(UserInput.Parse(() => Cidr.ParseSubnet(subnet)).ToString(), gateway);
        }
        if ((await ListAsync(ct).ConfigureAwait(false)).Any(n => n.Name == name))
        {
            throw new ConflictException($"The cluster {cluster.Name} already has a network named '{name}'; pick another name.");
        }
        var id = await manager.Gateway.Networks.CreateAsync(new NetworkSpec(name, driver, false, manager.LabelsFor(null))
        {
            Subnet = ipam,
            Attachable = attachable,
        }, $"create the overlay {name}", ct).ConfigureAwait(false);
        return await manager.Networks.GetAsync(id, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public IEnumerator<Network> GetEnumerator() => List().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", List().Select(n => $"{n.Name} ({n.Driver})"));
}
