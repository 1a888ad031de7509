using Spectre.Console;
using Spectre.Console.Rendering;

namespace DockScript.Cli.Repl;

/// <summary>
/// A <see cref="Topology"/> in the REPL: a Spectre tree of network → containers, each with its
/// address and aliases there; then links, published ports, the outside server and the matrix's failures.
/// </summary>
internal static class TopologyTree
{
    public static IRenderable Render(Topology t)
    {
        var tree = new Tree(new Markup($"[bold]topology[/] [grey]{t.Networks.Count} networks, {t.Containers.Count} containers[/]"));
        foreach (var n in t.Networks)
        {
            var colour = n.Style switch { "internal" => "red", "host" => "yellow", "none" => "grey", _ => "blue" };
            var node = tree.AddNode(new Markup($"[bold {colour}]{Markup.Escape(n.Name)}[/] [grey]{Markup.Escape(n.ToString()[(n.Name.Length + 1)..])}[/]"));
            foreach (var (c, e) in t.MembersOf(n.Name))
            {
                var state = c.State == "running" ? "" : $" [yellow]{Markup.Escape(c.State)}[/]";
                var aliases = e.Aliases.Count == 0 ? "" : $" [grey]aka {Markup.Escape(string.Join(", ", e.Aliases))}[/]";
                node.AddNode(new Markup($"{Markup.Escape(c.Name)} [cyan]{Markup.Escape(e.IP ?? "no address")}[/]{aliases}{state}"));
            }
        }
        var loose = t.Containers.Where(c => c.Endpoints.Count == 0).ToList();
        if (loose.Count > 0)
        {
            var node = tree.AddNode(new Markup("[grey](no network)[/]"));
            foreach (var c in loose)
            {
                node.AddNode(new Markup($"{Markup.Escape(c.Name)} [yellow]{Markup.Escape(c.State)}[/]"));
            }
        }
        var extras = t.Containers.SelectMany(c => c.Links.Select(l => $"[magenta]link[/] {Markup.Escape($"{c.Name} → {l}")}")
                .Concat(c.Ports.Select(p => $"[darkorange]port[/] {Markup.Escape($"{p} → {c.Name}")}")))
            .ToList();
        if (t.Outside is { } outside)
        {
            extras.Add($"[green]outside[/] {Markup.Escape(outside.ToString())}");
        }
        if (t.Reachability is { } matrix)
        {
            extras.Add($"[bold]reachability[/] {Markup.Escape(matrix.Summary)}");
            extras.AddRange(matrix.Failures.Select(c => $"  [red]✗[/] {Markup.Escape($"{c.From} → {c.To}: {TopologyCause.Of(c)?.Reason}")}"));
        }
        if (extras.Count == 0)
        {
            return tree;
        }
        return new Rows(new IRenderable[] { tree }.Concat(extras.Select(x => new Markup(x))));
    }
}
