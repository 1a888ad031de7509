using System.Xml.Linq;

namespace DockScript.IntegrationTests;

/// <summary>Topology read from real containers, in each format.</summary>
public sealed class TopologyTests(EngineFixture fx) : EngineTest(fx)
{
    private string Topo(string suffix) => $"topo{Fx.Run}-{suffix}";

    [Fact]
    public async Task A_real_lab_is_read_with_addresses_aliases_links_and_ports_and_drawn_in_each_format()
    {
        var front = await Networks.CreateAsync(Topo("front"));
        var back = await Networks.CreateAsync(Topo("back"), @internal: true);
        var web = await Containers.RunAsync("dockscript/web", name: Topo("web"), network: front.Name, aliases: ["www"], ports: ["127.0.0.1::80"]);
        var app = await Containers.RunAsync("dockscript/web", name: Topo("app"), network: front.Name);
        await back.ConnectAsync(app);
        var db = await Containers.RunAsync("dockscript/web", name: Topo("db"), network: back.Name);
        // Links, as seed S11 uses them: on the default bridge.
        var solo = await Containers.RunAsync("dockscript/web", name: Topo("solo"));
        var linker = await Containers.RunAsync("dockscript/web", name: Topo("linker"), links: [$"{solo.Name}:old"]);
        var globals = new Scripting.ScriptGlobals(Lab);

        var t = globals.Topology(web, app, db, solo, linker);

        Assert.Equal([back.Name, front.Name, "bridge"], t.Networks.Select(n => n.Name));
        Assert.True(t.Network(back.Name)!.Internal);
        Assert.True(t.Network(front.Name)!.Masquerade);
        Assert.Equal(front.Subnet, t.Network(front.Name)!.Subnet);
        Assert.Equal(front.Gateway, t.Network(front.Name)!.Gateway);
        var webNode = t.Container(web.Name)!;
        Assert.Equal("running", webNode.State);
        Assert.Equal("dockscript/web", webNode.Image);
        Assert.Equal(web.IPs[front.Name], webNode.Endpoints.Single().IP);
        Assert.Equal(["www"], webNode.Endpoints.Single().Aliases);
        Assert.Equal(80, webNode.Ports.Single().ContainerPort);
        var appNode = t.Container(app.Name)!;
        Assert.Equal([back.Name, front.Name], appNode.Endpoints.Select(e => e.Network).Order());
        Assert.Equal(app.IPs[back.Name], appNode.Endpoints.Single(e => e.Network == back.Name).IP);
        Assert.Empty(appNode.Links);
        Assert.Equal(new TopologyLink(solo.Name, "old"), t.Container(linker.Name)!.Links.Single());
        Assert.Equal(solo.IPs["bridge"], t.Container(solo.Name)!.Endpoints.Single().IP);

        // Each format, from the real topology.
        var dot = t.ToDot();
        Assert.Contains($"id=\"container-{app.Name}\"", dot, StringComparison.Ordinal);
        var mmd = t.ToMermaid();
        Assert.Contains(db.Name, mmd, StringComparison.Ordinal);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = string.Join("\n", XDocument.Parse(await t.ToSvgAsync()).Descendants(ns + "text").Select(e => e.Value));
        foreach (var name in new[] { front.Name, back.Name, web.Name, app.Name, db.Name, web.IPs[front.Name] })
        {
            Assert.Contains(name, texts, StringComparison.Ordinal);
        }

        // Another view: the network and its members (app brings backend along).
        var ofFront = globals.Topology(front);
        Assert.Equal([app.Name, web.Name], ofFront.Containers.Select(c => c.Name));
        Assert.Contains(ofFront.Networks, n => n.Name == back.Name);
        // Everything: ours among whatever else the engine holds, probe helpers not among them.
        var all = globals.Topology();
        Assert.Contains(all.Containers, c => c.Name == db.Name);
        Assert.DoesNotContain(all.Containers, c => c.Name.StartsWith("dockscript-probe-", StringComparison.Ordinal));
        // By name, as the REPL completes them.
        Assert.Equal([app.Name, db.Name], globals.Topology(db.Name, app.Name).Containers.Select(c => c.Name));
        Assert.Contains($"--link old", dot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overlay_shows_a_real_matrix_and_the_outside_server_once_a_probe_started_it()
    {
        var net = await Networks.CreateAsync(Topo("o"));
        var a = await Containers.RunAsync("dockscript/web", name: Topo("oa"), network: net.Name);
        var hermit = await Containers.RunAsync("dockscript/web", name: Topo("ohermit"), network: "none");
        var globals = new Scripting.ScriptGlobals(Lab);
        Assert.True((await Lab.Probes.MasqueradeAsync(a)).Success);

        var matrix = await Lab.Probes.ReachabilityAsync([a, hermit]);
        var t = globals.Topology(a, hermit).WithReachability(matrix);

        Assert.NotNull(t.Outside);
        Assert.Equal("none", t.Network("none")!.Style);
        var dot = t.ToDot();
        Assert.Contains("host -> outside", dot, StringComparison.Ordinal);
        Assert.Contains($"✗ {matrix[a.Name, hermit.Name].ByIp.Cause}", dot, StringComparison.Ordinal);
        Assert.NotEqual(ProbeCause.None, matrix[a.Name, hermit.Name].ByIp.Cause);
    }
}
