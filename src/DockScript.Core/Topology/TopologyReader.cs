namespace DockScript;

/// <summary>
/// Reads a <see cref="Topology"/> from the engine: one list of networks, one list of containers,
/// then one inspect per container shown (for ports, links and aliases), several at a time.
/// </summary>
internal static class TopologyReader
{
    private const int InspectsAtOnce = 16;

    /// <summary>Everything the engine shows this session (DockScript's probe helpers aside).</summary>
    public static async Task<Topology> EverythingAsync(Lab lab, CancellationToken ct)
    {
        var containers = (await lab.Gateway.Containers.ListAsync(all: true, ct).ConfigureAwait(false))
            .Where(c => !LabLabels.IsProbeHelper(c.Labels)).Select(c => c.Id).ToList();
        return await BuildAsync(lab, containers, networksOf: null, ct).ConfigureAwait(false);
    }

    /// <summary>These containers and every network they are on.</summary>
    public static Task<Topology> OfContainersAsync(Lab lab, IReadOnlyList<Container> containers, CancellationToken ct)
    {
        if (containers.Any(c => c is null))
        {
            throw new DockScriptException("Topology was given a null container; pass containers from Containers.Run or Containers[\"name\"].");
        }
        return BuildAsync(lab, containers.Select(c => c.Id).Distinct().ToList(), networksOf: [], ct);
    }

    /// <summary>A network, its members, and the other networks those members are on.</summary>
    public static async Task<Topology> OfNetworkAsync(Lab lab, Network network, CancellationToken ct)
    {
        var info = await lab.Gateway.Networks.InspectAsync(network.Id, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"Network '{network.Name}' no longer exists.");
        return await BuildAsync(lab, info.Members.Keys.ToList(), networksOf: [network.Name], ct).ConfigureAwait(false);
    }

    /// <summary>What this session created: its containers, its networks, and the networks its containers are on (the run report's picture).</summary>
    public static async Task<Topology> OfSessionAsync(Lab lab, CancellationToken ct)
    {
        var filter = $"{LabLabels.Session}={lab.SessionId}";
        var containers = (await lab.ListOwnContainersAsync(filter, ct).ConfigureAwait(false))
            .Where(c => !LabLabels.IsProbeHelper(c.Labels)).Select(c => c.Id).ToList();
        var networks = (await lab.ListOwnNetworksAsync(filter, ct).ConfigureAwait(false)).Select(n => n.Name).ToList();
        return await BuildAsync(lab, containers, networks, ct).ConfigureAwait(false);
    }

    /// <param name="lab">The session.</param>
    /// <param name="containerIds">The containers to show (names or ids).</param>
    /// <param name="networksOf">Null: every network. Otherwise these networks plus every one a shown container is on.</param>
    /// <param name="ct">Cancels the reads.</param>
    private static async Task<Topology> BuildAsync(Lab lab, IReadOnlyList<string> containerIds, IReadOnlyList<string>? networksOf, CancellationToken ct)
    {
        var listing = lab.Gateway.Networks.ListAsync(ct);
        using var atOnce = new SemaphoreSlim(InspectsAtOnce);
        var inspected = await Task.WhenAll(containerIds.Select(async id =>
        {
            await atOnce.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await lab.Gateway.Containers.InspectAsync(id, ct).ConfigureAwait(false);
            }
            finally
            {
                atOnce.Release();
            }
        })).ConfigureAwait(false);
        var containers = inspected.OfType<ContainerInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var allNetworks = await listing.ConfigureAwait(false);

        var wanted = networksOf is null
            ? null
            : new HashSet<string>(networksOf.Concat(containers.SelectMany(c => c.Networks.Keys)), StringComparer.Ordinal);
        var networks = allNetworks
            .Where(n => wanted is null || wanted.Contains(n.Name))
            .GroupBy(n => n.Name, StringComparer.Ordinal).Select(g => g.First())
            .Select(n => new Network(lab, n))
            .OrderBy(n => n.IsPredefined ? 1 : 0).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new TopologyNetwork(n.Name, n.Driver, n.Subnet, n.Gateway, n.Internal, n.IpMasquerade))
            .ToList();

        var outside = lab.Probes.Pool.StartedOutside is { } o ? new TopologyOutside(o.ServerAddress, o.HostAddress) : null;
        var host = new TopologyHost(lab.Engine.Endpoint.IsLocal ? Environment.MachineName : lab.Engine.Endpoint.Uri.Host);
        return new Topology(Readable.List(networks, "\n"), Readable.List(containers.Select(Container), "\n"), host, outside);
    }

    internal static TopologyContainer Container(ContainerInfo c)
    {
        var shortId = c.Id.Length > 12 ? c.Id[..12] : c.Id;
        var endpoints = c.Networks
            .Select(kv => new TopologyEndpoint(kv.Key, kv.Value.Address,
                Readable.List(kv.Value.Aliases.Where(a => a != c.Name && a != shortId && !c.Id.StartsWith(a, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))))
            .ToList();
        return new TopologyContainer(c.Name, c.Image, c.Status, Readable.List(endpoints), Readable.List(c.Links.Select(Link).OfType<TopologyLink>()), Readable.List(c.Ports));
    }

    /// <summary>The engine keeps a link as <c>/target:/self/alias</c>.</summary>
    internal static TopologyLink? Link(string engineForm)
    {
        var parts = engineForm.Split(':', 2);
        if (parts.Length != 2)
        {
            return null;
        }
        var target = parts[0].TrimStart('/');
        var alias = parts[1][(parts[1].LastIndexOf('/') + 1)..];
        return target.Length == 0 ? null : new TopologyLink(target, alias.Length == 0 ? target : alias);
    }
}
