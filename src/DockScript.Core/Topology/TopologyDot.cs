using System.Globalization;
using System.Text;

namespace DockScript;

/// <summary>
/// Writes a <see cref="Topology"/> as Graphviz DOT. Each network is a cluster (a box) holding a
/// small node for its subnet and the containers on that network alone; a container on several
/// networks sits outside them all, with one edge to each. Graphviz does the layout.
/// </summary>
internal static class TopologyDot
{
    // Colours by network kind: none, host and internal networks must look different at a glance.
    private static readonly Dictionary<string, (string Fill, string Line, string Style)> Boxes = new(StringComparer.Ordinal)
    {
        ["bridge"] = ("#eef4fc", "#3b73b9", "rounded,filled"),
        ["internal"] = ("#fdf0ec", "#c0392b", "rounded,filled,dashed"),
        ["host"] = ("#fff8e1", "#b7791f", "rounded,filled,bold"),
        ["none"] = ("#f2f2f2", "#888888", "rounded,filled,dotted"),
    };

    public static string Write(Topology t)
    {
        var ids = new TopologyIds(t);
        var isolated = t.Reachability is { } m ? Isolated(m) : new Dictionary<string, string>();
        var dot = new StringBuilder();
        dot.AppendLine("digraph topology {");
        dot.AppendLine("  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.7, bgcolor=\"white\", tooltip=\"DockScript topology\"];");
        dot.AppendLine("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"white\", color=\"#444444\"];");
        dot.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\", arrowhead=none];");
        dot.AppendLine($"  host [id=\"host\", label={Q($"{t.Host}")}, shape=box3d, fillcolor=\"#e8e8e8\", tooltip={Q("The engine's host: published ports listen here, masqueraded traffic leaves from here.")}];");

        for (var i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            var (fill, line, style) = Boxes[n.Style];
            var tags = n.Style switch
            {
                "none" => "loopback only",
                "host" => "the host's own stack",
                "internal" => $"{n.Driver}, internal: no way out",
                _ => n.Driver + (n.Masquerade ? ", masquerade" : ""),
            };
            dot.AppendLine($"  subgraph cluster_{i} {{");
            dot.AppendLine($"    id={Q("network-" + n.Name)}; label={Q($"{n.Name}\n{tags}")}; tooltip={Q(n.ToString())};");
            dot.AppendLine($"    style={Q(style)}; fillcolor={Q(fill)}; color={Q(line)}; fontcolor={Q(line)};");
            var switchLabel = n.Subnet is null ? (n.Style == "none" ? "no addresses" : "no subnet") : n.Gateway is null ? n.Subnet : $"{n.Subnet}\ngw {n.Gateway}";
            dot.AppendLine($"    {TopologyIds.Network(i)} [label={Q(switchLabel)}, shape=box, style=\"filled\", fillcolor={Q(line)}, fontcolor=\"white\", fontsize=9, tooltip={Q(n.ToString())}];");
            foreach (var c in ids.Inside(i))
            {
                dot.AppendLine("    " + ContainerNode(t, c, isolated));
            }
            dot.AppendLine("  }");
        }
        foreach (var c in ids.Between)
        {
            dot.AppendLine("  " + ContainerNode(t, c, isolated));
        }

        // Endpoints: a container joined to each network it is on, labelled with its address there.
        for (var ci = 0; ci < t.Containers.Count; ci++)
        {
            foreach (var e in t.Containers[ci].Endpoints)
            {
                if (ids.NetworkIndex(e.Network) is { } ni)
                {
                    dot.AppendLine($"  {TopologyIds.Container(ci)} -> {TopologyIds.Network(ni)} [label={Q(e.Describe())}, tooltip={Q($"{t.Containers[ci].Name} on {e}")}];");
                }
            }
        }
        // The host: the gateway of every network with a way out, and the host network itself.
        for (var i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (n.Style == "host")
            {
                dot.AppendLine($"  host -> {TopologyIds.Network(i)} [style=bold, color=\"#b7791f\", tooltip={Q("Containers here use the host's own interfaces.")}];");
            }
            else if (n.Style == "bridge" && n.Driver == "bridge")
            {
                var label = (n.Gateway is null ? "gateway" : $"gw {n.Gateway}") + (n.Masquerade ? "\nmasquerade" : "");
                dot.AppendLine($"  {TopologyIds.Network(i)} -> host [label={Q(label)}, color=\"#3b73b9\", style=dashed, tooltip={Q($"{n.Name} leaves through the host{(n.Masquerade ? ", masqueraded behind its address" : "")}")}];");
            }
        }
        for (var ci = 0; ci < t.Containers.Count; ci++)
        {
            var c = t.Containers[ci];
            foreach (var p in c.Ports)
            {
                dot.AppendLine($"  host -> {TopologyIds.Container(ci)} [label={Q("port " + p)}, color=\"#d35400\", fontcolor=\"#d35400\", arrowhead=normal, tooltip={Q($"{p}: published by {c.Name}")}];");
            }
            foreach (var link in c.Links)
            {
                if (ids.ContainerIndex(link.Target) is { } ti)
                {
                    dot.AppendLine($"  {TopologyIds.Container(ci)} -> {TopologyIds.Container(ti)} [label={Q("--link " + link.Alias)}, style=dashed, color=\"#8e44ad\", fontcolor=\"#8e44ad\", arrowhead=vee, constraint=false, tooltip={Q($"{c.Name}'s /etc/hosts names {link}")}];");
                }
            }
        }
        if (t.Outside is { } outside)
        {
            dot.AppendLine($"  outside [id=\"outside\", label={Q($"outside server\n{outside.Address}")}, shape=ellipse, fillcolor=\"#e8f8e8\", color=\"#2e7d32\", tooltip={Q(outside.ToString())}];");
            dot.AppendLine($"  host -> outside [label={Q($"{outside.HostAddress} ↔ {outside.Address}")}, color=\"#2e7d32\", style=bold, tooltip=\"DockScript's veth link to its stand-in for the internet\"];");
        }
        if (t.Reachability is { } matrix)
        {
            foreach (var line in Overlay(matrix, ids, isolated))
            {
                dot.AppendLine("  " + line);
            }
        }
        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>One arrow per pair: green where it answered (both ways in one arrow), red and dashed with the cause where not.</summary>
    private static IEnumerable<string> Overlay(Reachability matrix, TopologyIds ids, Dictionary<string, string> isolated)
    {
        var done = new HashSet<(string, string)>();
        foreach (var cell in matrix.Cells)
        {
            // An isolated container's node says so once, instead of one red arrow per pair.
            if (isolated.ContainsKey(cell.From) || isolated.ContainsKey(cell.To))
            {
                continue;
            }
            if (ids.ContainerIndex(cell.From) is not { } fi || ids.ContainerIndex(cell.To) is not { } ti || !done.Add((cell.From, cell.To)))
            {
                continue;
            }
            var failure = TopologyCause.Of(cell);
            if (failure is null)
            {
                var back = matrix.Cells.FirstOrDefault(c => c.From == cell.To && c.To == cell.From);
                var both = back is not null && TopologyCause.Of(back) is null;
                if (both)
                {
                    done.Add((cell.To, cell.From));
                }
                yield return $"{TopologyIds.Container(fi)} -> {TopologyIds.Container(ti)} [color=\"#2e7d32\", penwidth=1.6, arrowhead=normal{(both ? ", dir=both" : "")}, constraint=false, class=\"reach_ok\", tooltip={Q($"{cell.From} {(both ? "↔" : "→")} {cell.To}: {cell.Mark}")}];";
            }
            else
            {
                // A pair failing both ways for the same cause is one two-headed arrow: fewer crossing labels.
                var back = matrix.Cells.FirstOrDefault(c => c.From == cell.To && c.To == cell.From);
                var backFailure = back is null ? null : TopologyCause.Of(back);
                var both = backFailure is { } b && b.Cause == failure.Value.Cause && done.Add((cell.To, cell.From));
                var tooltip = $"{cell.From} → {cell.To}: {failure.Value.Reason}" + (both ? $"\n{cell.To} → {cell.From}: {backFailure!.Value.Reason}" : "");
                yield return $"{TopologyIds.Container(fi)} -> {TopologyIds.Container(ti)} [color=\"#c0392b\", fontcolor=\"#c0392b\", style=dashed, penwidth=1.4, arrowhead=normal{(both ? ", dir=both" : "")}, constraint=false, class=\"reach_fail\", label={Q("✗ " + failure.Value.Cause)}, tooltip={Q(tooltip)}];";
            }
        }
    }

    private static string ContainerNode(Topology t, int ci, Dictionary<string, string> isolated)
    {
        var c = t.Containers[ci];
        var running = c.State == "running";
        var cut = isolated.TryGetValue(c.Name, out var why);
        var label = $"{c.Name}\n{c.Image}{(running ? "" : $"\n{c.State}")}{(cut ? "\n✗ reaches no one, unreached" : "")}";
        return $"{TopologyIds.Container(ci)} [id={Q("container-" + c.Name)}, label={Q(label)}, "
               + $"fillcolor={Q(cut ? "#fdecea" : running ? "white" : "#eeeeee")}, style={Q(running ? "rounded,filled" : "rounded,filled,dashed")}"
               + (cut ? ", color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=2" : "")
               + $", tooltip={Q(cut ? $"{c}: {why}" : c.ToString())}];";
    }

    /// <summary>Containers of the matrix that reach no one and that no one reaches by IP, with the first reason given.</summary>
    internal static Dictionary<string, string> Isolated(Reachability matrix)
    {
        var isolated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in matrix.Containers)
        {
            var cells = matrix.Cells.Where(c => c.From == name || c.To == name).ToList();
            if (matrix.Containers.Count > 2 && cells.Count > 0 && cells.All(c => !c.ReachableByIp))
            {
                var first = cells.FirstOrDefault(c => c.From == name) ?? cells[0];
                isolated[name] = first.ByIp.Reason ?? first.ByIp.Cause.ToString();
            }
        }
        return isolated;
    }

    /// <summary>A DOT string literal: quotes and backslashes escaped, new lines as <c>\n</c>.</summary>
    internal static string Q(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}

/// <summary>Node ids and placement shared by the DOT and Mermaid writers: who sits inside which network box, who between.</summary>
internal sealed class TopologyIds
{
    private readonly Topology topology;
    private readonly Dictionary<string, int> networks;
    private readonly Dictionary<string, int> containers;
    private readonly List<int>[] inside;

    public TopologyIds(Topology t)
    {
        topology = t;
        networks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < t.Networks.Count; i++)
        {
            networks.TryAdd(t.Networks[i].Name, i);
        }
        containers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < t.Containers.Count; i++)
        {
            containers.TryAdd(t.Containers[i].Name, i);
        }
        inside = Enumerable.Range(0, t.Networks.Count).Select(_ => new List<int>()).ToArray();
        var between = new List<int>();
        for (var i = 0; i < t.Containers.Count; i++)
        {
            var known = t.Containers[i].Endpoints.Select(e => NetworkIndex(e.Network)).OfType<int>().Distinct().ToList();
            if (known.Count == 1)
            {
                inside[known[0]].Add(i);
            }
            else
            {
                between.Add(i);
            }
        }
        Between = between;
    }

    /// <summary>Containers on several networks (or none known): drawn once, outside every box.</summary>
    public IReadOnlyList<int> Between { get; }

    /// <summary>Containers on network <paramref name="i"/> alone: drawn inside its box.</summary>
    public IReadOnlyList<int> Inside(int i) => inside[i];

    public int? NetworkIndex(string name) => networks.TryGetValue(name, out var i) ? i : null;

    public int? ContainerIndex(string name) => containers.TryGetValue(name, out var i) ? i : null;

    public static string Network(int i) => "n" + i.ToString(CultureInfo.InvariantCulture);

    public static string Container(int i) => "c" + i.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => $"ids of {topology.Networks.Count} networks and {topology.Containers.Count} containers";
}

/// <summary>Why a pair of a matrix failed, shortly (the cause) and in full (the reason); null when it answered.</summary>
internal static class TopologyCause
{
    public static (string Cause, string Reason)? Of(ReachabilityCell cell)
    {
        if (!cell.ReachableByIp)
        {
            return (cell.ByIp.Cause.ToString(), $"by IP: {cell.ByIp.Reason ?? "no reply"}");
        }
        if (cell.ByName is { Success: false } byName)
        {
            return ($"by name: {byName.Cause}", $"by name: {byName.Reason ?? "no reply"}");
        }
        return null;
    }
}
