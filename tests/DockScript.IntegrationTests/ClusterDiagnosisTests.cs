namespace DockScript.IntegrationTests;

/// <summary>
/// The cluster causes on the shared 2-node Swarm: each test makes the fault, proves the probe
/// fails for that reason (and, where a path existed, that it worked before), and undoes it.
/// </summary>
[Collection("cluster")]
public sealed class ClusterDiagnosisTests(ClusterFixture fx)
{
    private Cluster Cluster => fx.Cluster;
    private Probes Probes => fx.Lab.Probes;
    private Node Manager => Cluster.Nodes[0];
    private Node Worker => Cluster.Nodes[1];

    [Fact]
    public async Task A_container_on_a_non_attachable_overlay_is_one_sentence_and_a_probe_names_the_overlay()
    {
        var closed = await Cluster.Networks.CreateAsync(fx.Name("closed"), attachable: false, subnet: "10.79.0.0/24");
        var web = await Cluster.Services.CreateAsync(fx.Name("inclosed"), "dockscript/web", replicas: 1, network: closed.Name, endpointMode: EndpointMode.Dnsrr);
        var probe = await Worker.Containers.RunAsync("dockscript/toolbox", name: fx.Name("closedprobe"), network: fx.Overlay.Name);
        try
        {
            Assert.False(closed.Attachable);
            var refused = await Assert.ThrowsAsync<DockScriptException>(() => Worker.Containers.RunAsync("dockscript/toolbox", name: fx.Name("intruder"), network: closed.Name));
            Assert.Contains("not attachable", refused.Message, StringComparison.Ordinal);
            Assert.Contains("attachable: true", refused.Message, StringComparison.Ordinal);
            Assert.False(Worker.Containers.Exists(fx.Name("intruder")));

            var lookup = await Probes.ResolveAsync(probe, web.Name);
            Assert.False(lookup.Success);
            Assert.Equal(ProbeCause.OverlayNotAttachable, lookup.Cause);
            Assert.Contains($"'{closed.Name}'", lookup.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await web.RemoveAsync();
            await probe.RemoveAsync();
            await closed.RemoveAsync();
        }
    }

    [Fact]
    public async Task A_container_outside_the_Swarm_is_told_so()
    {
        var web = await Cluster.Services.CreateAsync(fx.Name("far"), "dockscript/web", replicas: 1, network: fx.Overlay.Name, endpointMode: EndpointMode.Dnsrr);
        var outside = await fx.Lab.Containers.RunAsync("dockscript/toolbox", name: fx.Name("outsider"), command: "sleep 3600");
        try
        {
            var task = Assert.Single(await web.GetTasksAsync(), t => t.Running);
            var ping = await Probes.PingAsync(outside, task.Container!, count: 1);
            Assert.False(ping.Success);
            Assert.Equal(ProbeCause.NodeOutsideSwarm, ping.Cause);
            Assert.Contains("not a node of the Swarm", ping.Reason, StringComparison.Ordinal);
            Assert.Contains(Cluster.Name, ping.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await web.RemoveAsync();
            await outside.RemoveAsync();
        }
    }

    [Fact]
    public async Task A_service_with_no_running_task_is_named_in_both_endpoint_modes()
    {
        var rr = await Cluster.Services.CreateAsync(fx.Name("idle"), "dockscript/web", replicas: 0, network: fx.Overlay.Name, endpointMode: EndpointMode.Dnsrr);
        var vip = await Cluster.Services.CreateAsync(fx.Name("idlevip"), "dockscript/web", replicas: 0, network: fx.Overlay.Name, endpointMode: EndpointMode.Vip);
        var probe = await Manager.Containers.RunAsync("dockscript/toolbox", name: fx.Name("idleprobe"), network: fx.Overlay.Name);
        try
        {
            var tasks = await Probes.ResolveAsync(probe, "tasks." + rr.Name);
            Assert.False(tasks.Success);
            Assert.Equal(ProbeCause.NoRunningTask, tasks.Cause);
            Assert.Contains($"{rr.Name}.Scale(", tasks.Reason, StringComparison.Ordinal);

            var ping = await Probes.PingAsync(probe, vip.Name, count: 1, timeout: TimeSpan.FromSeconds(1));
            Assert.False(ping.Success);
            Assert.Equal(ProbeCause.NoRunningTask, ping.Cause);
            // Its virtual IP too: with no task behind it, IPVS or not, nothing answers.
            var address = Assert.Single(await vip.GetVirtualIPsAsync()).Value;
            var curl = await Probes.CurlAsync(probe, $"http://{address}/", TimeSpan.FromSeconds(1));
            Assert.False(curl.Success);
            Assert.Equal(ProbeCause.NoRunningTask, curl.Cause);
            Assert.Contains(vip.Name, curl.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await rr.RemoveAsync();
            await vip.RemoveAsync();
            await probe.RemoveAsync();
        }
    }

    [Fact]
    public async Task A_name_on_another_overlay_is_named_with_that_overlay()
    {
        var other = await Cluster.Networks.CreateAsync(fx.Name("ov2"), subnet: "10.78.0.0/24");
        var web = await Cluster.Services.CreateAsync(fx.Name("elsewhere"), "dockscript/web", replicas: 1, network: other.Name, endpointMode: EndpointMode.Dnsrr);
        var near = await Worker.Containers.RunAsync("dockscript/toolbox", name: fx.Name("near"), network: other.Name);
        var probe = await Worker.Containers.RunAsync("dockscript/toolbox", name: fx.Name("ov1probe"), network: fx.Overlay.Name);
        try
        {
            // On the service's overlay the name works: the failure below is the overlay's doing.
            Assert.True((await Probes.ResolveAsync(near, web.Name)).Success);
            var lookup = await Probes.ResolveAsync(probe, web.Name);
            Assert.False(lookup.Success);
            Assert.Equal(ProbeCause.NameOnOtherOverlay, lookup.Cause);
            Assert.Contains($"'{other.Name}'", lookup.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await web.RemoveAsync();
            await near.RemoveAsync();
            await probe.RemoveAsync();
            await other.RemoveAsync();
        }
    }

    [Fact]
    public async Task Vxlan_dropped_by_a_node_firewall_is_named_with_the_rule_and_undone()
    {
        var a = await Manager.Containers.RunAsync("dockscript/toolbox", name: fx.Name("vxa"), network: fx.Overlay.Name);
        var b = await Worker.Containers.RunAsync("dockscript/toolbox", name: fx.Name("vxb"), network: fx.Overlay.Name);
        string[] rule = ["INPUT", "-p", "udp", "--dport", "4789", "-j", "DROP"];
        var (host, node) = Worker.Host!.Value;
        try
        {
            Assert.True((await Probes.PingAsync(a, b, count: 1)).Success);
            var added = await host.Gateway.Exec.RunAsync(node, ["iptables", "-I", .. rule], "block VXLAN on the worker", default);
            Assert.True(added.ExitCode == 0, added.Stderr);

            var ping = await Probes.PingAsync(a, b, count: 1, timeout: TimeSpan.FromSeconds(1));
            Assert.False(ping.Success);
            Assert.Equal(ProbeCause.VxlanBlocked, ping.Cause);
            Assert.Contains(Worker.Name, ping.Reason, StringComparison.Ordinal);
            Assert.Contains("4789", ping.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await host.Gateway.Exec.RunAsync(node, ["iptables", "-D", .. rule], "unblock VXLAN on the worker", default);
            // The path is back for the tests that follow.
            Assert.True((await Probes.PingAsync(a, b, count: 1)).Success);
            await a.RemoveAsync();
            await b.RemoveAsync();
        }
    }
}
