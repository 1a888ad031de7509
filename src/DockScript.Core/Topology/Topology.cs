using System.Text;

namespace DockScript;

/// <summary>
/// What is connected to what, at one moment: networks (boxes), containers in or on them, their
/// addresses and aliases, <c>--link</c>s, published ports, the host, and DockScript's outside
/// server when a probe started it. Draw it with <see cref="ToSvg"/>, <see cref="ToMermaid"/> or
/// <see cref="ToDot"/>, or <see cref="Save"/> it; <see cref="WithReachability"/> overlays a matrix.
/// </summary>
/// <param name="Networks">The networks, by name.</param>
/// <param name="Containers">The containers, by name.</param>
/// <param name="Host">The engine's host: where published ports listen and masqueraded traffic leaves.</param>
/// <param name="Outside">DockScript's outside server (seed S7), or null when no probe has started it.</param>
/// <example><code>Topology().Save("lab.svg")</code></example>
public sealed record Topology(
    IReadOnlyList<TopologyNetwork> Networks,
    IReadOnlyList<TopologyContainer> Containers,
    TopologyHost Host,
    TopologyOutside? Outside)
{
    /// <summary>The matrix drawn over the picture, or null; set by <see cref="WithReachability"/>.</summary>
    public Reachability? Reachability { get; init; }

    /// <summary>
    /// The same topology with a reachability matrix drawn over it: an arrow for each pair that
    /// answered, a red dashed one with the cause for each that did not.
    /// </summary>
    /// <example><code>Topology(web1, web2).WithReachability(Reachability(web1, web2)).Save("s2.svg")</code></example>
    public Topology WithReachability(Reachability matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return this with { Reachability = matrix };
    }

    /// <summary>The network with this name, or null.</summary>
    public TopologyNetwork? Network(string name) => Networks.FirstOrDefault(n => n.Name == name);

    /// <summary>The container with this name, or null.</summary>
    public TopologyContainer? Container(string name) => Containers.FirstOrDefault(c => c.Name == name);

    /// <summary>The picture as Graphviz DOT text: networks are clusters, a container on two networks sits between them.</summary>
    /// <example><code>File.WriteAllText("lab.dot", Topology().ToDot())</code></example>
    public string ToDot() => TopologyDot.Write(this);

    /// <summary>The picture as a Mermaid flowchart, which GitHub and many editors draw.</summary>
    /// <example><code>Topology().ToMermaid()</code></example>
    public string ToMermaid() => TopologyMermaid.Write(this);

    /// <summary>
    /// The picture as SVG, laid out by Graphviz's <c>dot</c>.
    /// </summary>
    /// <exception cref="DockScriptException">Graphviz is not installed (<see cref="Save"/> then writes Mermaid text instead).</exception>
    /// <example><code>File.WriteAllText("lab.svg", Topology().ToSvg())</code></example>
    public string ToSvg() => Ambient.Wait(ToSvgAsync);

    /// <inheritdoc cref="ToSvg"/>
    public async Task<string> ToSvgAsync(CancellationToken ct = default) =>
        await Graphviz.RenderSvgAsync(ToDot(), ct).ConfigureAwait(false)
        ?? throw new DockScriptException(Graphviz.Missing + "; ToMermaid() gives the same picture as text.");

    /// <summary>
    /// Writes the picture in the format its extension names: <c>.svg</c>, <c>.mmd</c> (Mermaid) or
    /// <c>.dot</c>. Without Graphviz, an <c>.svg</c> request writes Mermaid text next to it (<c>.mmd</c>) and says so.
    /// </summary>
    /// <exception cref="DockScriptException">Another extension, or the file cannot be written.</exception>
    /// <example><code>Topology().Save("lab.svg")   // wrote lab.svg (SVG, 4 networks, 6 containers)</code></example>
    public TopologyFile Save(string path) => Ambient.Wait(ct => SaveAsync(path, ct));

    /// <inheritdoc cref="Save"/>
    public async Task<TopologyFile> SaveAsync(string path, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DockScriptException("Save needs a file name ending in .svg, .mmd or .dot, e.g. Save(\"lab.svg\").");
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        string text, format, written = path;
        string? note = null;
        switch (extension)
        {
            case ".dot" or ".gv":
                (text, format) = (ToDot(), "DOT");
                break;
            case ".mmd" or ".mermaid":
                (text, format) = (ToMermaid(), "Mermaid");
                break;
            case ".svg":
                var svg = await Graphviz.RenderSvgAsync(ToDot(), ct).ConfigureAwait(false);
                if (svg is null)
                {
                    written = Path.ChangeExtension(path, ".mmd");
                    (text, format) = (ToMermaid(), "Mermaid");
                    note = $"{Graphviz.Missing}, so {written} holds the picture as Mermaid text instead of {path}";
                }
                else
                {
                    (text, format) = (svg, "SVG");
                }
                break;
            default:
                throw new DockScriptException(
                    $"Save cannot tell a picture format from '{path}'; end the name in .svg (a drawing), .mmd (Mermaid) or .dot (Graphviz).");
        }
        try
        {
            await File.WriteAllTextAsync(written, text, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DockScriptException($"'{written}' cannot be written ({e.Message.TrimEnd('.')}); pick a path in a writable directory.");
        }
        return new TopologyFile(Path.GetFullPath(written), format, Networks.Count, Containers.Count, note);
    }

    /// <summary>An indented outline: each network with its containers, addresses and aliases, then links and ports.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"topology: {Networks.Count} network{(Networks.Count == 1 ? "" : "s")}, {Containers.Count} container{(Containers.Count == 1 ? "" : "s")}");
        foreach (var network in Networks)
        {
            text.Append('\n').Append(network);
            foreach (var (container, endpoint) in MembersOf(network.Name))
            {
                text.Append("\n  ").Append(container.Name).Append(' ').Append(endpoint.Describe());
            }
        }
        var alone = Containers.Where(c => c.Endpoints.Count == 0).ToList();
        if (alone.Count > 0)
        {
            text.Append("\n(no network)");
            foreach (var c in alone)
            {
                text.Append("\n  ").Append(c.Name).Append(' ').Append(c.State);
            }
        }
        foreach (var c in Containers)
        {
            foreach (var link in c.Links)
            {
                text.Append('\n').Append($"link {c.Name} → {link.Target}{(link.Alias == link.Target ? "" : $" as {link.Alias}")}");
            }
            foreach (var port in c.Ports)
            {
                text.Append('\n').Append($"port {port} → {c.Name}");
            }
        }
        if (Outside is not null)
        {
            text.Append('\n').Append(Outside);
        }
        return text.ToString();
    }

    /// <summary>The containers on <paramref name="network"/>, with their endpoint there, by name.</summary>
    public IReadOnlyList<(TopologyContainer Container, TopologyEndpoint Endpoint)> MembersOf(string network) =>
        Containers.SelectMany(c => c.Endpoints.Where(e => e.Network == network).Select(e => (c, e))).ToList();
}

