using Docker.DotNet.Models;

namespace DockScript;

/// <summary>The Swarm on one engine: init, join, nodes, services and their tasks.</summary>
internal sealed class SwarmOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>Makes this engine the first manager of a new Swarm, advertised at <paramref name="address"/>.</summary>
    public async Task InitAsync(string address, CancellationToken ct)
    {
        EngineChanges.Announce();
        await Guard($"start a Swarm on {address}", () => engine.Client.Swarm.InitSwarmAsync(new SwarmInitParameters
        {
            ListenAddr = "0.0.0.0:2377",
            AdvertiseAddr = address,
        }, ct), ct).ConfigureAwait(false);
    }

    /// <summary>The tokens that let a worker and a manager join (managers only).</summary>
    public async Task<(string Worker, string Manager)> JoinTokensAsync(CancellationToken ct)
    {
        var swarm = await Guard("read the Swarm's join tokens", () => engine.Client.Swarm.InspectSwarmAsync(ct), ct).ConfigureAwait(false);
        return (swarm.JoinTokens.Worker, swarm.JoinTokens.Manager);
    }

    /// <summary>Joins this engine, advertised at <paramref name="address"/>, to the Swarm a manager at <paramref name="manager"/> leads.</summary>
    public async Task JoinAsync(string address, string manager, string token, CancellationToken ct)
    {
        EngineChanges.Announce();
        await Guard($"join {address} to the Swarm at {manager}", () => engine.Client.Swarm.JoinSwarmAsync(new SwarmJoinParameters
        {
            ListenAddr = "0.0.0.0:2377",
            AdvertiseAddr = address,
            RemoteAddrs = [$"{manager}:2377"],
            JoinToken = token,
        }, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Whether this engine is in a Swarm, and which: (its local node state, the Swarm's id or "").</summary>
    public async Task<(string State, string ClusterId)> MembershipAsync(CancellationToken ct)
    {
        var info = await Guard("read the engine's Swarm state", () => engine.Client.System.GetSystemInfoAsync(ct), ct).ConfigureAwait(false);
        return (info.Swarm?.LocalNodeState?.ToString()?.ToLowerInvariant() ?? "inactive", info.Swarm?.Cluster?.ID ?? "");
    }

    /// <summary>The Swarm's nodes as a manager sees them.</summary>
    public async Task<IReadOnlyList<SwarmNodeInfo>> NodesAsync(CancellationToken ct)
    {
        var nodes = await Guard("list the Swarm's nodes", () => engine.Client.Swarm.ListNodesAsync(ct), ct).ConfigureAwait(false);
        return nodes.Select(n => new SwarmNodeInfo(
            n.ID, n.Description?.Hostname ?? "", n.Spec?.Role ?? "", n.Status?.State ?? "", n.Status?.Addr ?? "")).ToList();
    }

    /// <summary>Creates a replicated service; returns its id.</summary>
    public async Task<string> CreateServiceAsync(ServiceDefinition definition, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        var created = await Guard(what, () => engine.Client.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = Spec(definition) }, ct), ct).ConfigureAwait(false);
        return created.ID!;
    }

    /// <summary>One service; null when there is none.</summary>
    public async Task<ServiceInfo?> InspectServiceAsync(string nameOrId, CancellationToken ct)
    {
        try
        {
            var s = await Guard($"inspect service {nameOrId}", () => engine.Client.Swarm.InspectServiceAsync(nameOrId, ct), ct).ConfigureAwait(false);
            return new ServiceInfo(
                s.ID!, s.Spec!.Name ?? nameOrId, s.Spec.TaskTemplate?.ContainerSpec?.Image ?? "",
                (int)(s.Spec.Mode?.Replicated?.Replicas ?? 0),
                s.Spec.EndpointSpec?.Mode ?? "vip",
                (s.Endpoint?.VirtualIPs ?? []).Select(v => new ServiceAddress(v.NetworkID ?? "", v.Addr ?? "")).ToList(),
                new Dictionary<string, string>(s.Spec.Labels ?? new Dictionary<string, string>()),
                (long)(s.Version?.Index ?? 0))
            {
                Generation = s.Spec.TaskTemplate?.ForceUpdate ?? 0,
                UpdateState = s.UpdateStatus?.State is { Length: > 0 } state ? state : null,
                UpdateMessage = s.UpdateStatus?.Message ?? "",
                Networks = (s.Spec.TaskTemplate?.Networks ?? []).Select(n => n.Target ?? "").Where(n => n.Length > 0).ToList(),
            };
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Every service: (id, name).</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> ServicesAsync(CancellationToken ct)
    {
        var list = await Guard("list services", () => engine.Client.Swarm.ListServicesAsync(new ServiceListParameters(), ct), ct).ConfigureAwait(false);
        return list.Select(s => (s.ID!, s.Spec?.Name ?? s.ID!)).ToList();
    }

    /// <summary>Sets a service's replica count.</summary>
    public async Task ScaleAsync(string id, int replicas, string what, CancellationToken ct)
    {
        var s = await Guard(what, () => engine.Client.Swarm.InspectServiceAsync(id, ct), ct).ConfigureAwait(false);
        var spec = s.Spec!;
        spec.Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = (ulong)replicas } };
        EngineChanges.Announce();
        await Guard(what, () => engine.Client.Swarm.UpdateServiceAsync(id, new ServiceUpdateParameters { Service = spec, Version = (long)(s.Version?.Index ?? 0) }, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Replaces a service's image and environment (a rolling update).</summary>
    public async Task UpdateAsync(string id, string? image, IReadOnlyList<string>? env, string what, CancellationToken ct)
    {
        var s = await Guard(what, () => engine.Client.Swarm.InspectServiceAsync(id, ct), ct).ConfigureAwait(false);
        var spec = s.Spec!;
        if (image is not null)
        {
            spec.TaskTemplate!.ContainerSpec!.Image = image;
        }
        if (env is not null)
        {
            spec.TaskTemplate!.ContainerSpec!.Env = env.ToList();
        }
        spec.TaskTemplate!.ForceUpdate++;
        EngineChanges.Announce();
        await Guard(what, () => engine.Client.Swarm.UpdateServiceAsync(id, new ServiceUpdateParameters { Service = spec, Version = (long)(s.Version?.Index ?? 0) }, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Removes a service; false when it was already gone.</summary>
    public async Task<bool> RemoveServiceAsync(string id, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        try
        {
            await Guard(what, () => engine.Client.Swarm.RemoveServiceAsync(id, ct), ct).ConfigureAwait(false);
            return true;
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>A service's tasks, as the manager records them.</summary>
    public async Task<IReadOnlyList<TaskInfo>> TasksAsync(string serviceId, CancellationToken ct)
    {
        var tasks = await Guard("list the service's tasks", () => engine.Client.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
        }, ct), ct).ConfigureAwait(false);
        return tasks.Select(t => new TaskInfo(
            t.ID!, (int)(t.Slot ?? 0), t.NodeID ?? "", (t.Status?.State.ToString() ?? "").ToLowerInvariant(), (t.DesiredState.ToString() ?? "").ToLowerInvariant(),
            t.Status?.Err is { Length: > 0 } err ? err : t.Status?.Message ?? "",
            t.Status?.ContainerStatus?.ContainerID,
            (t.NetworksAttachments ?? []).SelectMany(a => (a.Addresses ?? []).Select(addr => new ServiceAddress(a.Network?.ID ?? "", addr))).ToList(),
            t.Status?.Timestamp ?? default)
        {
            Generation = t.Spec?.ForceUpdate ?? 0,
        }).ToList();
    }

    private static ServiceSpec Spec(ServiceDefinition d) => new()
    {
        Name = d.Name,
        Labels = new Dictionary<string, string>(d.Labels),
        Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = (ulong)d.Replicas } },
        TaskTemplate = new TaskSpec
        {
            ContainerSpec = new Docker.DotNet.Models.ContainerSpec
            {
                Image = d.Image,
                Labels = new Dictionary<string, string>(d.Labels),
                Env = d.Env?.ToList()!,
                Command = d.Command?.ToList()!,
                DNSConfig = d.Dns is { Count: > 0 } dns ? new DNSConfig { Nameservers = dns.ToList() } : null!,
            },
            Networks = d.Network is null ? null! : [new NetworkAttachmentConfig { Target = d.Network }],
            RestartPolicy = new SwarmRestartPolicy { Condition = "any" },
        },
        EndpointSpec = new EndpointSpec
        {
            Mode = d.EndpointMode,
            Ports = d.Ports.Count == 0 ? null! : d.Ports.Select(p => new PortConfig
            {
                Protocol = "tcp",
                TargetPort = (uint)p.Target,
                PublishedPort = (uint)p.Published,
                PublishMode = d.EndpointMode == "dnsrr" ? "host" : "ingress",
            }).ToList(),
        },
    };

    private Task<T> Guard<T>(string what, Func<Task<T>> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);

    private Task Guard(string what, Func<Task> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);
}

/// <summary>One Swarm node as a manager lists it.</summary>
internal sealed record SwarmNodeInfo(string Id, string Hostname, string Role, string State, string Address);

/// <summary>What to create a service from.</summary>
internal sealed record ServiceDefinition(string Name, string Image, int Replicas, string? Network, string EndpointMode, IReadOnlyDictionary<string, string> Labels)
{
    public IReadOnlyList<string>? Env { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Dns { get; init; }
    public IReadOnlyList<(int Published, int Target)> Ports { get; init; } = [];
}

/// <summary>A service as a manager describes it.</summary>
internal sealed record ServiceInfo(
    string Id, string Name, string Image, int Replicas, string EndpointMode,
    IReadOnlyList<ServiceAddress> VirtualIPs, IReadOnlyDictionary<string, string> Labels, long Version)
{
    /// <summary>The spec's generation: DockScript bumps <c>ForceUpdate</c> on every update, and each task carries the one it was made from.</summary>
    public ulong Generation { get; init; }

    /// <summary>The rolling update's state (<c>updating</c>, <c>completed</c>, <c>paused</c>, <c>rollback_…</c>); null before the first update.</summary>
    public string? UpdateState { get; init; }

    /// <summary>What the Swarm said about the update.</summary>
    public string UpdateMessage { get; init; } = "";

    /// <summary>The networks the spec attaches its tasks to (names or ids, as given).</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
}

/// <summary>An address on one network (CIDR form, as the Swarm reports it).</summary>
internal sealed record ServiceAddress(string NetworkId, string Address);

/// <summary>One task of a service.</summary>
internal sealed record TaskInfo(
    string Id, int Slot, string NodeId, string State, string DesiredState, string Message, string? ContainerId,
    IReadOnlyList<ServiceAddress> Addresses, DateTime Timestamp)
{
    /// <summary>The generation (<c>ForceUpdate</c>) of the spec the task was made from.</summary>
    public ulong Generation { get; init; }
}
