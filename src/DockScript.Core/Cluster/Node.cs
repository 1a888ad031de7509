namespace DockScript;

/// <summary>A node's part in the Swarm.</summary>
public enum NodeRole
{
    /// <summary>Runs tasks only.</summary>
    Worker,

    /// <summary>Keeps the Swarm's state and schedules tasks (and runs tasks too).</summary>
    Manager,
}

/// <summary>
/// One engine of a <see cref="Cluster"/>: a nested dockerd in a container on this machine
/// (<c>Cluster.Create</c>) or an engine you already run (<c>Cluster.Connect</c>). Its own
/// <see cref="Containers"/> and <see cref="Networks"/> work like the globals, on that engine.
/// </summary>
/// <example><code>var c = cluster.Nodes[1].Containers.Run("dockscript/toolbox", name: "probe2", network: "ov");</code></example>
public sealed class Node
{
    private readonly Func<CancellationToken, Task>? stop;

    internal Node(string name, string address, NodeRole role, Lab lab, bool readOnly, Func<CancellationToken, Task>? stop)
    {
        Name = name;
        Address = address;
        Role = role;
        Lab = lab;
        ReadOnly = readOnly;
        this.stop = stop;
    }

    /// <summary>The node's name (its hostname in the Swarm).</summary>
    /// <example><code>cluster.Nodes[0].Name   // "lab-1"</code></example>
    public string Name { get; }

    /// <summary>The address the node advertises to the Swarm (VXLAN and gossip go there).</summary>
    /// <example><code>cluster.Nodes[0].Address   // "172.18.0.2"</code></example>
    public string Address { get; }

    /// <summary>Manager or worker.</summary>
    /// <example><code>cluster.Nodes[0].Role   // Manager</code></example>
    public NodeRole Role { get; }

    /// <summary>The node's engine endpoint, e.g. <c>tcp://172.18.0.2:2375</c>.</summary>
    /// <example><code>cluster.Nodes[0].Engine</code></example>
    public string Engine => Lab.Engine.Endpoint.ToString();

    /// <summary>True for a node of <c>Cluster.Connect</c> not opened for changes: DockScript only reads it.</summary>
    public bool ReadOnly { get; }

    /// <summary>The containers on this node's engine (service tasks included).</summary>
    /// <example><code>cluster.Nodes[1].Containers.Run("dockscript/web", name: "web2", network: "ov")</code></example>
    public Containers Containers => Lab.Containers;

    /// <summary>The networks this node's engine knows (local ones, and the overlays it has joined).</summary>
    /// <example><code>cluster.Nodes[1].Networks</code></example>
    public Networks Networks => Lab.Networks;

    /// <summary>The session on this node's engine: probes, cleanup of what was made there.</summary>
    internal Lab Lab { get; }

    /// <summary>For a node <c>Cluster.Create</c> made: the session that runs its container, and that container's id (its firewall is read there).</summary>
    internal (Lab Session, string ContainerId)? Host { get; init; }

    /// <summary>
    /// Stops this node's engine (its container on this machine), as a crashed host would: the
    /// Swarm marks it down and reports its tasks gone. Only for nodes <c>Cluster.Create</c> made.
    /// </summary>
    /// <example><code>cluster.Nodes[1].Stop();  web.Tasks   // the tasks of lab-2: shutdown, "node is down"</code></example>
    public void Stop() => Ambient.Wait(StopAsync);

    /// <inheritdoc cref="Stop"/>
    public Task StopAsync(CancellationToken ct = default) =>
        stop is null
            ? throw new DockScriptException($"Node {Name} is an engine DockScript did not start; stop it where it runs.")
            : stop(ct);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Role.ToString().ToLowerInvariant()}, {Address})";
}
