namespace DockScript.Scripting;

// The topology verbs: what is connected to what, as data and as a picture.
public partial class ScriptGlobals
{
    /// <summary>
    /// Everything this session can see: every network and container on the engine (DockScript's
    /// probe helpers aside), with addresses, aliases, links, ports, the host and the outside server.
    /// </summary>
    /// <example><code>Topology().Save("lab.svg")</code></example>
    public Topology Topology() => Ambient.Wait(ct => TopologyAsync((IReadOnlyList<Container>?)null, ct));

    /// <summary>These containers and every network they are on.</summary>
    /// <example><code>Topology(web1, web2).ToMermaid()</code></example>
    public Topology Topology(params Container[] containers) => Ambient.Wait(ct => TopologyAsync(containers, ct));

    /// <summary>The containers with these names and every network they are on.</summary>
    /// <example><code>Topology("nginx1", "nginx2")</code></example>
    public Topology Topology(params string[] containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        return Topology(containers.Select(Containers.Get).ToArray());
    }

    /// <summary>A network, its members, and the other networks they are on.</summary>
    /// <example><code>Topology(Networks["my-network"]).ToSvg()</code></example>
    public Topology Topology(Network network) => Ambient.Wait(ct => TopologyAsync(network, ct));

    /// <summary>The topology of <paramref name="containers"/> and their networks; everything when null.</summary>
    /// <example><code>await TopologyAsync()</code></example>
    public Task<Topology> TopologyAsync(IReadOnlyList<Container>? containers = null, CancellationToken ct = default) =>
        containers is null ? TopologyReader.EverythingAsync(Lab, ct) : TopologyReader.OfContainersAsync(Lab, containers, ct);

    /// <inheritdoc cref="Topology(Network)"/>
    public Task<Topology> TopologyAsync(Network network, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        return TopologyReader.OfNetworkAsync(Lab, network, ct);
    }
}
