namespace DockScript;

/// <summary>The Swarm services of a <see cref="Cluster"/>: create one, or find one by name.</summary>
/// <example><code>var web = cluster.Services.Create("web", "dockscript/web", replicas: 3, network: "ov");</code></example>
public sealed class Services
{
    private readonly Cluster cluster;

    internal Services(Cluster cluster) => this.cluster = cluster;

    /// <summary>The service named <paramref name="name"/>.</summary>
    /// <example><code>cluster.Services["web"].Tasks</code></example>
    public Service this[string name] => Ambient.Wait(ct => GetAsync(name, ct));

    /// <inheritdoc cref="this[string]"/>
    public async Task<Service> GetAsync(string name, CancellationToken ct = default)
    {
        var info = await cluster.Manager.Lab.Gateway.Swarm.InspectServiceAsync(name, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"The cluster {cluster.Name} has no service named '{name}'; create it with cluster.Services.Create(\"{name}\", \"dockscript/web\").");
        return new Service(cluster, info.Id, info.Name);
    }

    /// <summary>Every service of the Swarm.</summary>
    /// <example><code>cluster.Services.List()</code></example>
    public IReadOnlyList<Service> List() => Ambient.Wait(ListAsync);

    /// <inheritdoc cref="List"/>
    public async Task<IReadOnlyList<Service>> ListAsync(CancellationToken ct = default)
    {
        var list = await cluster.Manager.Lab.Gateway.Swarm.ServicesAsync(ct).ConfigureAwait(false);
        return Readable.List(list.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new Service(cluster, s.Id, s.Name)).ToList());
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", List().Select(s => s.Name));

    /// <summary>
    /// Creates a replicated service and returns once every replica runs (or says which did not
    /// start, and why). Lab images are already on every node of a cluster DockScript made.
    /// <paramref name="ports"/> publishes <c>"8080:80"</c> on every node (the routing mesh, which
    /// needs IPVS like the VIP) or, with <see cref="EndpointMode.Dnsrr"/>, on the node of each task.
    /// </summary>
    /// <example><code>cluster.Services.Create("web", "dockscript/web", replicas: 3, network: "ov", endpointMode: EndpointMode.Dnsrr)</code></example>
    public Service Create(string name, string image, int replicas = 1, string? network = null, EndpointMode endpointMode = EndpointMode.Vip,
        IEnumerable<string>? ports = null, IEnumerable<string>? env = null, IEnumerable<string>? command = null) =>
        Ambient.Wait(ct => CreateAsync(name, image, replicas, network, endpointMode, ports, env, command, ct));

    /// <inheritdoc cref="Create"/>
    public async Task<Service> CreateAsync(string name, string image, int replicas = 1, string? network = null, EndpointMode endpointMode = EndpointMode.Vip,
        IEnumerable<string>? ports = null, IEnumerable<string>? env = null, IEnumerable<string>? command = null, CancellationToken ct = default)
    {
        Names.Validate(name, "service");
        ReadOnlyCluster.Check(cluster.Manager.Lab, $"create the service {name}");
        if (replicas < 0)
        {
            throw new DockScriptException($"A service needs zero or more replicas, but {replicas} was given.");
        }
        var manager = cluster.Manager.Lab;
        if (network is not null)
        {
            _ = await cluster.Networks.GetAsync(network, ct).ConfigureAwait(false);
        }
        if (await manager.Gateway.Swarm.InspectServiceAsync(name, ct).ConfigureAwait(false) is not null)
        {
            throw new ConflictException($"The cluster {cluster.Name} already has a service named '{name}'; pick another name or remove it first.");
        }
        var published = (ports ?? []).Select(p => ParsePort(p)).ToList();
        var definition = new ServiceDefinition(name, image, replicas, network, endpointMode == EndpointMode.Dnsrr ? "dnsrr" : "vip", manager.LabelsFor(null))
        {
            Env = env?.ToList(),
            Command = command?.ToList(),
            Dns = manager.Options.Dns,
            Ports = published,
        };
        var id = await manager.Gateway.Swarm.CreateServiceAsync(definition, $"create the service {name}", ct).ConfigureAwait(false);
        var service = new Service(cluster, id, name);
        await service.WaitConvergedAsync(replicas, ct).ConfigureAwait(false);
        return service;
    }

    private static (int Published, int Target) ParsePort(string port)
    {
        var parts = port.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var published) && int.TryParse(parts[1], out var target)
            && published is > 0 and < 65536 && target is > 0 and < 65536)
        {
            return (published, target);
        }
        throw new DockScriptException($"'{port}' is not a port a service can publish; write it as \"PUBLISHED:TARGET\", e.g. \"8080:80\".");
    }
}
