namespace DockScript.Scripting.Repl;

/// <summary>
/// Live names from the engine, cached. The cache is marked stale by the engine's event stream
/// (a container or network came or went) and refreshed at most once a second, in the background;
/// a read that finds it stale waits a moment for the refresh, so a name created by the previous
/// submission is offered at once.
/// </summary>
public sealed class EngineLiveNames : ILiveNames, IDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaleWait = TimeSpan.FromMilliseconds(150);
    private readonly Func<Lab?> lab;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private (IReadOnlyList<LiveName> Containers, IReadOnlyList<LiveName> Networks) names = ([], []);
    private DateTime refreshedAt = DateTime.MinValue;
    private volatile bool stale = true;
    private Task? refreshing;
    private Task? watching;

    /// <summary>Watches the session's engine; <paramref name="lab"/> returns null while none is connected.</summary>
    public EngineLiveNames(Func<Lab?> lab) => this.lab = lab;

    /// <inheritdoc/>
    public IReadOnlyList<LiveName> Containers => Current().Containers;

    /// <inheritdoc/>
    public IReadOnlyList<LiveName> Networks => Current().Networks;

    /// <summary>Marks the cache stale, e.g. after a submission ran.</summary>
    public void Invalidate() => stale = true;

    private (IReadOnlyList<LiveName> Containers, IReadOnlyList<LiveName> Networks) Current()
    {
        if (Refresh() is { IsCompleted: false } task)
        {
            // Stale names would be wrong names: wait for the refresh, within reason.
            task.Wait(MinInterval + StaleWait);
        }
        return names;
    }

    /// <summary>
    /// Starts a refresh when the cache is stale (or old, should the event stream have broken),
    /// no sooner than a second after the last one; returns it, or null when the cache is good.
    /// </summary>
    public Task? Refresh()
    {
        lock (gate)
        {
            if (refreshing is { IsCompleted: false } running)
            {
                return running;
            }
            if (lab() is not { } l)
            {
                return null;
            }
            watching ??= Task.Run(() => WatchAsync(l, stop.Token));
            var age = DateTime.UtcNow - refreshedAt;
            if (!stale && age < TimeSpan.FromSeconds(10))
            {
                return null;
            }
            var wait = age >= MinInterval ? TimeSpan.Zero : MinInterval - age;
            stale = false;
            refreshedAt = DateTime.UtcNow + wait;
            refreshing = Task.Run(async () =>
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token).ConfigureAwait(false);
                }
                await LoadAsync(l, stop.Token).ConfigureAwait(false);
            });
            return refreshing;
        }
    }

    private async Task LoadAsync(Lab l, CancellationToken ct)
    {
        try
        {
            var containers = await l.Gateway.Containers.ListAsync(all: true, ct).ConfigureAwait(false);
            var networks = await l.Gateway.Networks.ListAsync(ct).ConfigureAwait(false);
            names = (
                containers.Select(Describe).OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
                networks.Select(Describe).OrderBy(n => n.Name, StringComparer.Ordinal).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // No engine right now: keep the last names and try again on a later keystroke.
            stale = true;
        }
    }

    internal static LiveName Describe(ContainerInfo c)
    {
        var name = c.Name;
        var ips = c.Networks
            .Where(kv => kv.Value.Address is not null)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key} {kv.Value.Address}");
        var where = string.Join(", ", ips);
        return new LiveName(name, LiveNameKind.Container, $"container {name}: {c.Status} ({c.Image}){(where.Length > 0 ? "; " + where : "")}");
    }

    internal static LiveName Describe(NetworkInfo n)
    {
        var subnet = n.Subnets.FirstOrDefault(c => !c.Subnet.Contains(':'))?.Subnet;
        return new LiveName(n.Name, LiveNameKind.Network, $"network {n.Name}: {n.Driver}{(subnet is null ? "" : " " + subnet)}{(n.Internal ? ", internal" : "")}");
    }

    private async Task WatchAsync(Lab l, CancellationToken ct)
    {
        var relevant = new HashSet<string>(StringComparer.Ordinal) { "create", "start", "die", "destroy", "rename", "connect", "disconnect", "stop", "kill", "pause", "unpause" };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await l.Gateway.Events.WatchAsync(action =>
                {
                    if (relevant.Contains(action))
                    {
                        stale = true;
                    }
                }, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The engine went away; the stream is re-opened when it is back.
                stale = true;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
