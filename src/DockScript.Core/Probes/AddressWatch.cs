namespace DockScript;

/// <summary>
/// Feeds the <see cref="AddressBook"/> from the engine's event stream, for containers DockScript
/// did not create: each start or connect is inspected (the gateway remembers what it reads) and
/// each removal noted. Started by the first probe that may need it; one stream per session.
/// </summary>
internal sealed class AddressWatch(DockerGateway gateway) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int started;

    /// <summary>Starts watching, once.</summary>
    public void Ensure()
    {
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            return;
        }
        _ = Task.Run(() => WatchAsync(stop.Token));
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        try
        {
            await gateway.Events.WatchContainersAsync((type, action, id) =>
            {
                if (action == "destroy")
                {
                    AddressBook.NoteRemoved(id, DateTimeOffset.UtcNow);
                }
                else if (action == "die")
                {
                    AddressBook.NoteDied(id, DateTimeOffset.UtcNow);
                }
                else if (action is "start" or "connect" or "restart")
                {
                    _ = RememberAsync(id, ct);
                }
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or DockScriptException or ObjectDisposedException)
        {
            // Best effort: without the stream the book still holds what DockScript's own reads saw.
        }
    }

    private async Task RememberAsync(string id, CancellationToken ct)
    {
        try
        {
            await gateway.Containers.InspectAsync(id, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or DockScriptException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
