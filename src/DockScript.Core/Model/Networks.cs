using System.Collections;

namespace DockScript;

/// <summary>
/// The engine's networks (seed S1, S12): enumerate them like <c>docker network ls</c>, index them
/// by name or id prefix, and create user-defined ones.
/// </summary>
/// <example><code>Networks.Select(n => n.Name)   // bridge, host, none, …</code></example>
public sealed class Networks : IEnumerable<Network>
{
    private readonly Lab lab;

    internal Networks(Lab lab) => this.lab = lab;

    /// <summary>The network with this name, full id or id prefix.</summary>
    /// <exception cref="NotFoundException">No such network.</exception>
    /// <example><code>Networks["bridge"].Driver   // "bridge"</code></example>
    public Network this[string nameOrId] => Get(nameOrId);

    /// <inheritdoc cref="this[string]"/>
    public Network Get(string nameOrId) => Ambient.Wait(ct => GetAsync(nameOrId, ct));

    /// <inheritdoc cref="this[string]"/>
    public async Task<Network> GetAsync(string nameOrId, CancellationToken ct = default) =>
        await FindAsync(nameOrId, ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"No network named '{nameOrId}' exists; Networks lists them, and Networks.Create(\"{nameOrId}\") makes one.");

    /// <summary>True if a network with this name or id exists.</summary>
    /// <example><code>Networks.Exists("my-network")</code></example>
    public bool Exists(string nameOrId) => Ambient.Wait(async ct => await FindAsync(nameOrId, ct).ConfigureAwait(false) is not null);

