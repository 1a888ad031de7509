using System.Xml.Linq;

namespace DockScript.Tests;

public class TopologyFormatTests
{
    [Fact]
    public void Dot_draws_each_network_as_a_box_and_a_container_on_two_networks_once_between_them()
    {
        var dot = TopologySamples.Lab().ToDot();

        Assert.StartsWith("digraph topology {", dot, StringComparison.Ordinal);
        Assert.Equal(4, CountOf(dot, "subgraph cluster_"));
        // app (c0) is on frontend (n0) and backend (n1): declared once, outside every cluster, joined to both.
        Assert.Equal(1, CountOf(dot, "c0 [id=\"container-app\""));
        var clusters = dot[dot.IndexOf("subgraph cluster_0", StringComparison.Ordinal)..dot.LastIndexOf("  }", StringComparison.Ordinal)];
        Assert.DoesNotContain("c0 [", clusters, StringComparison.Ordinal);
        Assert.Contains("c0 -> n0 [label=\"172.30.0.3 aka api\"", dot, StringComparison.Ordinal);
        Assert.Contains("c0 -> n1 [label=\"172.31.0.3\"", dot, StringComparison.Ordinal);
        // web1 (c4) sits inside frontend's box.
        Assert.Contains("c4 [id=\"container-web1\"", clusters, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_draws_none_host_and_internal_networks_differently()
    {
        var dot = TopologySamples.Lab().ToDot();

        string StyleOf(string network)
        {
            var at = dot.IndexOf($"id=\"network-{network}\"", StringComparison.Ordinal);
            var line = dot[at..dot.IndexOf('}', at)];
            return line[line.IndexOf("style=", StringComparison.Ordinal)..line.IndexOf("fontcolor", StringComparison.Ordinal)];
        }
        var styles = new[] { "frontend", "backend", "host", "none" }.Select(StyleOf).ToList();
        Assert.Equal(4, styles.Distinct().Count());
        Assert.Contains("internal: no way out", dot, StringComparison.Ordinal);
        Assert.Contains("none\\nloopback only", dot, StringComparison.Ordinal);
        // An internal network has no way to the host; a masquerading one says so on its way out.
        Assert.DoesNotContain("n1 -> host", dot, StringComparison.Ordinal);
        Assert.Contains("n0 -> host [label=\"gw 172.30.0.1\\nmasquerade\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_shows_links_ports_host_and_outside_server()
    {
        var dot = TopologySamples.Lab().ToDot();

        Assert.Contains("c4 -> c0 [label=\"--link backend-api\"", dot, StringComparison.Ordinal);
        Assert.Contains("host -> c4 [label=\"port 0.0.0.0:8080->80/tcp\"", dot, StringComparison.Ordinal);
        Assert.Contains("host [id=\"host\", label=\"host labhost\"", dot, StringComparison.Ordinal);
        Assert.Contains("host -> outside [label=\"198.18.7.1 ↔ 198.18.7.2\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_overlays_reachable_pairs_and_failing_pairs_with_their_cause()
    {
        var plain = TopologySamples.Lab().ToDot();
        var dot = TopologySamples.Lab().WithReachability(TopologySamples.Matrix()).ToDot();

        Assert.DoesNotContain("reach_", plain, StringComparison.Ordinal);
        // web1 ↔ app and app ↔ db answered both ways: one two-headed arrow each.
        Assert.Equal(2, CountOf(dot, "class=\"reach_ok\""));
        Assert.Contains("dir=both", dot, StringComparison.Ordinal);
        // web1 → db and db → web1 failed for the same cause: one two-headed arrow with the cause, both reasons on hover.
        Assert.Equal(1, CountOf(dot, "class=\"reach_fail\""));
        Assert.Contains("dir=both, constraint=false, class=\"reach_fail\", label=\"✗ NoSharedNetwork\", tooltip=\"web1 → db: by IP: web1 and db share no network.\\ndb → web1: by IP: db and web1 share no network.\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_no_one_reaches_is_marked_once_instead_of_with_an_arrow_per_pair()
    {
        static PingResult Ok(string f, string t) => new(f, t, "10.0.0.1", 1, 1, null, null, "namespace");
        static PingResult Cut(string f, string t, ProbeCause cause) => new(f, t, null, 0, 0, null, $"{t} is on 'none'.", "namespace") { Cause = cause };
        var matrix = new Reachability(["web1", "app", "hermit"],
        [
            new ReachabilityCell("web1", "app", Ok("web1", "app"), null),
            new ReachabilityCell("app", "web1", Ok("app", "web1"), null),
            new ReachabilityCell("web1", "hermit", Cut("web1", "hermit", ProbeCause.TargetIsolated), null),
            new ReachabilityCell("hermit", "web1", Cut("hermit", "web1", ProbeCause.SourceIsolated), null),
            new ReachabilityCell("app", "hermit", Cut("app", "hermit", ProbeCause.TargetIsolated), null),
            new ReachabilityCell("hermit", "app", Cut("hermit", "app", ProbeCause.SourceIsolated), null),
        ]);

        var dot = TopologySamples.Lab().WithReachability(matrix).ToDot();

        Assert.Equal(0, CountOf(dot, "class=\"reach_fail\""));
        Assert.Equal(1, CountOf(dot, "class=\"reach_ok\""));
        Assert.Contains("c3 [id=\"container-hermit\", label=\"hermit\\ndockscript/toolbox\\nexited\\n✗ reaches no one, unreached\"", dot, StringComparison.Ordinal);
        Assert.Contains("tooltip=\"hermit (dockscript/toolbox, exited): web1 is on 'none'.\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_quotes_text_it_cannot_trust()
    {
        var t = new Topology([new TopologyNetwork("n\"x", "bridge", null, null, false, false)],
            [new TopologyContainer("a\\b", "img\"evil", "running", [new TopologyEndpoint("n\"x", null, [])], [], [])], new TopologyHost("h"), null);

        var dot = t.ToDot();

        Assert.Contains("network-n\\\"x", dot, StringComparison.Ordinal);
        Assert.Contains("a\\\\b", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_laid_out_by_graphviz_names_every_network_and_container()
    {
        var t = TopologySamples.Lab().WithReachability(TopologySamples.Matrix());

        var svg = XDocument.Parse(t.ToSvg());

        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var text = string.Join("\n", svg.Descendants(ns + "text").Select(e => e.Value));
        foreach (var name in new[] { "frontend", "backend", "host", "none", "app", "db", "h", "hermit", "web1", "outside server" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
        Assert.Contains("✗ NoSharedNetwork", text, StringComparison.Ordinal);
        // The layout came from dot: nodes have coordinates it chose.
        Assert.True(svg.Descendants(ns + "polygon").Count() > 10);
    }

    [Fact]
    public void Mermaid_has_the_same_boxes_edges_and_overlay()
    {
        var mmd = TopologySamples.Lab().WithReachability(TopologySamples.Matrix()).ToMermaid();

        Assert.StartsWith("flowchart LR", mmd, StringComparison.Ordinal);
        Assert.Equal(4, CountOf(mmd, "  subgraph "));
        Assert.Contains("class n1box netInternal", mmd, StringComparison.Ordinal);
        Assert.Contains("class n2box netHost", mmd, StringComparison.Ordinal);
        Assert.Contains("class n3box netNone", mmd, StringComparison.Ordinal);
        Assert.Contains("c0 ---|\"172.30.0.3 aka api\"| n0", mmd, StringComparison.Ordinal);
        Assert.Contains("c0 ---|\"172.31.0.3\"| n1", mmd, StringComparison.Ordinal);
        Assert.Contains("c4 -.->|\"✗ NoSharedNetwork\"| c1", mmd, StringComparison.Ordinal);
        Assert.Contains("c4 -->|\"ip+name\"| c0", mmd, StringComparison.Ordinal);
        Assert.Contains("-.->|\"--link backend-api\"|", mmd, StringComparison.Ordinal);
        Assert.Contains("outside((\"outside server 198.18.7.2\"))", mmd, StringComparison.Ordinal);
        // Every linkStyle names an edge that exists.
        var edges = mmd.Split('\n').Count(l => l.Contains("---", StringComparison.Ordinal) || l.Contains("-->", StringComparison.Ordinal) || l.Contains("-.-", StringComparison.Ordinal) || l.Contains("===", StringComparison.Ordinal));
        var highest = mmd.Split('\n').Where(l => l.TrimStart().StartsWith("linkStyle ", StringComparison.Ordinal)).Select(l => int.Parse(l.Trim().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.True(highest < edges, $"linkStyle {highest} but only {edges} edges");
    }

    [Fact]
    public void ToString_lists_networks_with_their_members()
    {
        var text = TopologySamples.Lab().ToString();

        Assert.StartsWith("topology: 4 networks, 5 containers", text, StringComparison.Ordinal);
        Assert.Contains("frontend (bridge, 172.30.0.0/24, gateway 172.30.0.1, masquerade)\n  app 172.30.0.3 aka api\n  web1 172.30.0.2", text, StringComparison.Ordinal);
        Assert.Contains("link web1 → app as backend-api", text, StringComparison.Ordinal);
        Assert.Contains("port 0.0.0.0:8080->80/tcp → web1", text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
