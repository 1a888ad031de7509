namespace DockScript;

/// <summary>
/// Why a probe that involves a cluster failed, from the Swarm's own state: its nodes (up or
/// down), its services and their tasks, its overlays (attachable or not) and, for nodes DockScript
/// made, each node's firewall. Asked only after a probe failed; the first reason found wins, in
/// the order a person would check: is the source in the Swarm at all, is the target's node up,
/// does the service run anything, is the name on the source's overlay, can traffic cross nodes,
/// does the VIP have IPVS behind it.
/// </summary>
internal sealed class ClusterDiagnosis
{
    /// <summary>VXLAN: every overlay packet between two nodes travels in it.</summary>
    internal const int VxlanPort = 4789;

    /// <summary>The gossip port: nodes tell each other where their containers are.</summary>
    internal const int GossipPort = 7946;

    private readonly Cluster cluster;
    private readonly Container from;
    private IReadOnlyList<SwarmNodeInfo> nodes = [];
    private List<(ServiceInfo Info, IReadOnlyList<TaskInfo> Tasks)> services = [];
    private IReadOnlyList<Network> overlays = [];
    private Dictionary<string, EndpointInfo> sourceNetworks = [];

    private ClusterDiagnosis(Cluster cluster, Container from)
    {
        this.cluster = cluster;
        this.from = from;
    }

    /// <summary>The sentence for a container run on its own on an overlay that is not attachable.</summary>
    public static string NotAttachable(string overlay, string who) =>
        $"The overlay '{overlay}' is not attachable: only a service's tasks can join it, so {who} cannot; "
        + $"create it with cluster.Networks.Create(\"{overlay}\", attachable: true), or run this as a service on it (cluster.Services.Create(…, network: \"{overlay}\")).";

    /// <summary>
    /// The cluster reason a probe from <paramref name="from"/> failed, or null when the clusters
    /// open explain nothing. <paramref name="name"/> is the name asked (null for an address or a
    /// container), <paramref name="address"/> what was tried, <paramref name="to"/> the target container.
    /// </summary>
    public static async Task<Diagnosis.Verdict?> WhyAsync(IReadOnlyList<Cluster> clusters, Container from, string? name, string? address, Container? to, ProbeCause cause, CancellationToken ct)
    {
        foreach (var cluster in clusters)
        {
            try
            {
                var diagnosis = new ClusterDiagnosis(cluster, from);
                if (await diagnosis.VerdictAsync(name, address, to, cause, ct).ConfigureAwait(false) is { } verdict)
                {
                    return verdict;
                }
            }
            catch (DockScriptException)
            {
                // A manager that does not answer cannot explain anything: the probe's own reason stands.
            }
        }
        return null;
    }

