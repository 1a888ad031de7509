namespace DockScript;

/// <summary>
/// A Swarm service: its <see cref="Tasks"/> (which node, which container, which address) and
/// <see cref="VirtualIPs"/>, read from the manager on each access.
/// </summary>
/// <example><code>web.Scale(5);  web.Tasks</code></example>
public sealed class Service
{
    private readonly Cluster cluster;

    internal Service(Cluster cluster, string id, string name)
    {
        this.cluster = cluster;
        Id = id;
        Name = name;
    }

    /// <summary>The service's name: what containers on its network resolve (and <c>tasks.name</c>).</summary>
    public string Name { get; }

    /// <summary>The service id.</summary>
    public string Id { get; }

    /// <summary>How many replicas the service asks for.</summary>
    /// <example><code>web.Replicas   // 3</code></example>
    public int Replicas => Ambient.Wait(async ct => (await InfoAsync(ct).ConfigureAwait(false)).Replicas);

    /// <summary>Vip or Dnsrr.</summary>
    public EndpointMode EndpointMode => Ambient.Wait(async ct => (await InfoAsync(ct).ConfigureAwait(false)).EndpointMode == "dnsrr" ? EndpointMode.Dnsrr : EndpointMode.Vip);

    /// <summary>The virtual IP on each of its networks (network name → address); empty in DNSRR mode.</summary>
    /// <example><code>web.VirtualIPs   // ov=10.20.0.2</code></example>
    public IReadOnlyDictionary<string, string> VirtualIPs => Ambient.Wait(GetVirtualIPsAsync);

    /// <inheritdoc cref="VirtualIPs"/>
    public async Task<IReadOnlyDictionary<string, string>> GetVirtualIPsAsync(CancellationToken ct = default)
    {
        var info = await InfoAsync(ct).ConfigureAwait(false);
        var networks = await cluster.Networks.ListAsync(ct).ConfigureAwait(false);
        return Readable.Map(info.VirtualIPs.ToDictionary(
            v => networks.FirstOrDefault(n => n.Id == v.NetworkId)?.Name ?? v.NetworkId,
            v => v.Address.Split('/')[0], StringComparer.Ordinal));
    }

    /// <summary>
    /// Every task the Swarm keeps for this service, newest first per slot: where it runs, its
    /// state, its address. A task on a node that went down is reported with the Swarm's reason.
    /// </summary>
    /// <example><code>web.Tasks.Count(t => t.Running)</code></example>
    public IReadOnlyList<ServiceTask> Tasks => Ambient.Wait(GetTasksAsync);

