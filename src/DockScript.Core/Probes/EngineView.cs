using System.Net;

namespace DockScript;

/// <summary>One container as a diagnosis needs it: its state and its address on each network.</summary>
internal sealed record ContainerView(string Name, string Id, string State, string NetworkMode, IReadOnlyDictionary<string, EndpointView> Networks)
{
    /// <summary>When the current run started (inspect only): a restart means a new network namespace.</summary>
    public string Started { get; init; } = "";

    /// <summary>The last exit code (inspect only).</summary>
    public long ExitCode { get; init; }

    /// <summary>When the last run ended (inspect only).</summary>
    public string Finished { get; init; } = "";

    /// <summary>The engine's own words for the state (list only), e.g. <c>Exited (137) 40 seconds ago</c>.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Legacy links (inspect only), as the engine lists them: <c>/db1:/web3/db</c>.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>The docker-compose service it runs, if any.</summary>
    public string? Service { get; init; }

    /// <summary>Published ports.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    public bool Running => State == "running";

    public bool OnNone => NetworkMode == "none" || (Networks.Count == 0 && !NetworkMode.StartsWith("container:", StringComparison.Ordinal) && NetworkMode != "host");

    public bool OnHost => NetworkMode == "host";

    /// <summary>The address on the network it was started on, else on its first network.</summary>
    public string? PrimaryAddress =>
        Networks.TryGetValue(NetworkMode is "default" ? "bridge" : NetworkMode, out var e) && e.Address is { } a
            ? a
            : Networks.Values.Select(n => n.Address).FirstOrDefault(a => a is not null);

    public static ContainerView From(ContainerInfo c) => new(
        c.Name, c.Id, c.Status, c.NetworkMode,
        c.Networks.ToDictionary(kv => kv.Key, kv => new EndpointView(kv.Value.NetworkId, kv.Value.Address, kv.Value.Aliases), StringComparer.Ordinal))
    {
        Started = c.StartedAt,
        ExitCode = c.ExitCode,
        Finished = c.FinishedAt,
        Summary = c.Summary,
        Ports = c.Ports,
        Links = c.Links,
        Service = c.Labels.TryGetValue("com.docker.compose.service", out var service) ? service : null,
    };

    /// <summary>The networks (by id) this container shares with <paramref name="other"/>, by name, in name order.</summary>
    public IReadOnlyList<string> SharedNetworks(ContainerView other) =>
        Networks.Where(kv => other.Networks.Values.Any(o => o.NetworkId == kv.Value.NetworkId))
            .Select(kv => kv.Key).ToList();

    public string NetworkList => Networks.Count == 0 ? $"'{NetworkMode}'" : string.Join(", ", Networks.Keys.Select(n => $"'{n}'"));
}

/// <summary>A container's endpoint on one network.</summary>
internal sealed record EndpointView(string NetworkId, string? Address, IReadOnlyList<string> Aliases);

/// <summary>A network as a diagnosis needs it.</summary>
internal sealed record NetworkView(string Name, string Id, string Driver, bool Internal, IReadOnlyList<string> Subnets)
{
    /// <summary>False when the bridge drops traffic between its members (<c>com.docker.network.bridge.enable_icc=false</c>).</summary>
    public bool Icc { get; init; } = true;

    /// <summary>The gateways of its subnets: the host's own addresses on this network.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];

    public bool Contains(IPAddress address) =>
        Subnets.Any(s => System.Net.IPNetwork.TryParse(s, out var net) && net.Contains(address));
}

/// <summary>
/// The engine's containers and networks at one moment, each read once (one list call each) and
/// reused for every question asked of that moment: what a failed probe is explained from. Taken
/// by <see cref="StateCache"/> only when a probe fails, so the happy path costs no extra calls.
/// </summary>
internal sealed record EngineView(IReadOnlyList<ContainerView> Containers, IReadOnlyList<NetworkView> Networks)
{
    public static async Task<EngineView> TakeAsync(DockerGateway gateway, CancellationToken ct)
    {
        var containers = await gateway.Containers.ListAsync(all: true, ct).ConfigureAwait(false);
        var networks = await gateway.Networks.ListAsync(ct).ConfigureAwait(false);
        return new EngineView(
            containers.Where(c => !LabLabels.IsProbeHelper(c.Labels)).Select(ContainerView.From).ToList(),
            networks.Select(n => new NetworkView(n.Name, n.Id, n.Driver, n.Internal, n.Subnets.Select(s => s.Subnet).ToList())
            {
                Icc = !(n.Options.TryGetValue("com.docker.network.bridge.enable_icc", out var icc) && icc == "false"),
                Gateways = n.Subnets.Select(s => s.Gateway ?? FirstHost(s.Subnet)).OfType<string>().ToList(),
            }).ToList());
    }

    /// <summary>Docker's gateway when IPAM names none (the default bridge): the subnet's first host.</summary>
    internal static string? FirstHost(string subnet)
    {
        if (!System.Net.IPNetwork.TryParse(subnet, out var net) || net.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }
        var bytes = net.BaseAddress.GetAddressBytes();
        bytes[3]++;
        return new IPAddress(bytes).ToString();
    }

    public ContainerView? ByName(string name) =>
        Containers.FirstOrDefault(c => c.Name == name)
        ?? Containers.FirstOrDefault(c => c.Networks.Values.Any(e => e.Aliases.Contains(name)));

    /// <summary>The running container that holds <paramref name="address"/> on some network, if any.</summary>
    public ContainerView? Owner(string address) =>
        Containers.FirstOrDefault(c => c.Running && c.Networks.Values.Any(e => e.Address == address));

    public NetworkView? NetworkOf(IPAddress address) =>
        Networks.FirstOrDefault(n => n.Driver is "bridge" or "overlay" or "macvlan" or "ipvlan" && n.Contains(address));

    public NetworkView? Network(string name) => Networks.FirstOrDefault(n => n.Name == name);
}