    internal async Task<Network?> FindAsync(string nameOrId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            throw new DockScriptException("A network name is needed here, but an empty one was given.");
        }
        var n = await lab.Gateway.Networks.InspectAsync(nameOrId, ct).ConfigureAwait(false);
        return n is null ? null : new Network(lab, n);
    }

    /// <summary>All networks, sorted by name.</summary>
    /// <example><code>Networks.List().Where(n => n.Driver == "bridge")</code></example>
    public IReadOnlyList<Network> List() => Ambient.Wait(ListAsync);

    /// <inheritdoc cref="List"/>
    public async Task<IReadOnlyList<Network>> ListAsync(CancellationToken ct = default)
    {
        var list = await lab.Gateway.Networks.ListAsync(ct).ConfigureAwait(false);
        return Readable.List(list.Select(n => new Network(lab, n)).OrderBy(n => n.Name, StringComparer.Ordinal), "\n");
    }

    /// <summary>
    /// Creates a user-defined network, labelled as this session's. User-defined bridge networks
    /// give their members name resolution through Docker's embedded DNS (seed S12, S14).
    /// </summary>
    /// <param name="name">The new network's name; it must not be taken.</param>
    /// <param name="driver">The driver: <c>bridge</c> (default), or <c>overlay</c> with swarm.</param>
    /// <param name="subnet">An IPv4 subnet in CIDR form, e.g. <c>10.30.0.0/24</c>; the engine picks one when null.</param>
    /// <param name="gateway">The gateway inside <paramref name="subnet"/>; the engine picks one when null.</param>
    /// <param name="internal">True for no route out of the network (<c>--internal</c>).</param>
    /// <param name="ipMasquerade">False to turn off masquerading of outbound traffic (bridge only).</param>
    /// <param name="labels">Extra labels.</param>
    /// <exception cref="ConflictException">The name is taken.</exception>
    /// <exception cref="DockScriptException">The subnet or gateway is malformed.</exception>
    /// <example><code>var net = Networks.Create("my-network");  Networks.Create("backend", subnet: "10.30.0.0/24", @internal: true);</code></example>
    public Network Create(string name, string driver = "bridge", string? subnet = null, string? gateway = null,
        bool @internal = false, bool? ipMasquerade = null, IReadOnlyDictionary<string, string>? labels = null) =>
        Ambient.Wait(ct => CreateAsync(name, driver, subnet, gateway, @internal, ipMasquerade, labels, ct));

    /// <inheritdoc cref="Create"/>
    public async Task<Network> CreateAsync(string name, string driver = "bridge", string? subnet = null, string? gateway = null,
        bool @internal = false, bool? ipMasquerade = null, IReadOnlyDictionary<string, string>? labels = null, CancellationToken ct = default)
    {
        Names.Validate(name, "network");
        ReadOnlyCluster.Check(lab, $"create the network {name}");
        SubnetInfo? ipam = null;
        if (subnet is not null || gateway is not null)
        {
            if (subnet is null)
            {
                throw new DockScriptException("A gateway needs a subnet to live in; pass subnet: too, e.g. subnet: \"10.30.0.0/24\".");
            }
            var net = UserInput.Parse(() => Cidr.ParseSubnet(subnet));
            if (gateway is not null && (!System.Net.IPAddress.TryParse(gateway, out var gw) || !net.Contains(gw)))
            {
                throw new DockScriptException($"Gateway '{gateway}' is not an address inside {subnet}; pick one such as {FirstHost(net)}.");
            }
            ipam = new SubnetInfo(net.ToString(), gateway);
        }

        // Sessions of one process take turns between the name check and the create, so the later
        // one sees the earlier one's network; across processes SettleDuplicateAsync decides.
        await CreatingOneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await CreateCheckedAsync(name, driver, @internal, ipMasquerade, labels, ipam, ct).ConfigureAwait(false);
        }
        finally
        {
            CreatingOneAtATime.Release();
        }
    }

    private static readonly SemaphoreSlim CreatingOneAtATime = new(1, 1);

    private async Task<Network> CreateCheckedAsync(string name, string driver, bool @internal, bool? ipMasquerade,
        IReadOnlyDictionary<string, string>? labels, SubnetInfo? ipam, CancellationToken ct)
    {
        if (await FindByExactNameAsync(name, ct).ConfigureAwait(false) is { } existing)
        {
            throw existing.IsManaged
                ? new ConflictException($"A network named '{name}' already exists, left by a DockScript session; pick another name or run 'dockscript down' to clear leftovers.")
                : new ConflictException($"A network named '{name}' already exists and was not created by DockScript; pick another name (DockScript will not touch it).");
        }

        var options = new Dictionary<string, string>();
        if (ipMasquerade is { } masquerade)
        {
            options["com.docker.network.bridge.enable_ip_masquerade"] = masquerade ? "true" : "false";
        }
        var id = await lab.Gateway.Networks.CreateAsync(new NetworkSpec(name, driver, @internal, lab.LabelsFor(labels))
        {
            Subnet = ipam,
            Options = options,
        }, $"create network {name}", ct).ConfigureAwait(false);
        await SettleDuplicateAsync(name, id, ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Two sessions that both passed the check above may both have created <paramref name="name"/>
    /// (an engine before API 1.44 allows it). Every creator looks again, and all agree that the
    /// earliest (then the smallest id) keeps the name; a later one removes its own and says so.
    /// </summary>
    private async Task SettleDuplicateAsync(string name, string id, CancellationToken ct)
    {
        var same = (await lab.Gateway.Networks.ListAsync(ct, name: name).ConfigureAwait(false)).Where(n => n.Name == name).ToList();
        var first = same.OrderBy(n => n.Created).ThenBy(n => n.Id, StringComparer.Ordinal).FirstOrDefault();
        if (first is not null && first.Id != id)
        {
            await lab.Gateway.Networks.RemoveAsync(id, $"remove the duplicate network {name}", CancellationToken.None).ConfigureAwait(false);
            throw new ConflictException($"A network named '{name}' was created by someone else at the same moment; pick another name.");
        }
    }

    private async Task<Network?> FindByExactNameAsync(string name, CancellationToken ct)
    {
        var list = await lab.Gateway.Networks.ListAsync(ct, name: name).ConfigureAwait(false);
        // The name filter matches substrings; only an exact match is a clash.
        return list.Where(n => n.Name == name).Select(n => new Network(lab, n)).FirstOrDefault();
    }

    private static string FirstHost(System.Net.IPNetwork net)
    {
        var bytes = net.BaseAddress.GetAddressBytes();
        bytes[^1] += 1;
        return new System.Net.IPAddress(bytes).ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<Network> GetEnumerator() => List().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A table like <c>docker network ls</c>, with subnets.</summary>
    public override string ToString() => TextTable.Render(Network.Headers, List().Select(n => n.Row()));
}
