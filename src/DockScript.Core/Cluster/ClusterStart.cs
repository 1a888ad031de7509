using System.Diagnostics;

namespace DockScript;

/// <summary>
/// The steps of <c>Cluster.Create</c>: the node image, the session network, one nested engine per
/// node, each engine answering, the Swarm formed, the lab images on every node. A failure removes
/// what was started and says which step failed.
/// </summary>
internal sealed class ClusterStart(Lab lab, string name, int nodes, int managers)
{
    /// <summary>How long a nested engine may take to answer its API (about 10 s on an idle machine).</summary>
    internal static TimeSpan EngineDeadline { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The most nodes one Create starts: each is a whole Docker engine on this machine.</summary>
    public const int MaxNodes = 9;

    private static readonly SemaphoreSlim Building = new(1, 1);

    public async Task<Cluster> RunAsync(CancellationToken ct)
    {
        Names.Validate(name, "cluster");
        if (nodes is < 1 or > MaxNodes)
        {
            throw new DockScriptException($"A cluster needs 1 to {MaxNodes} nodes, but {nodes} was given; each node is a whole Docker engine on this machine.");
        }
        if (managers < 1 || managers > nodes)
        {
            throw new DockScriptException($"A cluster needs 1 to {nodes} managers (it has {nodes} nodes), but {managers} was given.");
        }
        await EnsureImageAsync(lab, ct).ConfigureAwait(false);
        var network = await lab.Networks.CreateAsync(name, labels: new Dictionary<string, string> { [LabLabels.Role] = "cluster" }, ct: ct).ConfigureAwait(false);
        var started = new List<(string Name, string Id, string Address, Lab Lab)>();
        try
        {
            var engines = await Task.WhenAll(Enumerable.Range(1, nodes).Select(i => StartNodeAsync($"{name}-{i}", network.Name, ct))).ConfigureAwait(false);
            started.AddRange(engines);
            await FormSwarmAsync(engines, ct).ConfigureAwait(false);
            // The lab images on every node, built there from this machine's busybox: no registry.
            await Task.WhenAll(engines.SelectMany(e => LabImage.All.Select(image => e.Lab.Images.EnsureLabImageAsync(image, ct)))).ConfigureAwait(false);
            var list = engines.Select((e, i) => new Node(e.Name, e.Address, i < managers ? NodeRole.Manager : NodeRole.Worker, e.Lab, readOnly: false,
                stop: c => lab.Gateway.Containers.StopAsync(e.Id, 0, $"stop node {e.Name}", c)) { Host = (lab, e.Id) }).ToList();
            foreach (var node in list)
            {
                node.Lab.ClusterManager = list[0].Lab;
            }
            return new Cluster(name, list, created: true);
        }
        catch
        {
            foreach (var e in started)
            {
                e.Lab.Dispose();
            }
            // The nodes carry the session label: removing them here spares the user a cleanup to retry.
            await Task.WhenAll(Enumerable.Range(1, nodes).Select(i => RemoveByNameAsync($"{name}-{i}"))).ConfigureAwait(false);
            await lab.Gateway.Networks.RemoveAsync(network.Id, $"remove network {name}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RemoveByNameAsync(string node)
    {
        var found = await lab.Gateway.Containers.ListAsync(all: true, CancellationToken.None, exactName: node).ConfigureAwait(false);
        foreach (var c in found.Where(c => LabLabels.IsManaged(c.Labels)))
        {
            await lab.TryRemoveContainerAsync(c.Id).ConfigureAwait(false);
        }
    }

    /// <summary>Builds <c>dockscript/node</c> unless an image from the same binaries is there.</summary>
    internal static async Task EnsureImageAsync(Lab lab, CancellationToken ct)
    {
        var (files, xtables, busybox) = NodeImage.FindParts();
        var stamp = NodeImage.Stamp(files);
        await Building.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var labels = await lab.Gateway.Images.LabelsOrNullAsync(NodeImage.Name, ct).ConfigureAwait(false);
            if (labels is not null && labels.TryGetValue(NodeImage.VersionLabel, out var have) && have == stamp)
            {
                return;
            }
            var path = Path.Combine(Path.GetTempPath(), $"dockscript-node-{Environment.ProcessId}.tar");
            try
            {
                await using (var tar = File.Create(path))
                {
                    await NodeImage.WriteAsync(tar, files, xtables, busybox, ct).ConfigureAwait(false);
                }
                await using var upload = File.OpenRead(path);
                var error = await lab.Gateway.Images.ImportAsync(upload, NodeImage.Name, "latest", $"built by DockScript {LabInfo.Version}",
                    NodeImage.Changes(stamp), $"import the node image {NodeImage.Name}", ct).ConfigureAwait(false);
                if (error is not null)
                {
                    throw new ImageUnavailableException($"The engine refused to import the node image {NodeImage.Name}: {error.TrimEnd('.')}.");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
        finally
        {
            Building.Release();
        }
    }

    /// <summary>
    /// One node: a container running dockerd. <c>--privileged</c> is refused on machines whose
    /// bounding set lacks a capability (CAP_SYS_RESOURCE here), so the node gets every capability
    /// but that one, no seccomp, AppArmor or masked /proc paths, the host's cgroups and tmpfs for
    /// the engine's state (an overlayfs cannot hold another).
    /// </summary>
    private async Task<(string Name, string Id, string Address, Lab Lab)> StartNodeAsync(string node, string network, CancellationToken ct)
    {
        var labels = lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = "cluster-node", [ClusterLabel] = name });
        var spec = new ContainerSpec(NodeImage.Name, labels)
        {
            Name = node,
            Hostname = node,
            NetworkMode = network,
            CapAdd = ["ALL"],
            CapDrop = ["SYS_RESOURCE"],
            SecurityOpt = ["seccomp=unconfined", "apparmor=unconfined"],
            UnmaskedPaths = true,
            Binds = ["/sys/fs/cgroup:/sys/fs/cgroup:rw"],
            Tmpfs = new Dictionary<string, string> { ["/var/lib/docker"] = "", ["/run"] = "" },
            Dns = lab.Options.Dns?.ToList(),
            StopSignal = "SIGKILL",
        };
        var id = await lab.Gateway.Containers.CreateAsync(spec, $"create node {node}", ct).ConfigureAwait(false);
        await lab.Gateway.Containers.StartAsync(id, $"start node {node}", ct).ConfigureAwait(false);
        var info = await lab.Gateway.Containers.InspectAsync(id, ct).ConfigureAwait(false);
        var address = info?.Networks.Values.FirstOrDefault()?.Address
            ?? throw await StoppedAsync(node, id, ct).ConfigureAwait(false);
        var nodeLab = await WaitForEngineAsync(node, id, address, ct).ConfigureAwait(false);
        return (node, id, address, nodeLab);
    }

    /// <summary>The label that names the cluster a node belongs to.</summary>
    internal const string ClusterLabel = "io.dockscript.cluster";

    /// <summary>Polls the inner engine's <c>/version</c> until it answers, the node dies, or the deadline passes.</summary>
    private async Task<Lab> WaitForEngineAsync(string node, string id, string address, CancellationToken ct)
    {
        var endpoint = DockerEndpoint.FromEnvironment($"tcp://{address}:{NodeImage.ApiPort}");
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    var nodeLab = await Lab.StartAsync(lab.Options with { Endpoint = endpoint, SessionId = lab.SessionId }, attempt.Token).ConfigureAwait(false);
                    nodeLab.NodeName = node;
                    return nodeLab;
                }
                catch (EngineUnavailableException)
                {
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
            }
            var state = await lab.Gateway.Containers.InspectAsync(id, ct).ConfigureAwait(false);
            if (state is null || !state.Running)
            {
                throw await StoppedAsync(node, id, ct).ConfigureAwait(false);
            }
            if (clock.Elapsed > EngineDeadline)
            {
                throw new DockScriptException($"The engine in node {node} did not answer at {endpoint} within {EngineDeadline.TotalSeconds:0} s; see 'docker logs {node}'.");
            }
            // Polling the engine's /version: it has no way to announce it is up.
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    /// <summary>"The engine in node x stopped before it answered (exit code 1): &lt;its last log lines&gt;".</summary>
    private async Task<DockScriptException> StoppedAsync(string node, string id, CancellationToken ct)
    {
        var state = await lab.Gateway.Containers.InspectAsync(id, ct).ConfigureAwait(false);
        var logs = state is null ? "" : await lab.Gateway.Containers.LogsAsync(id, $"read the logs of {node}", ct).ConfigureAwait(false);
        var last = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(2);
        return new DockScriptException($"The engine in node {node} stopped before it answered (exit code {state?.ExitCode}): {string.Join(" ", last).Trim()}");
    }

    /// <summary>Init on the first node, managers then workers join it; returns once the manager lists every node ready.</summary>
    private async Task FormSwarmAsync((string Name, string Id, string Address, Lab Lab)[] engines, CancellationToken ct)
    {
        var first = engines[0];
        await first.Lab.Gateway.Swarm.InitAsync(first.Address, ct).ConfigureAwait(false);
        var (worker, manager) = await first.Lab.Gateway.Swarm.JoinTokensAsync(ct).ConfigureAwait(false);
        // Managers one at a time (each changes the Raft membership), workers all at once.
        for (var i = 1; i < managers; i++)
        {
            await engines[i].Lab.Gateway.Swarm.JoinAsync(engines[i].Address, first.Address, manager, ct).ConfigureAwait(false);
        }
        await Task.WhenAll(engines.Skip(managers).Select(e => e.Lab.Gateway.Swarm.JoinAsync(e.Address, first.Address, worker, ct))).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var listed = await first.Lab.Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false);
            if (listed.Count(n => n.State == "ready") >= engines.Length)
            {
                return;
            }
            if (clock.Elapsed > EngineDeadline)
            {
                throw new DockScriptException($"The Swarm of {name} has {listed.Count(n => n.State == "ready")} of {engines.Length} nodes ready after {EngineDeadline.TotalSeconds:0} s: {string.Join(", ", listed.Select(n => $"{n.Hostname} {n.State}"))}.");
            }
            // Polling the manager: joins settle asynchronously.
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }
}
