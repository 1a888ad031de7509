using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DockScript;

/// <summary>
/// The ways into containers' namespaces that probes keep between calls, and their lifecycle: one
/// namespace thread per source (fast path), one toolbox helper container with an open shell per
/// run of a source (portable path), and the outside server of <c>Masquerade</c>. Entries of a
/// container DockScript removes are dropped when the gateway announces it; a cleanup or the
/// REPL's <c>#reset</c> disposes everything (<see cref="Reset"/>).
/// </summary>
internal sealed class TransportPool : IDisposable
{
    private readonly Lab lab;
    private readonly StateCache cache;
    private readonly ConcurrentDictionary<string, Lazy<Task<NetworkNamespace?>>> namespaces = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<HelperTransport>>> helpers = new();
    private Lazy<Task<Outside>>? outside;

    public TransportPool(Lab lab, StateCache cache)
    {
        this.lab = lab;
        this.cache = cache;
        EngineChanges.ContainerRemoved += Forget;
    }

    /// <summary>True when probes enter namespaces directly (local engine, root, Linux, not forced portable).</summary>
    public bool FastPath => !lab.Options.ForcePortable && lab.Engine.CanReadHostProc;

    public string Via => FastPath ? "namespace" : "helper";

    /// <summary>Namespace threads held now (for tests and the soak bench).</summary>
    public int NamespaceCount => namespaces.Count;

    /// <summary>The way into <paramref name="from"/>'s namespace: entered directly, else its helper.</summary>
    public async Task<IProbeTransport> TransportAsync(Container from, CancellationToken ct)
    {
        var state = await cache.InspectAsync(from, fresh: false, ct).ConfigureAwait(false);
        if (FastPath && await NamespaceOfAsync(from, state.Pid).ConfigureAwait(false) is { } ns)
        {
            return new NamespaceTransport(ns);
        }
        return await HelperAsync(from, state, ct).ConfigureAwait(false);
    }

