namespace DockScript;

/// <summary>
/// A Docker network. Its identity and settings are fixed at creation; <see cref="Containers"/>
/// is read live from the engine each time.
/// </summary>
/// <example><code>Networks["bridge"].Subnet   // "172.17.0.0/16"</code></example>
public sealed class Network : IEquatable<Network>
{
    private readonly Lab lab;

    internal Network(Lab lab, NetworkInfo n)
    {
        this.lab = lab;
        Name = n.Name;
        Id = n.Id;
        Driver = n.Driver;
        Scope = n.Scope;
        Internal = n.Internal;
        Attachable = n.Attachable;
        Options = Readable.Map(new Dictionary<string, string>(n.Options));
        Labels = Readable.Map(new Dictionary<string, string>(n.Labels));
        var ipam = n.Subnets.FirstOrDefault(c => !c.Subnet.Contains(':', StringComparison.Ordinal));
        Subnet = NullIfEmpty(ipam?.Subnet);
        Gateway = NullIfEmpty(ipam?.Gateway);
    }

    /// <summary>The network's name, e.g. <c>bridge</c> or <c>my-network</c>.</summary>
    /// <example><code>net.Name   // "my-network"</code></example>
    public string Name { get; }

    /// <summary>The network's full id.</summary>
    /// <example><code>net.Id</code></example>
    public string Id { get; }

    /// <summary>The short id, as <c>docker network ls</c> shows it.</summary>
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    /// <summary>The driver: <c>bridge</c>, <c>host</c>, <c>null</c> (the none network), <c>overlay</c>, …</summary>
    /// <example><code>Networks["none"].Driver   // "null"</code></example>
    public string Driver { get; }

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    /// <example><code>net.Scope   // "local"</code></example>
    public string Scope { get; }

    /// <summary>The IPv4 subnet in CIDR form, or null (host and none have none).</summary>
    /// <example><code>net.Subnet   // "172.18.0.0/16"</code></example>
    public string? Subnet { get; }

    /// <summary>The gateway address, or null when the engine chose none or reports none.</summary>
    /// <example><code>net.Gateway   // "172.18.0.1"</code></example>
    public string? Gateway { get; }

    /// <summary>True for an internal network: no route out of it (<c>--internal</c>).</summary>
    /// <example><code>Networks.Create("backend", @internal: true).Internal   // true</code></example>
    public bool Internal { get; }

    /// <summary>For an overlay: true when plain containers may join it, not only a service's tasks (<c>--attachable</c>).</summary>
    /// <example><code>cluster.Networks["ov"].Attachable   // true</code></example>
    public bool Attachable { get; }

    /// <summary>The driver options, e.g. <c>com.docker.network.bridge.enable_ip_masquerade</c>.</summary>
    /// <example><code>Networks["bridge"].Options["com.docker.network.bridge.name"]   // "docker0"</code></example>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The network's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>True when DockScript created this network (in any session).</summary>
    /// <example><code>Networks["bridge"].IsManaged   // false</code></example>
    public bool IsManaged => Labels.TryGetValue(LabLabels.Managed, out var v) && v == "true";

    /// <summary>True for the networks every engine has: bridge, host and none.</summary>
    public bool IsPredefined => Name is "bridge" or "host" or "none";

    /// <summary>
    /// True when traffic leaving this network to the outside is masqueraded behind the host's
    /// address (seed S7). Bridge networks do so unless
    /// <c>com.docker.network.bridge.enable_ip_masquerade</c> is false; internal networks have no
    /// way out at all; host, none and other drivers do no masquerading of their own.
    /// </summary>
    /// <example><code>Networks["bridge"].IpMasquerade   // true</code></example>
    public bool IpMasquerade =>
        Driver == "bridge" && !Internal
        && (!Options.TryGetValue("com.docker.network.bridge.enable_ip_masquerade", out var v) || bool.TryParse(v, out var on) && on);

    /// <summary>
    /// The members, as <c>docker network inspect</c> shows them: container name → IPv4 address
    /// (null on host and none, which give no address).
    /// </summary>
    /// <example><code>Networks["bridge"].Containers["nginx1"]   // "172.17.0.2"</code></example>
    public IReadOnlyDictionary<string, string?> Containers => Ambient.Wait(GetContainersAsync);

    /// <inheritdoc cref="Containers"/>
    public async Task<IReadOnlyDictionary<string, string?>> GetContainersAsync(CancellationToken ct = default)
    {
        var n = await lab.Gateway.Networks.InspectAsync(Id, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"Network '{Name}' no longer exists.");
        return Readable.Map(new Dictionary<string, string?>(n.Members, StringComparer.Ordinal));
    }

