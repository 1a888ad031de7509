using System.Text;

namespace DockScript;

/// <summary>
/// Writes a <see cref="Topology"/> as a Mermaid flowchart: the same boxes and edges as the DOT
/// picture, for places that draw Mermaid (GitHub, editors) and for when Graphviz is missing.
/// </summary>
internal static class TopologyMermaid
{
    public static string Write(Topology t)
    {
        var ids = new TopologyIds(t);
        var text = new StringBuilder();
        var links = new List<string>(); // linkStyle lines, by edge index
        var edge = 0;
        text.AppendLine("flowchart LR");
        text.AppendLine($"  host[[\"{E(t.Host.ToString())}\"]]");
        for (var i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            var tags = n.Style switch
            {
                "none" => "loopback only",
                "host" => "the host's own stack",
                "internal" => "internal: no way out",
                _ => n.Driver + (n.Masquerade ? ", masquerade" : ""),
            };
            text.AppendLine($"  subgraph {TopologyIds.Network(i)}box[\"{E(n.Name)} · {E(tags)}\"]");
            var subnet = n.Subnet is null ? "no addresses" : n.Gateway is null ? n.Subnet : $"{n.Subnet} gw {n.Gateway}";
            text.AppendLine($"    {TopologyIds.Network(i)}[/\"{E(subnet)}\"/]");
            foreach (var c in ids.Inside(i))
            {
                text.AppendLine($"    {Node(t, ids, c)}");
            }
            text.AppendLine("  end");
            text.AppendLine($"  class {TopologyIds.Network(i)}box net{Cap(n.Style)}");
        }
        foreach (var c in ids.Between)
        {
            text.AppendLine($"  {Node(t, ids, c)}");
        }
        for (var ci = 0; ci < t.Containers.Count; ci++)
        {
            foreach (var e in t.Containers[ci].Endpoints)
            {
                if (ids.NetworkIndex(e.Network) is { } ni)
                {
                    text.AppendLine($"  {TopologyIds.Container(ci)} ---|\"{E(e.Describe())}\"| {TopologyIds.Network(ni)}");
                    edge++;
                }
            }
        }
        for (var i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (n.Style == "host")
            {
                text.AppendLine($"  host === {TopologyIds.Network(i)}");
                edge++;
            }
            else if (n.Style == "bridge" && n.Driver == "bridge")
            {
                text.AppendLine($"  {TopologyIds.Network(i)} -.-|\"{(n.Masquerade ? "masquerade" : "gateway")}\"| host");
                edge++;
            }
        }
        for (var ci = 0; ci < t.Containers.Count; ci++)
        {
            var c = t.Containers[ci];
            foreach (var p in c.Ports)
            {
                text.AppendLine($"  host -->|\"port {E(p.ToString())}\"| {TopologyIds.Container(ci)}");
                links.Add($"  linkStyle {edge++} stroke:#d35400");
            }
            foreach (var link in c.Links)
            {
                if (ids.ContainerIndex(link.Target) is { } ti)
                {
                    text.AppendLine($"  {TopologyIds.Container(ci)} -.->|\"--link {E(link.Alias)}\"| {TopologyIds.Container(ti)}");
                    links.Add($"  linkStyle {edge++} stroke:#8e44ad");
                }
            }
        }
        if (t.Outside is { } outside)
        {
            text.AppendLine($"  outside((\"outside server {E(outside.Address)}\"))");
            text.AppendLine($"  host ===|\"{E(outside.HostAddress)}\"| outside");
            edge++;
        }
        if (t.Reachability is { } matrix)
        {
            foreach (var cell in matrix.Cells)
            {
                if (ids.ContainerIndex(cell.From) is not { } fi || ids.ContainerIndex(cell.To) is not { } ti)
                {
                    continue;
                }
                if (TopologyCause.Of(cell) is { } failure)
                {
                    text.AppendLine($"  {TopologyIds.Container(fi)} -.->|\"✗ {E(failure.Cause)}\"| {TopologyIds.Container(ti)}");
                    links.Add($"  linkStyle {edge++} stroke:#c0392b,color:#c0392b");
                }
                else
                {
                    text.AppendLine($"  {TopologyIds.Container(fi)} -->|\"{E(cell.Mark)}\"| {TopologyIds.Container(ti)}");
                    links.Add($"  linkStyle {edge++} stroke:#2e7d32");
                }
            }
        }
        text.AppendLine("  classDef netBridge fill:#eef4fc,stroke:#3b73b9");
        text.AppendLine("  classDef netInternal fill:#fdf0ec,stroke:#c0392b,stroke-dasharray:6 4");
        text.AppendLine("  classDef netHost fill:#fff8e1,stroke:#b7791f,stroke-width:3px");
        text.AppendLine("  classDef netNone fill:#f2f2f2,stroke:#888888,stroke-dasharray:2 3");
        text.AppendLine("  classDef stopped fill:#eeeeee,stroke-dasharray:4 3");
        foreach (var line in links)
        {
            text.AppendLine(line);
        }
        return text.ToString();
    }

    private static string Node(Topology t, TopologyIds ids, int ci)
    {
        var c = t.Containers[ci];
        var state = c.State == "running" ? "" : $"<br/>{E(c.State)}";
        return $"{TopologyIds.Container(ci)}[\"{E(c.Name)}<br/><small>{E(c.Image)}</small>{state}\"]{(c.State == "running" ? "" : ":::stopped")}";
    }

    private static string Cap(string style) => char.ToUpperInvariant(style[0]) + style[1..];

    /// <summary>Mermaid text inside quotes: a quote becomes its entity, as do the angle brackets of user text.</summary>
    private static string E(string text) =>
        text.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal);
}
