using System.Collections.Concurrent;
using System.Diagnostics;

namespace DockScript;

/// <summary>
/// What the probes know of the engine's state: each container's inspect data, kept for at most a
/// second and dropped whenever DockScript changes something (the gateway's
/// <see cref="EngineChanges.Stamp"/>), and the <see cref="EngineView"/> snapshot a failure is
/// explained from.
/// </summary>
internal sealed class StateCache(DockerGateway gateway)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (ContainerInfo State, long Taken, long Stamp)> states = new();

    /// <summary>The container's state: cached unless <paramref name="fresh"/>, stale or changed since.</summary>
    /// <exception cref="NotFoundException">The container no longer exists.</exception>
    public async Task<ContainerInfo> InspectAsync(Container container, bool fresh, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        var stamp = EngineChanges.Stamp;
        if (!fresh && states.TryGetValue(container.Id, out var cached) && cached.Stamp == stamp
            && Stopwatch.GetElapsedTime(cached.Taken, now) < Ttl)
        {
            return cached.State;
        }
        var state = await container.InspectRawAsync(ct).ConfigureAwait(false);
        states[container.Id] = (state, now, stamp);
        return state;
    }

    /// <summary>The container as a diagnosis sees it.</summary>
    public async Task<ContainerView> ViewAsync(Container container, bool fresh, CancellationToken ct) =>
        ContainerView.From(await InspectAsync(container, fresh, ct).ConfigureAwait(false));

    /// <summary>
    /// All containers and networks, read now: a failure is always explained from fresh state.
    /// </summary>
    public Task<EngineView> SnapshotAsync(CancellationToken ct) => EngineView.TakeAsync(gateway, ct);

    /// <summary>Forgets every container's state (cleanup, reset).</summary>
    public void Clear() => states.Clear();
}
