using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Networks on the engine: list, inspect, create, connect, disconnect, remove.</summary>
internal sealed class NetworkOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>Networks, optionally filtered by one label (<c>key=value</c>) or by name (substring, as the engine matches).</summary>
    public async Task<IReadOnlyList<NetworkInfo>> ListAsync(CancellationToken ct, string? label = null, string? name = null)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>();
        if (label is not null)
        {
            filters["label"] = new Dictionary<string, bool> { [label] = true };
        }
        if (name is not null)
        {
            filters["name"] = new Dictionary<string, bool> { [name] = true };
        }
        var list = await Guard("list networks", () => engine.Client.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = filters.Count == 0 ? null! : filters }, ct), ct).ConfigureAwait(false);
        return list.Select(FromDocker.Network).ToList();
    }

    /// <summary>One network by name, id or id prefix; null when there is none.</summary>
    public async Task<NetworkInfo?> InspectAsync(string nameOrId, CancellationToken ct)
    {
        try
        {
            return FromDocker.Network(await Guard($"inspect network {nameOrId}", () => engine.Client.Networks.InspectNetworkAsync(nameOrId, ct), ct).ConfigureAwait(false));
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Creates a network; returns its id. Docker.DotNet's models (API 1.44+, where the daemon always
    /// refuses a duplicate) no longer carry <c>CheckDuplicate</c>, and a 20.10 engine does not check
    /// without it, so <see cref="Networks"/> settles a race itself after creating.
    /// </summary>
    public async Task<string> CreateAsync(NetworkSpec spec, string what, CancellationToken ct)
    {
        var parameters = new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = spec.Driver,
            Internal = spec.Internal,
            Attachable = spec.Attachable ?? spec.Driver == "overlay",
            IPAM = spec.Subnet is null ? null! : new IPAM { Config = [new IPAMConfig { Subnet = spec.Subnet.Subnet, Gateway = spec.Subnet.Gateway! }] },
            Options = new Dictionary<string, string>(spec.Options),
            Labels = new Dictionary<string, string>(spec.Labels),
        };
        EngineChanges.Announce();
        var created = await Guard(what, () => engine.Client.Networks.CreateNetworkAsync(parameters, ct), ct).ConfigureAwait(false);
        return created.ID;
    }

    public async Task ConnectAsync(string networkId, string containerId, IReadOnlyList<string>? aliases, string? ip, string what, CancellationToken ct)
    {
        var endpoint = new EndpointSettings { Aliases = aliases?.ToList()! };
        if (ip is not null)
        {
            endpoint.IPAMConfig = new EndpointIPAMConfig { IPv4Address = ip };
        }
        EngineChanges.Announce();
        await Guard(what, () => engine.Client.Networks.ConnectNetworkAsync(networkId,
            new NetworkConnectParameters { Container = containerId, EndpointConfig = endpoint }, ct), ct).ConfigureAwait(false);
        EngineChanges.Announce();
    }

    public async Task DisconnectAsync(string networkId, string containerId, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        await Guard(what, () => engine.Client.Networks.DisconnectNetworkAsync(networkId, new NetworkDisconnectParameters { Container = containerId }, ct), ct).ConfigureAwait(false);
        EngineChanges.Announce();
    }

    /// <summary>Removes a network; false when it was already gone.</summary>
    public async Task<bool> RemoveAsync(string id, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        try
        {
            await Guard(what, () => engine.Client.Networks.DeleteNetworkAsync(id, ct), ct).ConfigureAwait(false);
            return true;
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return false;
        }
    }

    private Task<T> Guard<T>(string what, Func<Task<T>> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);

    private Task Guard(string what, Func<Task> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);
}