    /// <inheritdoc cref="Tasks"/>
    public async Task<IReadOnlyList<ServiceTask>> GetTasksAsync(CancellationToken ct = default)
    {
        var tasks = await cluster.Manager.Lab.Gateway.Swarm.TasksAsync(Id, ct).ConfigureAwait(false);
        var names = await cluster.NodeNamesAsync(ct).ConfigureAwait(false);
        var info = await InfoAsync(ct).ConfigureAwait(false);
        var serviceNetworks = info.VirtualIPs.Select(v => v.NetworkId).ToHashSet(StringComparer.Ordinal);
        var down = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in await cluster.Manager.Lab.Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false))
        {
            if (n.State != "ready")
            {
                down.Add(n.Id);
            }
        }
        return Readable.List(tasks
            .OrderBy(t => t.Slot).ThenByDescending(t => t.Timestamp)
            .Select(t =>
            {
                var node = names.GetValueOrDefault(t.NodeId, "");
                var address = t.Addresses.FirstOrDefault(a => serviceNetworks.Count == 0 || serviceNetworks.Contains(a.NetworkId))?.Address.Split('/')[0];
                var message = t.Message;
                var state = t.State;
                if (down.Contains(t.NodeId) && t.State == "running")
                {
                    // The manager still lists what it last heard; the node has stopped answering.
                    message = $"node {node} is down: its engine stopped answering the Swarm";
                    state = "orphaned";
                }
                var container = t.ContainerId is null ? null : cluster.Nodes.FirstOrDefault(n => n.Name == node) is { } on
                    ? new Container(on.Lab, t.ContainerId, $"{Name}.{t.Slot}.{t.Id}", info.Image, null) : null;
                return new ServiceTask(t.Id, t.Slot, node, state, t.DesiredState, message, t.ContainerId, address) { Container = container, Generation = t.Generation };
            }).ToList());
    }

    /// <summary>The containers of the running tasks, each on its node: sources and targets for probes.</summary>
    /// <example><code>Ping(probe, web.Containers[0])</code></example>
    public IReadOnlyList<Container> Containers => Ambient.Wait(async ct =>
        (IReadOnlyList<Container>)Readable.List((await GetTasksAsync(ct).ConfigureAwait(false)).Where(t => t.Running && t.Container is not null).Select(t => t.Container!).ToList()));

    /// <summary>Sets the number of replicas and returns once the Swarm has converged on it.</summary>
    /// <example><code>web.Scale(1)</code></example>
    public void Scale(int replicas) => Ambient.Wait(ct => ScaleAsync(replicas, ct));

    /// <inheritdoc cref="Scale"/>
    public async Task ScaleAsync(int replicas, CancellationToken ct = default)
    {
        if (replicas < 0)
        {
            throw new DockScriptException($"A service needs zero or more replicas, but {replicas} was given.");
        }
        ReadOnlyCluster.Check(cluster.Manager.Lab, $"scale the service {Name}");
        await cluster.Manager.Lab.Gateway.Swarm.ScaleAsync(Id, replicas, $"scale {Name} to {replicas}", ct).ConfigureAwait(false);
        await WaitConvergedAsync(replicas, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Rolls the tasks over to a new image or environment, and returns once the rollout is done:
    /// every replica runs a task made from the new spec and the old ones have stopped (or says
    /// why not: a paused or rolled-back update, a task that would not start).
    /// </summary>
    /// <example><code>web.Update(env: ["COLOR=blue"])</code></example>
    public void Update(string? image = null, IEnumerable<string>? env = null) => Ambient.Wait(ct => UpdateAsync(image, env, ct));

    /// <inheritdoc cref="Update"/>
    public async Task UpdateAsync(string? image = null, IEnumerable<string>? env = null, CancellationToken ct = default)
    {
        ReadOnlyCluster.Check(cluster.Manager.Lab, $"update the service {Name}");
        await cluster.Manager.Lab.Gateway.Swarm.UpdateAsync(Id, image, env?.ToList(), $"update {Name}", ct).ConfigureAwait(false);
        await WaitRolledOutAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) until every replica runs a task of the current spec and no older task runs.</summary>
    internal async Task WaitRolledOutAsync(CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var info = await InfoAsync(ct).ConfigureAwait(false);
            var tasks = await GetTasksAsync(ct).ConfigureAwait(false);
            var running = tasks.Where(t => t.Running).ToList();
            var fresh = running.Count(t => t.Generation == info.Generation);
            var stillStopping = tasks.Any(t => t.DesiredState != "running" && t.State is "running" or "starting" or "preparing");
            if (info.UpdateState is "paused" or "rollback_started" or "rollback_paused" or "rollback_completed")
            {
                throw new DockScriptException(
                    $"The update of the service {Name} stopped ({info.UpdateState.Replace('_', ' ')}){(info.UpdateMessage.Length > 0 ? ": " + info.UpdateMessage.TrimEnd('.') : "")}; see {Name}.Tasks for the tasks that failed.");
            }
            if (fresh == info.Replicas && running.Count == info.Replicas && !stillStopping && info.UpdateState is null or "completed")
            {
                return;
            }
            if (DateTime.UtcNow > started + ConvergeDeadline)
            {
                var why = tasks.Where(t => !t.Running && t.Message.Length > 0).Select(t => t.ToString()).Distinct().Take(3).ToList();
                throw new DockScriptException(
                    $"The update of the service {Name} has {fresh} of {info.Replicas} tasks running the new spec after {ConvergeDeadline.TotalSeconds:0} s{(why.Count > 0 ? ": " + string.Join("; ", why) : "")}; see {Name}.Tasks.");
            }
            // Polling the manager, as for scaling: the rollout announces nothing DockScript can wait on.
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    /// <summary>Removes the service and returns once its tasks are gone (its overlay can then be removed too).</summary>
    /// <example><code>web.Remove()</code></example>
    public void Remove() => Ambient.Wait(RemoveAsync);

    /// <inheritdoc cref="Remove"/>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        ReadOnlyCluster.Check(cluster.Manager.Lab, $"remove the service {Name}");
        var tasks = await cluster.Manager.Lab.Gateway.Swarm.TasksAsync(Id, ct).ConfigureAwait(false);
        var up = (await cluster.Manager.Lab.Gateway.Swarm.NodesAsync(ct).ConfigureAwait(false))
            .Where(n => n.State == "ready").ToDictionary(n => n.Id, n => n.Hostname, StringComparer.Ordinal);
        await cluster.Manager.Lab.Gateway.Swarm.RemoveServiceAsync(Id, $"remove the service {Name}", ct).ConfigureAwait(false);
        // The Swarm removes the tasks' containers after it answered: wait for them (bounded),
        // so that what comes next (removing the overlay, say) does not find them still there.
        var deadline = DateTime.UtcNow + ConvergeDeadline;
        var delay = TimeSpan.FromMilliseconds(100);
        foreach (var node in cluster.Nodes)
        {
            foreach (var task in tasks.Where(t => t.ContainerId is not null && up.GetValueOrDefault(t.NodeId) == node.Name))
            {
                while (await node.Lab.Gateway.Containers.InspectAsync(task.ContainerId!, ct).ConfigureAwait(false) is not null && DateTime.UtcNow < deadline)
                {
                    // Polling the node: the removal announces nothing over the API DockScript pins.
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 500));
                }
            }
        }
    }

    /// <summary>How long a service may take to reach its replica count before DockScript says what is missing.</summary>
    internal static TimeSpan ConvergeDeadline { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Waits (bounded) until exactly <paramref name="replicas"/> tasks run; else one sentence with what the Swarm said.</summary>
    internal async Task WaitConvergedAsync(int replicas, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var deadline = started + ConvergeDeadline;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var tasks = await GetTasksAsync(ct).ConfigureAwait(false);
            var running = tasks.Where(t => t.Running).ToList();
            var stillStopping = tasks.Any(t => t.DesiredState != "running" && t.State is "running" or "starting" or "preparing");
            if (running.Count == replicas && !stillStopping)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                var why = tasks.Where(t => !t.Running && t.Message.Length > 0).Select(t => t.ToString()).Distinct().Take(3).ToList();
                throw new DockScriptException(
                    $"The service {Name} has {running.Count} of {replicas} tasks running after {ConvergeDeadline.TotalSeconds:0} s{(why.Count > 0 ? ": " + string.Join("; ", why) : "")}; see {Name}.Tasks.");
            }
            // Polling the manager: the Swarm has no event DockScript can wait on for convergence over the API it pins.
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    private async Task<ServiceInfo> InfoAsync(CancellationToken ct) =>
        await cluster.Manager.Lab.Gateway.Swarm.InspectServiceAsync(Id, ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"The service {Name} is gone from the cluster {cluster.Name}.");

    /// <inheritdoc/>
    public override string ToString() => $"service {Name}: " + string.Join(", ", Tasks.Where(t => t.Running).Select(t => t.ToString()));
}