    private async Task<Diagnosis.Verdict?> VerdictAsync(string? name, string? address, Container? to, ProbeCause cause, CancellationToken ct)
    {
        var manager = cluster.Manager.Lab.Gateway.Swarm;
        nodes = await manager.NodesAsync(ct).ConfigureAwait(false);
        overlays = await cluster.Networks.ListAsync(ct).ConfigureAwait(false);
        foreach (var (id, _) in await manager.ServicesAsync(ct).ConfigureAwait(false))
        {
            if (await manager.InspectServiceAsync(id, ct).ConfigureAwait(false) is { } info)
            {
                services.Add((info, await manager.TasksAsync(id, ct).ConfigureAwait(false)));
            }
        }

        var service = ServiceNamed(name) ?? ServiceWithVip(address);
        var task = TaskWithAddress(address) ?? TaskWithContainer(to);
        var target = to is not null ? Probes.Qualified(to) : name ?? address ?? "the target";
        var targetNode = to is not null ? NodeOf(to) : task is { } t ? NodeName(t.Task.NodeId) : null;
        var involved = service is not null || task is not null || targetNode is not null;
        if (!involved)
        {
            return null;
        }

        // The source's engine must be a node of this Swarm for any overlay to reach it.
        var sourceNode = NodeOf(from);
        if (sourceNode is null && !await InSwarmAsync(from.Lab, ct).ConfigureAwait(false))
        {
            var overlay = (service?.Info ?? task?.Service)?.Networks is { Count: > 0 } wanted ? OverlayName(wanted[0]) : overlays.FirstOrDefault(o => o.Name != "ingress")?.Name ?? "ov";
            return new(ProbeCause.NodeOutsideSwarm,
                $"{Probes.Qualified(from)} runs on {from.Lab.Engine.Endpoint}, which is not a node of the Swarm of the cluster {cluster.Name} (its nodes are {string.Join(", ", cluster.Nodes.Select(x => x.Name))}), "
                + $"so no overlay of it reaches {target}; run the probe on a node instead: cluster.Nodes[0].Containers.Run(\"dockscript/toolbox\", network: \"{overlay}\").");
        }
        if (targetNode is not null && to is not null && !cluster.Nodes.Any(x => x.Lab == to.Lab) && !await InSwarmAsync(to.Lab, ct).ConfigureAwait(false))
        {
            return new(ProbeCause.NodeOutsideSwarm,
                $"{target} runs on {to.Lab.Engine.Endpoint}, which is not a node of the Swarm of the cluster {cluster.Name}, so no overlay of it reaches {target}; run it on a node instead (cluster.Nodes[0].Containers.Run(…)).");
        }

        // The target's node is down: its tasks are gone with it.
        if (targetNode is not null && !IsUp(targetNode))
        {
            var what = task is { } gone ? $"{target} is task {gone.Service.Name}.{gone.Task.Slot} of the service {gone.Service.Name}, which ran on node {targetNode}" : $"{target} runs on node {targetNode}";
            var elsewhere = task is { } moved ? $"; the Swarm runs the service's tasks on the nodes that are up (see {moved.Service.Name}.Tasks)" : "; start the node again, or run it on a node that is up";
            return new(ProbeCause.NodeDown, $"{what}; that node is down (its engine stopped answering the Swarm: {StateOf(targetNode)}), so nothing answers there{elsewhere}.");
        }

        sourceNetworks = new Dictionary<string, EndpointInfo>((await from.InspectRawAsync(ct).ConfigureAwait(false)).Networks, StringComparer.Ordinal);

        // A service that runs nothing: no name, no VIP, no task answers for it.
        if (service is { } s && !s.Tasks.Any(Running))
        {
            var last = s.Tasks.Where(x => x.Message.Length > 0).OrderByDescending(x => x.Timestamp).FirstOrDefault()?.Message;
            return new(ProbeCause.NoRunningTask,
                $"the service {s.Info.Name} has no running task ({s.Info.Replicas} replica{(s.Info.Replicas == 1 ? "" : "s")} asked{(last is null ? "" : $"; the Swarm last said \"{last}\"")}), "
                + $"so nothing answers for '{name ?? address}'; scale it up ({s.Info.Name}.Scale(2)) or see why in {s.Info.Name}.Tasks.");
        }

        // The target is on an overlay only tasks may join.
        var targetOverlays = (service?.Info.Networks ?? []).Select(OverlayId).Concat(task?.Task.Addresses.Select(a => a.NetworkId) ?? []).Distinct().ToList();
        if (!SharesOverlay(targetOverlays) && targetOverlays.Select(OverlayById).OfType<Network>().FirstOrDefault(o => !o.Attachable) is { } closed)
        {
            return new(ProbeCause.OverlayNotAttachable,
                $"{target} is on the overlay '{closed.Name}', which {Probes.Qualified(from)} is not on and cannot join: it is not attachable, so only service tasks join it; "
                + $"recreate it with cluster.Networks.Create(\"{closed.Name}\", attachable: true) and run the probe on it, or probe from a task of a service on '{closed.Name}'.");
        }

        // The name belongs to another overlay than the source's.
        if (name is not null && service is not null && targetOverlays.Count > 0 && !SharesOverlay(targetOverlays))
        {
            return OtherOverlay(name, $"the service {service.Value.Info.Name}", targetOverlays);
        }
        if (name is not null && service is null && cause is ProbeCause.UnknownName or ProbeCause.NoSharedNetwork or ProbeCause.NameOnOtherNetwork
            && await ContainerNamedAsync(name, ct).ConfigureAwait(false) is { } named && named.Overlays.Count > 0 && !SharesOverlay(named.Overlays))
        {
            return OtherOverlay(name, $"the container {named.Qualified}", named.Overlays);
        }

        // Across nodes over a shared overlay and still nothing: a firewall between the nodes?
        if (sourceNode is not null && targetNode is not null && targetNode != sourceNode
            && cause is ProbeCause.NoAnswer or ProbeCause.AddressVacant or ProbeCause.UnknownName or ProbeCause.NameOnOtherNetwork or ProbeCause.NoSharedNetwork)
        {
            foreach (var node in cluster.Nodes.Where(x => x.Name == sourceNode || x.Name == targetNode))
            {
                var rules = await BlockingRulesAsync(node, ct).ConfigureAwait(false);
                if (rules.FirstOrDefault(r => r.Port == VxlanPort) is { Rule: { } vxlan })
                {
                    return new(ProbeCause.VxlanBlocked,
                        $"{target} is on node {targetNode} and {Probes.Qualified(from)} on node {sourceNode}, and node {node.Name} drops VXLAN (UDP {VxlanPort}) with the rule '{vxlan}'; "
                        + $"every overlay packet between nodes travels in VXLAN, so nothing gets across; remove that rule, or open UDP {VxlanPort} between the nodes.");
                }
                if (rules.FirstOrDefault(r => r.Port == GossipPort) is { Rule: { } gossip })
                {
                    return new(ProbeCause.GossipBlocked,
                        $"{target} is on node {targetNode} and {Probes.Qualified(from)} on node {sourceNode}, and node {node.Name} drops the gossip port {GossipPort} with the rule '{gossip}'; "
                        + $"without gossip the nodes never learn where each other's containers are, so overlay names and addresses do not work across them; open TCP and UDP {GossipPort} between the nodes.");
                }
            }
        }

        // A VIP with nothing behind it in the kernel.
        if (!Ipvs.Available && address is not null && ServiceWithVip(address) is { } vip)
        {
            return new(ProbeCause.VipWithoutIpvs, Ipvs.VipReason(vip.Info.Name, address));
        }
        return null;
    }

    private Diagnosis.Verdict OtherOverlay(string name, string what, IReadOnlyList<string> overlayIds)
    {
        var theirs = overlayIds.Select(OverlayName).First();
        var mine = sourceNetworks.Count == 0 ? "no network" : string.Join(", ", sourceNetworks.Keys.Select(k => $"'{k}'"));
        return new(ProbeCause.NameOnOtherOverlay,
            $"'{name}' is {what} on the overlay '{theirs}', and {Probes.Qualified(from)} is not on it ({mine}), so its DNS does not know the name; "
            + $"run the probe on '{theirs}' (network: \"{theirs}\") or attach the service to {Probes.Qualified(from)}'s overlay.");
    }

    private static bool Running(TaskInfo t) => t.State == "running" && t.DesiredState == "running";

    private (ServiceInfo Info, IReadOnlyList<TaskInfo> Tasks)? ServiceNamed(string? name)
    {
        if (name is null)
        {
            return null;
        }
        var bare = name.StartsWith("tasks.", StringComparison.Ordinal) ? name["tasks.".Length..] : name;
        return services.FirstOrDefault(s => s.Info.Name == bare) is { Info: not null } found ? found : null;
    }

    private (ServiceInfo Info, IReadOnlyList<TaskInfo> Tasks)? ServiceWithVip(string? address) =>
        address is null ? null
        : services.FirstOrDefault(s => s.Info.VirtualIPs.Any(v => v.Address.Split('/')[0] == address)) is { Info: not null } found ? found : null;

    private (ServiceInfo Service, TaskInfo Task)? TaskWithAddress(string? address)
    {
        if (address is null)
        {
            return null;
        }
        // The newest task that held it: an address comes back when a slot is rescheduled.
        var hits = services.SelectMany(s => s.Tasks.Where(t => t.Addresses.Any(a => a.Address.Split('/')[0] == address)).Select(t => (s.Info, Task: t)))
            .OrderByDescending(x => x.Task.Timestamp).ToList();
        return hits.Count == 0 ? null : (hits[0].Info, hits[0].Task);
    }

    private (ServiceInfo Service, TaskInfo Task)? TaskWithContainer(Container? to)
    {
        if (to is null)
        {
            return null;
        }
        var hit = services.SelectMany(s => s.Tasks.Where(t => t.ContainerId == to.Id).Select(t => (s.Info, Task: t))).ToList();
        return hit.Count == 0 ? null : (hit[0].Info, hit[0].Task);
    }

    /// <summary>The node of this cluster whose engine a container is on, or null.</summary>
    private string? NodeOf(Container c) =>
        cluster.Nodes.FirstOrDefault(n => n.Lab == c.Lab || (c.Lab.NodeName is { } name && n.Name == name))?.Name;

    private string NodeName(string nodeId) => nodes.FirstOrDefault(n => n.Id == nodeId)?.Hostname ?? nodeId;

    private bool IsUp(string node) => nodes.FirstOrDefault(n => n.Hostname == node) is not { } n || n.State == "ready";

    private string StateOf(string node) => nodes.FirstOrDefault(n => n.Hostname == node) is { } n ? $"the manager lists it as {n.State}" : "the manager no longer lists it";

    private async Task<bool> InSwarmAsync(Lab engine, CancellationToken ct)
    {
        var mine = await cluster.Manager.Lab.Gateway.Swarm.MembershipAsync(ct).ConfigureAwait(false);
        var theirs = await engine.Gateway.Swarm.MembershipAsync(ct).ConfigureAwait(false);
        return theirs.State == "active" && theirs.ClusterId == mine.ClusterId;
    }

    private string OverlayId(string nameOrId) => overlays.FirstOrDefault(o => o.Name == nameOrId || o.Id == nameOrId)?.Id ?? nameOrId;

    private Network? OverlayById(string id) => overlays.FirstOrDefault(o => o.Id == id);

    private string OverlayName(string nameOrId) => overlays.FirstOrDefault(o => o.Name == nameOrId || o.Id == nameOrId)?.Name ?? nameOrId;

    private bool SharesOverlay(IEnumerable<string> overlayIds)
    {
        var ids = overlayIds.Select(OverlayId).ToHashSet(StringComparer.Ordinal);
        return sourceNetworks.Any(s => ids.Contains(s.Value.NetworkId) || ids.Contains(OverlayId(s.Key)));
    }

    /// <summary>A container of that name on any node, with the overlays it is on.</summary>
    private async Task<(string Qualified, IReadOnlyList<string> Overlays)?> ContainerNamedAsync(string name, CancellationToken ct)
    {
        foreach (var node in cluster.Nodes.Where(n => IsUp(n.Name)))
        {
            var found = await node.Lab.Gateway.Containers.ListAsync(all: false, ct, exactName: name).ConfigureAwait(false);
            if (found.Count > 0 && found[0] is var c)
            {
                var ids = overlays.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
                var info = await node.Lab.Gateway.Containers.InspectAsync(c.Id, ct).ConfigureAwait(false);
                var on = (info?.Networks.Values ?? []).Select(e => e.NetworkId).Where(ids.Contains).ToList();
                return ($"{name}@{node.Name}", on);
            }
        }
        return null;
    }

    /// <summary>
    /// The node's firewall rules that drop or reject VXLAN or gossip, read with iptables-save in
    /// the node's container (only for nodes DockScript made: an engine you run has no such door).
    /// </summary>
    internal static async Task<IReadOnlyList<(int Port, string Rule)>> BlockingRulesAsync(Node node, CancellationToken ct)
    {
        if (node.Host is not { } host)
        {
            return [];
        }
        ExecResult saved;
        try
        {
            saved = await host.Session.Gateway.Exec.RunAsync(host.ContainerId, ["iptables-save"], $"read the firewall of node {node.Name}", ct).ConfigureAwait(false);
        }
        catch (DockScriptException)
        {
            return [];
        }
        return BlockingRules(saved.Stdout);
    }

    /// <summary>The DROP or REJECT rules of an iptables-save text that name the VXLAN or gossip port.</summary>
    internal static IReadOnlyList<(int Port, string Rule)> BlockingRules(string iptablesSave)
    {
        var found = new List<(int, string)>();
        foreach (var line in iptablesSave.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("-A ", StringComparison.Ordinal) || !(line.Contains("-j DROP", StringComparison.Ordinal) || line.Contains("-j REJECT", StringComparison.Ordinal)))
            {
                continue;
            }
            var words = line.Split(' ');
            foreach (var port in new[] { VxlanPort, GossipPort })
            {
                var p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (words.Select((w, i) => (w, i)).Any(x => x.w is "--dport" or "--sport" or "--dports" or "--sports" && x.i + 1 < words.Length && words[x.i + 1].Split(',', ':').Contains(p)))
                {
                    found.Add((port, line));
                }
            }
        }
        return found;
    }
}
