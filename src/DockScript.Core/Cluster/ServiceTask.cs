namespace DockScript;

/// <summary>
/// One task of a <see cref="Service"/>: where it runs, its container there and its address on
/// the service's network. A task that is gone says why in <see cref="Message"/>.
/// </summary>
/// <param name="Id">The task id.</param>
/// <param name="Slot">The replica slot (1…replicas).</param>
/// <param name="Node">The node it was scheduled on; "" while pending.</param>
/// <param name="State">The Swarm's state: <c>running</c>, <c>pending</c>, <c>shutdown</c>, <c>failed</c>, …</param>
/// <param name="DesiredState">What the Swarm wants it to be (<c>running</c>, or <c>shutdown</c> once it is replaced).</param>
/// <param name="Message">What the Swarm last said about it, e.g. "started" or why it is gone.</param>
/// <param name="ContainerId">Its container on <see cref="Node"/>; null before it is created.</param>
/// <param name="IP">Its address on the service's network; null when it has none.</param>
/// <example><code>web.Tasks.Where(t => t.Running).Select(t => $"{t.Node}: {t.IP}")</code></example>
public sealed record ServiceTask(string Id, int Slot, string Node, string State, string DesiredState, string Message, string? ContainerId, string? IP)
{
    /// <summary>True while the task runs and is meant to.</summary>
    public bool Running => State == "running" && DesiredState == "running";

    /// <summary>The task's container, on its node's engine; null when it has none there (or the node is gone).</summary>
    internal Container? Container { get; init; }

    /// <summary>The generation of the service's spec this task was made from (see <see cref="Service.Update"/>).</summary>
    internal ulong Generation { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"task {Slot} on {(Node.Length == 0 ? "(no node)" : Node)}: {State}{(IP is null ? "" : $" {IP}")}{(Running || Message.Length == 0 ? "" : $" ({Message})")}";
}