/// <summary>A network of a <see cref="Topology"/>.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Driver"><c>bridge</c>, <c>host</c>, <c>null</c> (the none network), …</param>
/// <param name="Subnet">The IPv4 subnet, or null.</param>
/// <param name="Gateway">The gateway address, or null.</param>
/// <param name="Internal">True when it has no way out (<c>--internal</c>).</param>
/// <param name="Masquerade">True when traffic leaving it is masqueraded behind the host's address.</param>
public sealed record TopologyNetwork(string Name, string Driver, string? Subnet, string? Gateway, bool Internal, bool Masquerade)
{
    /// <summary>What kind of box it is drawn as: <c>none</c>, <c>host</c>, <c>internal</c> or <c>bridge</c> (any other).</summary>
    public string Style => Driver == "null" || Name == "none" ? "none" : Driver == "host" ? "host" : Internal ? "internal" : "bridge";

    /// <summary>"my-network (bridge, 172.18.0.0/16, gateway 172.18.0.1, masquerade)".</summary>
    public override string ToString()
    {
        var parts = new List<string> { Driver };
        if (Subnet is not null)
        {
            parts.Add(Subnet);
        }
        if (Gateway is not null)
        {
            parts.Add($"gateway {Gateway}");
        }
        if (Internal)
        {
            parts.Add("internal");
        }
        if (Masquerade)
        {
            parts.Add("masquerade");
        }
        return $"{Name} ({string.Join(", ", parts)})";
    }
}

