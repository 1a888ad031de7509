namespace DockScript.Tests;

/// <summary>Cluster rules that need no engine: a read-only Connect (against a fake manager) and the firewall reading.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task A_connected_cluster_is_read_only_unless_told_otherwise()
    {
        await using var engine = new FakeEngine();
        await using var lab = await Lab.StartAsync(new LabOptions { Endpoint = DockerEndpoint.FromEnvironment(engine.Endpoint) });

        var cluster = await lab.Clusters.ConnectAsync([engine.Endpoint]);
        var node = Assert.Single(cluster.Nodes);
        Assert.True(node.ReadOnly);
        Assert.False(cluster.Created);

        var service = new Service(cluster, "s1", "web");
        var refusals = new List<DockScriptException>
        {
            await Assert.ThrowsAsync<DockScriptException>(() => cluster.Services.CreateAsync("web", "dockscript/web", replicas: 2)),
            await Assert.ThrowsAsync<DockScriptException>(() => cluster.Networks.CreateAsync("ov")),
            await Assert.ThrowsAsync<DockScriptException>(() => node.Containers.RunAsync("dockscript/toolbox", name: "probe")),
            await Assert.ThrowsAsync<DockScriptException>(() => node.Networks.CreateAsync("plain")),
            await Assert.ThrowsAsync<DockScriptException>(() => service.RemoveAsync()),
            await Assert.ThrowsAsync<DockScriptException>(() => service.ScaleAsync(3)),
            await Assert.ThrowsAsync<DockScriptException>(() => service.UpdateAsync(env: ["A=1"])),
        };

        Assert.All(refusals, e =>
        {
            Assert.StartsWith($"The cluster at {engine.Endpoint} was connected read-only, so DockScript will not ", e.Message, StringComparison.Ordinal);
            Assert.EndsWith("readOnly: false) to allow changes.", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        });
        Assert.Contains("create the service web", refusals[0].Message, StringComparison.Ordinal);
        Assert.Contains("create the overlay ov", refusals[1].Message, StringComparison.Ordinal);
        // Refused before a word reached the engine.
        Assert.Empty(engine.Others);
    }

    [Fact]
    public async Task A_cluster_connected_with_readOnly_false_lets_changes_through_to_the_engine()
    {
        await using var engine = new FakeEngine();
        await using var lab = await Lab.StartAsync(new LabOptions { Endpoint = DockerEndpoint.FromEnvironment(engine.Endpoint) });

        var cluster = lab.Clusters.Connect([engine.Endpoint], readOnly: false);

        Assert.False(Assert.Single(cluster.Nodes).ReadOnly);
        // The fake refuses it, but the request was made: no read-only sentence stood in the way.
        var e = await Assert.ThrowsAnyAsync<DockScriptException>(() => cluster.Networks.CreateAsync("ov"));
        Assert.DoesNotContain("read-only", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(engine.Others);
    }

    [Fact]
    public void Firewall_rules_that_drop_vxlan_or_gossip_are_found_and_others_are_not()
    {
        const string saved = """
            *filter
            :INPUT ACCEPT [0:0]
            -A INPUT -p udp -m udp --dport 4789 -j DROP
            -A INPUT -p tcp -m tcp --dport 7946 -j REJECT --reject-with icmp-port-unreachable
            -A INPUT -p udp -m udp --dport 4789 -j ACCEPT
            -A FORWARD -p tcp -m tcp --dport 47890 -j DROP
            -A OUTPUT -p udp -m multiport --dports 53,7946 -j DROP
            COMMIT
            """;

        var rules = ClusterDiagnosis.BlockingRules(saved);

        Assert.Equal(
            [(4789, "-A INPUT -p udp -m udp --dport 4789 -j DROP"), (7946, "-A INPUT -p tcp -m tcp --dport 7946 -j REJECT --reject-with icmp-port-unreachable"), (7946, "-A OUTPUT -p udp -m multiport --dports 53,7946 -j DROP")],
            rules);
    }

    [Fact]
    public void A_container_on_an_overlay_that_is_not_attachable_is_told_the_fix()
    {
        var text = ClusterDiagnosis.NotAttachable("ov", "probe");
        Assert.Contains("not attachable", text, StringComparison.Ordinal);
        Assert.Contains("cluster.Networks.Create(\"ov\", attachable: true)", text, StringComparison.Ordinal);
    }
}
