using Docker.DotNet.Models;

namespace DockScript.IntegrationTests;

/// <summary>
/// What ends a cluster: a node's engine dying, and the session's cleanup. Each test makes a small
/// cluster of its own (never the shared one, which the other cluster tests still need).
/// </summary>
public sealed class ClusterLifecycleTests
{
    private static string NewName() => ClusterFixture.Prefix("clu") + Guid.NewGuid().ToString("N")[..5];

    private static Task<Lab> SessionAsync() => Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });

    [Fact]
    public async Task A_node_whose_engine_dies_has_its_tasks_reported_gone_and_a_probe_to_them_names_the_node()
    {
        var run = NewName();
        await using var lab = await SessionAsync();
        try
        {
            var cluster = await lab.Clusters.CreateAsync(nodes: 2, name: run);
            var (manager, worker) = (cluster.Nodes[0], cluster.Nodes[1]);
            var overlay = await cluster.Networks.CreateAsync($"{run}-ov", subnet: "10.81.0.0/24");
            var web = await cluster.Services.CreateAsync($"{run}-web", "dockscript/web", replicas: 2, network: overlay.Name, endpointMode: EndpointMode.Dnsrr);
            var probe = await manager.Containers.RunAsync("dockscript/toolbox", name: $"{run}-probe", network: overlay.Name);
            // The Swarm spreads two replicas over two nodes: one runs on the worker, and answers.
            var doomed = Assert.Single(await web.GetTasksAsync(), t => t.Running && t.Node == worker.Name);
            Assert.True((await lab.Probes.PingAsync(probe, doomed.IP!, count: 1)).Success);

            await worker.StopAsync();
            var status = await Eventually(async () => await cluster.StatusAsync(), s => s.Any(l => l.StartsWith(worker.Name + " ", StringComparison.Ordinal) && l.Contains(" down", StringComparison.Ordinal)));
            Assert.Contains(status, l => l.StartsWith(manager.Name + " ", StringComparison.Ordinal) && l.Contains(" ready", StringComparison.Ordinal));

            var gone = Assert.Single(await web.GetTasksAsync(), t => t.Id == doomed.Id);
            Assert.False(gone.Running);
            Assert.Contains(worker.Name, gone.Message, StringComparison.Ordinal);
            Assert.Contains("down", gone.ToString(), StringComparison.Ordinal);

            var ping = await lab.Probes.PingAsync(probe, doomed.IP!, count: 1, timeout: TimeSpan.FromSeconds(1));
            Assert.False(ping.Success);
            Assert.Equal(ProbeCause.NodeDown, ping.Cause);
            Assert.Contains($"node {worker.Name}", ping.Reason, StringComparison.Ordinal);
            Assert.Contains("down", ping.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await lab.CleanupAsync();
        }
    }

    [Fact]
    public async Task Cleanup_removes_the_nodes_their_volumes_and_the_session_network()
    {
        var run = NewName();
        await using var lab = await SessionAsync();
        var cluster = await lab.Clusters.CreateAsync(nodes: 1, name: run);
        var overlay = await cluster.Networks.CreateAsync($"{run}-ov", subnet: "10.82.0.0/24");
        await cluster.Nodes[0].Containers.RunAsync("dockscript/web", name: $"{run}-inside", network: overlay.Name);
        // What the node holds on this engine: its container, and any volume mounted into it.
        var node = await lab.Docker.Containers.InspectContainerAsync(cluster.Nodes[0].Host!.Value.ContainerId);
        var volumes = (node.Mounts ?? []).Where(m => m.Type == "volume").Select(m => m.Name).ToList();
        Assert.NotNull(await lab.Gateway.Networks.InspectAsync(run, default));

        var report = await lab.CleanupAsync();

        Assert.Contains($"{run}-1", report.Containers);
        Assert.Contains(run, report.Networks);
        Assert.Empty(await lab.Gateway.Containers.ListAsync(all: true, default, label: $"{LabLabels.Session}={lab.SessionId}"));
        Assert.Empty(await lab.Gateway.Containers.ListAsync(all: true, default, exactName: $"{run}-1"));
        Assert.Null(await lab.Gateway.Networks.InspectAsync(run, default));
        var left = await lab.Docker.Volumes.ListAsync(new VolumesListParameters());
        Assert.DoesNotContain(left.Volumes ?? [], v => volumes.Contains(v.Name) || (v.Labels is { } l && l.TryGetValue(LabLabels.Session, out var session) && session == lab.SessionId));
        Assert.Empty(await lab.GetCreatedAsync());
    }

    /// <summary>Reads until <paramref name="done"/> holds, for at most a minute (a Swarm marks a node down after its heartbeats stop).</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"still not so after 60 s: {value}");
            await Task.Delay(500);
        }
    }
}
