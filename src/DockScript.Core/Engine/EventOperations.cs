using System.Globalization;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>The engine's event stream (<c>docker events</c>).</summary>
internal sealed class EventOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>Calls <paramref name="onAction"/> with each event's action ("start", "connect", …) until the stream ends or <paramref name="ct"/> fires.</summary>
    public Task WatchAsync(Action<string> onAction, CancellationToken ct) =>
        EngineErrors.Guard(engine.Endpoint, "watch the engine's events", () => engine.Client.System.MonitorEventsAsync(
            new ContainerEventsParameters(), new Progress<Message>(m => onAction(m.Action ?? "")), ct), ct);

    /// <summary>
    /// Calls <paramref name="onEvent"/> with each container and network event as (type, action,
    /// container id) until the stream ends or <paramref name="ct"/> fires.
    /// </summary>
    public Task WatchContainersAsync(Action<string, string, string> onEvent, CancellationToken ct) =>
        EngineErrors.Guard(engine.Endpoint, "watch the engine's events", () => engine.Client.System.MonitorEventsAsync(
            new ContainerEventsParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["type"] = new Dictionary<string, bool> { ["container"] = true, ["network"] = true } },
            },
            new Progress<Message>(m =>
            {
                var id = m.Type == "network" && m.Actor?.Attributes is { } a && a.TryGetValue("container", out var member) ? member : m.Actor?.ID ?? "";
                if (id.Length > 0)
                {
                    onEvent(m.Type ?? "", m.Action ?? "", id);
                }
            }), ct), ct);

    /// <summary>
    /// The ids of the containers whose state or networks changed between <paramref name="since"/>
    /// and <paramref name="until"/> (started, stopped, died, restarted, paused, removed, connected,
    /// disconnected), whoever changed them: one call, which ends because it is given an end.
    /// </summary>
    public async Task<IReadOnlySet<string>> ContainersChangedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await EngineErrors.Guard(engine.Endpoint, "read the engine's recent events", () => engine.Client.System.MonitorEventsAsync(
            new ContainerEventsParameters
            {
                Since = Stamp(since),
                Until = Stamp(until),
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["type"] = new Dictionary<string, bool> { ["container"] = true, ["network"] = true } },
            },
            new SyncProgress<Message>(m =>
            {
                if (m.Type == "container" && m.Action is not ("exec_create" or "exec_start" or "exec_die" or "attach" or "resize" or "top" or "create"))
                {
                    ids.Add(m.Actor?.ID ?? "");
                }
                else if (m.Type == "network" && m.Actor?.Attributes is { } a && a.TryGetValue("container", out var member))
                {
                    ids.Add(member);
                }
            }), ct), ct).ConfigureAwait(false);
        ids.Remove("");
        return ids;
    }

    // The API takes "seconds.nanoseconds" since the epoch.
    private static string Stamp(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "."
            + (ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture);
    }
}
