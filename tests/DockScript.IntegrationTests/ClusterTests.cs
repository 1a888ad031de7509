namespace DockScript.IntegrationTests;

/// <summary>A 2-node Swarm on the real engine: overlays across nodes, services, tasks., scaling.</summary>
[Collection("cluster")]
public sealed class ClusterTests(ClusterFixture fx)
{
    private Cluster Cluster => fx.Cluster;
    private Probes Probes => fx.Lab.Probes;
    private Node Manager => Cluster.Nodes[0];
    private Node Worker => Cluster.Nodes[1];

    [Fact]
    public void TheClusterHasAManagerAndAWorkerOnTheSessionNetwork()
    {
        Assert.Equal([NodeRole.Manager, NodeRole.Worker], Cluster.Nodes.Select(n => n.Role));
        Assert.All(Cluster.Nodes, n => Assert.StartsWith("tcp://" + n.Address, n.Engine, StringComparison.Ordinal));
        Assert.All(Cluster.Status(), line => Assert.Contains(" ready ", line, StringComparison.Ordinal));
        Assert.Contains(fx.Overlay.Name, Cluster.Networks.List().Select(n => n.Name));
    }

    [Fact]
    public async Task ContainersOnTwoNodesReachEachOtherOverTheOverlayByNameAndIp()
    {
        var a = await Manager.Containers.RunAsync("dockscript/web", name: fx.Name("a"), network: fx.Overlay.Name);
        var b = await Worker.Containers.RunAsync("dockscript/web", name: fx.Name("b"), network: fx.Overlay.Name);
        try
        {
            foreach (var (from, to) in new[] { (a, b), (b, a) })
            {
                var byIp = await Probes.PingAsync(from, to, count: 1);
                Assert.True(byIp.Success, byIp.ToString());
                Assert.StartsWith("10.77.0.", byIp.Address, StringComparison.Ordinal);
                Assert.EndsWith("@" + from.Lab.NodeName, byIp.Source, StringComparison.Ordinal);
                var byName = await Probes.PingAsync(from, to.Name, count: 1);
                Assert.True(byName.Success, byName.ToString());
                var curl = await Probes.CurlAsync(from, $"http://{to.Name}/");
                Assert.True(curl.Success, curl.ToString());
            }
            var matrix = await Probes.ReachabilityAsync([a, b]);
            Assert.Equal(2, matrix.Cells.Count(c => c.ReachableByIp && c.ReachableByName));
        }
        finally
        {
            await a.RemoveAsync();
            await b.RemoveAsync();
        }
    }
}