    /// <summary>Attaches a running or stopped container (seed S13), optionally under extra DNS aliases.</summary>
    /// <example><code>net.Connect(web1);  net.Connect("nginx2", aliases: new[] { "api" });</code></example>
    public void Connect(Container container, IEnumerable<string>? aliases = null, string? ip = null) =>
        Ambient.Wait(ct => ConnectAsync(container, aliases, ip, ct));

    /// <inheritdoc cref="Connect(Container, IEnumerable{string}?, string?)"/>
    public void Connect(string container, IEnumerable<string>? aliases = null, string? ip = null) =>
        Ambient.Wait(async ct => await ConnectAsync(await lab.Containers.GetAsync(container, ct).ConfigureAwait(false), aliases, ip, ct).ConfigureAwait(false));

    /// <inheritdoc cref="Connect(Container, IEnumerable{string}?, string?)"/>
    public async Task ConnectAsync(Container container, IEnumerable<string>? aliases = null, string? ip = null, CancellationToken ct = default)
    {
        container.EnsureManaged("connect");
        var members = await GetContainersAsync(ct).ConfigureAwait(false);
        if (members.ContainsKey(container.Name))
        {
            throw new ConflictException($"{container.Name} is already connected to {Name}.");
        }
        var aliasList = aliases?.ToList();
        if (aliasList is { Count: > 0 } && IsPredefined)
        {
            throw new DockScriptException($"Aliases need a user-defined network, and '{Name}' is not one; create one with Networks.Create(\"my-network\").");
        }
        await lab.Gateway.Networks.ConnectAsync(Id, container.Id, aliasList, ip, $"connect {container.Name} to {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>Detaches a container from this network (seed S13).</summary>
    /// <example><code>net.Disconnect(web1);</code></example>
    public void Disconnect(Container container) => Ambient.Wait(ct => DisconnectAsync(container, ct));

    /// <inheritdoc cref="Disconnect(Container)"/>
    public void Disconnect(string container) =>
        Ambient.Wait(async ct => await DisconnectAsync(await lab.Containers.GetAsync(container, ct).ConfigureAwait(false), ct).ConfigureAwait(false));

    /// <inheritdoc cref="Disconnect(Container)"/>
    public async Task DisconnectAsync(Container container, CancellationToken ct = default)
    {
        container.EnsureManaged("disconnect");
        var members = await GetContainersAsync(ct).ConfigureAwait(false);
        if (!members.ContainsKey(container.Name))
        {
            throw new DockScriptException($"{container.Name} is not connected to {Name}, so there is nothing to disconnect.");
        }
        await lab.Gateway.Networks.DisconnectAsync(Id, container.Id, $"disconnect {container.Name} from {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>Removes this network. Only networks DockScript created can be removed, and only once they are empty.</summary>
    /// <example><code>net.Remove();</code></example>
    public void Remove() => Ambient.Wait(RemoveAsync);

    /// <inheritdoc cref="Remove"/>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        ReadOnlyCluster.Check(lab, $"remove the network {Name}");
        if (!IsManaged)
        {
            throw new ConflictException($"Network '{Name}' was not created by DockScript, so DockScript will not remove it; use 'docker network rm {Name}' if you mean it.");
        }
        var members = await GetContainersAsync(ct).ConfigureAwait(false);
        // An overlay keeps a load-balancer endpoint ("name-endpoint") on each node while it is
        // in use there; it is the Swarm's, not a member anyone could disconnect.
        var users = members.Keys.Where(m => !(Scope == "swarm" && m == $"{Name}-endpoint")).ToList();
        if (users.Count > 0)
        {
            throw new ConflictException($"Network '{Name}' still has members ({string.Join(", ", users)}); disconnect or remove them first.");
        }
        // Already gone (false) is the outcome the caller wanted.
        await lab.Gateway.Networks.RemoveAsync(Id, $"remove network {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>One line, as <c>docker network ls</c> would show it plus the subnet.</summary>
    public override string ToString() =>
        $"{Name} ({ShortId}) {Driver}/{Scope}{(Subnet is null ? "" : " " + Subnet)}{(Internal ? " internal" : "")}";

    /// <summary>Two handles are equal when they name the same network.</summary>
    public bool Equals(Network? other) => other is not null && other.Id == Id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Network);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    internal IReadOnlyList<string> Row() => [ShortId, Name, Driver, Scope, Subnet ?? "", Internal ? "yes" : ""];

    internal static readonly string[] Headers = ["NETWORK ID", "NAME", "DRIVER", "SCOPE", "SUBNET", "INTERNAL"];

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