/// <summary>A container of a <see cref="Topology"/>.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Image">The image it runs.</param>
/// <param name="State">"running", "exited", …</param>
/// <param name="Endpoints">One per network it is on.</param>
/// <param name="Links">Its <c>--link</c>s (seed S11).</param>
/// <param name="Ports">Its published ports (seed S4).</param>
public sealed record TopologyContainer(
    string Name, string Image, string State, IReadOnlyList<TopologyEndpoint> Endpoints,
    IReadOnlyList<TopologyLink> Links, IReadOnlyList<PortMapping> Ports)
{
    /// <summary>"nginx1 (dockscript/web, running)".</summary>
    public override string ToString() => $"{Name} ({Image}, {State})";
}

/// <summary>A container's place on one network.</summary>
/// <param name="Network">The network's name.</param>
/// <param name="IP">Its IPv4 address there, or null (host, none, or not running).</param>
/// <param name="Aliases">Extra DNS names it answers to there (user-defined networks), without its own name and short id.</param>
public sealed record TopologyEndpoint(string Network, string? IP, IReadOnlyList<string> Aliases)
{
    /// <summary>"172.18.0.2 aka api, web".</summary>
    public string Describe() =>
        (IP ?? "no address") + (Aliases.Count == 0 ? "" : $" aka {string.Join(", ", Aliases)}");

    /// <inheritdoc/>
    public override string ToString() => $"{Network}: {Describe()}";
}

/// <summary>A <c>--link</c>: the container's <c>/etc/hosts</c> names <paramref name="Target"/> as <paramref name="Alias"/>.</summary>
/// <param name="Target">The linked container.</param>
/// <param name="Alias">The name it is known by (the target's name unless one was given).</param>
public sealed record TopologyLink(string Target, string Alias)
{
    /// <inheritdoc/>
    public override string ToString() => Alias == Target ? Target : $"{Target} as {Alias}";
}

/// <summary>The engine's host, where published ports listen and masqueraded traffic leaves from.</summary>
/// <param name="Name">What the engine calls itself.</param>
public sealed record TopologyHost(string Name)
{
    /// <inheritdoc/>
    public override string ToString() => $"host {Name}";
}

/// <summary>DockScript's outside server: a stand-in for the internet, joined to the host by its own link (seed S7).</summary>
/// <param name="Address">The server's address, e.g. <c>198.18.7.2</c>.</param>
/// <param name="HostAddress">The host's end of the link: what masqueraded traffic comes from.</param>
public sealed record TopologyOutside(string Address, string HostAddress)
{
    /// <inheritdoc/>
    public override string ToString() => $"outside server {Address} (host side {HostAddress})";
}

/// <summary>What <see cref="Topology.Save"/> wrote.</summary>
/// <param name="Path">The full path written.</param>
/// <param name="Format"><c>SVG</c>, <c>Mermaid</c> or <c>DOT</c>.</param>
/// <param name="Networks">How many networks it shows.</param>
/// <param name="Containers">How many containers it shows.</param>
/// <param name="Note">One sentence when the format differs from the one asked for, else null.</param>
public sealed record TopologyFile(string Path, string Format, int Networks, int Containers, string? Note)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Note ?? $"wrote {Path} ({Format}, {Networks} network{(Networks == 1 ? "" : "s")}, {Containers} container{(Containers == 1 ? "" : "s")})";
}