    /// <summary>The thread inside the namespace of <paramref name="from"/>'s process <paramref name="pid"/>, entered once; null when it cannot be entered.</summary>
    public async Task<NetworkNamespace?> NamespaceOfAsync(Container from, long pid)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var entry = namespaces.GetOrAdd(from.Id, _ => new Lazy<Task<NetworkNamespace?>>(() => NetworkNamespace.EnterAsync(pid)));
            var ns = await entry.Value.ConfigureAwait(false);
            if (ns is not null && ns.Pid == pid && ns.IsCurrent)
            {
                return ns;
            }
            // Restarted (new pid, new namespace) or gone: enter afresh.
            if (namespaces.TryRemove(new KeyValuePair<string, Lazy<Task<NetworkNamespace?>>>(from.Id, entry)))
            {
                ns?.Dispose();
            }
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="argv"/> in <paramref name="source"/>'s probe helper (started if need be)
    /// and returns its output; for reading a namespace whose own image has no tools.
    /// </summary>
    public async Task<string> RunInHelperAsync(Container source, IReadOnlyList<string> argv, CancellationToken ct)
    {
        var helper = await HelperAsync(source, await cache.InspectAsync(source, fresh: true, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        return await helper.RunAsync(argv, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false)
            ?? throw new DockScriptException($"The probe helper of {source.Name} did not answer within 10 s; try again, or remove it with Lab.Cleanup().");
    }

    /// <summary>The outside server if one has started and not been reset, without starting one (a topology shows it).</summary>
    public Outside? StartedOutside => outside is { IsValueCreated: true } o && o.Value.IsCompletedSuccessfully ? o.Value.Result : null;

    /// <summary>
    /// The outside server, started on first use, and again after a failed start, a cleanup, or
    /// when it is gone (removed by hand, lost with a dockerd restart) rather than time out until
    /// the next cleanup.
    /// </summary>
    public async Task<Outside> OutsideAsync(CancellationToken ct)
    {
        var world = await CurrentOutsideAsync(ct).ConfigureAwait(false);
        if (await world.ServesAsync(ct).ConfigureAwait(false))
        {
            return world;
        }
        var stale = outside;
        if (stale is { IsValueCreated: true } && stale.Value.IsCompletedSuccessfully && stale.Value.Result == world)
        {
            Interlocked.CompareExchange(ref outside, null, stale);
        }
        await lab.TryRemoveContainerAsync(world.Server.Id).ConfigureAwait(false);
        return await CurrentOutsideAsync(ct).ConfigureAwait(false);
    }

    private Task<Outside> CurrentOutsideAsync(CancellationToken ct)
    {
        var current = outside;
        if (current is null || (current.IsValueCreated && (current.Value.IsFaulted || current.Value.IsCanceled)))
        {
            var fresh = new Lazy<Task<Outside>>(() => Outside.StartAsync(lab, LabLabels.ProbeRole, ct));
            current = Interlocked.CompareExchange(ref outside, fresh, current) == current ? fresh : outside!;
        }
        return current.Value;
    }

    private async Task<HelperTransport> HelperAsync(Container from, ContainerInfo state, CancellationToken ct)
    {
        var started = state.StartedAt;
        var key = $"{from.Id}@{started}";
        var entry = helpers.GetOrAdd(key, _ => new Lazy<Task<HelperTransport>>(() => StartHelperAsync(from, started, CancellationToken.None)));
        try
        {
            var transport = await entry.Value.WaitAsync(ct).ConfigureAwait(false);
            if (transport.Alive)
            {
                return transport;
            }
            // Someone stopped or removed the helper: start a new one.
            if (helpers.TryRemove(new KeyValuePair<string, Lazy<Task<HelperTransport>>>(key, entry)))
            {
                transport.Dispose();
                await lab.TryRemoveContainerAsync(transport.Helper.Id).ConfigureAwait(false);
            }
            return await HelperAsync(from, state, ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            helpers.TryRemove(new KeyValuePair<string, Lazy<Task<HelperTransport>>>(key, entry));
            throw;
        }
    }

    private async Task<HelperTransport> StartHelperAsync(Container source, string started, CancellationToken ct)
    {
        // A helper joined the namespace of an earlier run of this source: it is of no use now.
        foreach (var stale in helpers.Keys.Where(k => k.StartsWith(source.Id + "@", StringComparison.Ordinal) && k != $"{source.Id}@{started}").ToList())
        {
            if (helpers.TryRemove(stale, out var old) && old.IsValueCreated && old.Value.IsCompletedSuccessfully)
            {
                old.Value.Result.Dispose();
                await lab.TryRemoveContainerAsync(old.Value.Result.Helper.Id).ConfigureAwait(false);
            }
        }
        await lab.Images.EnsureLabImageAsync(LabImage.Toolbox, ct).ConfigureAwait(false);
        var name = $"dockscript-probe-{source.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var labels = lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = LabLabels.ProbeRole, [LabLabels.ProbeFor] = source.Id });
        var id = await lab.Gateway.Containers.CreateAsync(new ContainerSpec(LabImage.Toolbox.Name, labels)
        {
            Name = name,
            // A shell fed over stdin: each probe is a line, not a docker exec.
            Cmd = ["sh"],
            Interactive = true,
            // Each probe runs in an orphaned subshell (HelperFrames.Command); init reaps them.
            Init = true,
            NetworkMode = $"container:{source.Id}",
        }, $"create a probe helper for {source.Name}", ct, announce: false).ConfigureAwait(false);
        HelperShell? shell = null;
        try
        {
            // Attach before starting, so not a byte of the shell's output is missed.
            shell = await HelperShell.AttachAsync(lab.Gateway.Containers, id, ct).ConfigureAwait(false);
            await lab.Gateway.Containers.StartAsync(id, $"start a probe helper for {source.Name}", ct, announce: false).ConfigureAwait(false);
        }
        catch
        {
            shell?.Dispose();
            await lab.TryRemoveContainerAsync(id).ConfigureAwait(false);
            throw;
        }
        var helper = new Container(lab, id, name, LabImage.Toolbox.Name, lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = LabLabels.ProbeRole }));
        return new HelperTransport(helper, shell, source);
    }

    /// <summary>Drops what is kept for a container the gateway says is gone: its namespace thread and its helpers' shells.</summary>
    private void Forget(string containerId)
    {
        if (namespaces.TryRemove(containerId, out var ns))
        {
            DisposeWhenDone(ns);
        }
        foreach (var key in helpers.Keys.Where(k => k.StartsWith(containerId + "@", StringComparison.Ordinal)).ToList())
        {
            if (helpers.TryRemove(key, out var gone))
            {
                DisposeWhenDone(gone);
            }
        }
    }

    /// <summary>
    /// Disposes every namespace thread and helper shell and forgets the outside server: after a
    /// cleanup removed the helpers, or on the REPL's <c>#reset</c>. The pool stays usable.
    /// </summary>
    public void Reset()
    {
        outside = null;
        foreach (var key in namespaces.Keys.ToList())
        {
            if (namespaces.TryRemove(key, out var ns))
            {
                DisposeWhenDone(ns);
            }
        }
        foreach (var key in helpers.Keys.ToList())
        {
            if (helpers.TryRemove(key, out var helper))
            {
                DisposeWhenDone(helper);
            }
        }
    }

    /// <summary>Disposes the entry's value now if it is there, else once it arrives (a start in flight).</summary>
    private static void DisposeWhenDone<T>(Lazy<Task<T>> entry) where T : IDisposable?
    {
        if (!entry.IsValueCreated)
        {
            return;
        }
        _ = entry.Value.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result?.Dispose();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose()
    {
        EngineChanges.ContainerRemoved -= Forget;
        Reset();
    }
}
