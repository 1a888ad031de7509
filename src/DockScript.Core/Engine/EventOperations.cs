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
}
