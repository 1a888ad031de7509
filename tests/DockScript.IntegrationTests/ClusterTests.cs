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

/// <summary>Services on the shared 2-node cluster: both endpoint modes, tasks., scaling.</summary>
[Collection("cluster")]
public sealed class ServiceTests(ClusterFixture fx)
{
    private Cluster Cluster => fx.Cluster;
    private Probes Probes => fx.Lab.Probes;

    [Fact]
    public async Task ADnsrrServiceResolvesToEveryTaskAndScalingIsFollowed()
    {
        var web = await Cluster.Services.CreateAsync(fx.Name("rr"), "dockscript/web", replicas: 2, network: fx.Overlay.Name, endpointMode: EndpointMode.Dnsrr);
        var probe = await Cluster.Nodes[1].Containers.RunAsync("dockscript/toolbox", name: fx.Name("rrprobe"), network: fx.Overlay.Name);
        try
        {
            var tasks = (await web.GetTasksAsync()).Where(t => t.Running).ToList();
            Assert.Equal(2, tasks.Count);
            Assert.Empty(await web.GetVirtualIPsAsync());
            var ips = tasks.Select(t => t.IP!).Order().ToList();
            var byName = await Probes.ResolveAsync(probe, web.Name);
            Assert.Equal(ips, byName.Addresses.Order());
            var byTasks = await Probes.ResolveAsync(probe, "tasks." + web.Name);
            Assert.Equal(ips, byTasks.Addresses.Order());
            Assert.EndsWith("@" + Cluster.Nodes[1].Name, byTasks.Source, StringComparison.Ordinal);
            foreach (var task in tasks)
            {
                var curl = await Probes.CurlAsync(probe, $"http://{task.IP}/");
                Assert.True(curl.Success, curl.ToString());
                Assert.Equal(task.ContainerId![..12], curl.Body.Trim());
            }
            var spread = await Probes.SpreadAsync(probe, $"http://{web.Name}/", 8);
            Assert.Equal(0, spread.Failed);
            Assert.All(spread.Answers.Keys, k => Assert.StartsWith(web.Name + ".", k, StringComparison.Ordinal));

            await web.ScaleAsync(3);
            var three = (await web.GetTasksAsync()).Where(t => t.Running).Select(t => t.IP!).Order().ToList();
            Assert.Equal(3, three.Count);
            Assert.Equal(three, (await Probes.ResolveAsync(probe, "tasks." + web.Name)).Addresses.Order());

            await web.ScaleAsync(1);
            var one = (await web.GetTasksAsync()).Where(t => t.Running).ToList();
            var left = Assert.Single(one);
            var gone = three.Except([left.IP!]).First();
            Assert.Equal([left.IP!], (await Probes.ResolveAsync(probe, "tasks." + web.Name)).Addresses);
            Assert.True((await Probes.PingAsync(probe, left.IP!, count: 1)).Success);
            var ping = await Probes.PingAsync(probe, gone, count: 1);
            Assert.False(ping.Success);
        }
        finally
        {
            await web.RemoveAsync();
            await probe.RemoveAsync();
        }
    }

    [Fact]
    public async Task AnUpdateReturnsOnceEveryReplicaRunsTheNewSpec()
    {
        var web = await Cluster.Services.CreateAsync(fx.Name("upd"), "dockscript/web", replicas: 2, network: fx.Overlay.Name,
            endpointMode: EndpointMode.Dnsrr, env: ["COLOR=red"]);
        try
        {
            var before = (await web.GetTasksAsync()).Where(t => t.Running).Select(t => t.Id).ToHashSet();
            Assert.Equal(2, before.Count);

            await web.UpdateAsync(env: ["COLOR=blue"]);

            // No waiting here: Update itself returned only once the rollout was done.
            var tasks = await web.GetTasksAsync();
            var running = tasks.Where(t => t.Running).ToList();
            Assert.Equal(2, running.Count);
            Assert.DoesNotContain(running, t => before.Contains(t.Id));
            Assert.All(tasks.Where(t => before.Contains(t.Id)), t => Assert.NotEqual("running", t.State));
            Assert.Single(running.Select(t => t.Generation).Distinct());
            foreach (var task in running)
            {
                var env = await task.Container!.ExecAsync(["sh", "-c", "echo $COLOR"]);
                Assert.Equal("blue", env.Stdout.Trim());
            }
        }
        finally
        {
            await web.RemoveAsync();
        }
    }

    [Fact]
    public async Task AVipServiceHasAVirtualIpThatAnswersOrIsExplained()
    {
        var web = await Cluster.Services.CreateAsync(fx.Name("vip"), "dockscript/web", replicas: 2, network: fx.Overlay.Name, endpointMode: EndpointMode.Vip);
        var probe = await Cluster.Nodes[0].Containers.RunAsync("dockscript/toolbox", name: fx.Name("vipprobe"), network: fx.Overlay.Name);
        try
        {
            var vip = Assert.Single(await web.GetVirtualIPsAsync()).Value;
            Assert.Equal([vip], (await Probes.ResolveAsync(probe, web.Name)).Addresses);
            var tasks = (await web.GetTasksAsync()).Where(t => t.Running).Select(t => t.IP!).Order().ToList();
            Assert.Equal(tasks, (await Probes.ResolveAsync(probe, "tasks." + web.Name)).Addresses.Order());
            var curl = await Probes.CurlAsync(probe, $"http://{vip}/", TimeSpan.FromSeconds(2));
            if (Ipvs.Available)
            {
                Assert.True(curl.Success, curl.ToString());
            }
            else
            {
                Assert.False(curl.Success);
                Assert.Equal(ProbeCause.VipWithoutIpvs, curl.Cause);
            }
        }
        finally
        {
            await web.RemoveAsync();
            await probe.RemoveAsync();
        }
    }
}
