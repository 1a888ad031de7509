// Over 300 lines on purpose: Run and RunMany are the DSL's two ways to start containers and
// share their checks (names, network, image); the sync forms are one line each.
using System.Collections;

namespace DockScript;

/// <summary>
/// The engine's containers: enumerate the running ones like <c>docker ps</c>, index any by name
/// or id prefix, and run new ones (seed S2, S4, S5, S11, S12).
/// </summary>
/// <example><code>Containers["nginx1"].IP</code></example>
// Its SemaphoreSlim never hands out a wait handle, so it holds nothing to dispose; a Dispose()
// here would only show up in every script's completion list.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore holds no unmanaged resource.")]
public sealed class Containers : IEnumerable<Container>
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly Lab lab;

    internal Containers(Lab lab) => this.lab = lab;

    /// <summary>The container with this name, full id or id prefix, running or not.</summary>
    /// <exception cref="NotFoundException">No such container.</exception>
    /// <example><code>Containers["nginx1"].IP</code></example>
    public Container this[string nameOrId] => Get(nameOrId);

    /// <inheritdoc cref="this[string]"/>
    public Container Get(string nameOrId) => Ambient.Wait(ct => GetAsync(nameOrId, ct));

    /// <inheritdoc cref="this[string]"/>
    public async Task<Container> GetAsync(string nameOrId, CancellationToken ct = default) =>
        await FindAsync(nameOrId, ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"No container named '{nameOrId}' exists; Containers lists the running ones, Containers.All every one.");

    /// <summary>True if a container with this name or id exists, running or not.</summary>
    /// <example><code>Containers.Exists("nginx1")</code></example>
    public bool Exists(string nameOrId) => Ambient.Wait(async ct => await FindAsync(nameOrId, ct).ConfigureAwait(false) is not null);

    internal async Task<Container?> FindAsync(string nameOrId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            throw new DockScriptException("A container name is needed here, but an empty one was given.");
        }
        var c = await lab.Gateway.Containers.InspectAsync(nameOrId, ct).ConfigureAwait(false);
        return c is null ? null : new Container(lab, c.Id, c.Name, c.Image, c.Labels);
    }

    /// <summary>Running containers, as <c>docker ps</c> lists them (pass <c>all: true</c> for stopped ones too).</summary>
    /// <example><code>Containers.List(all: true).Count</code></example>
    public IReadOnlyList<Container> List(bool all = false) => Ambient.Wait(ct => ListAsync(all, ct));

    /// <inheritdoc cref="List"/>
    public async Task<IReadOnlyList<Container>> ListAsync(bool all = false, CancellationToken ct = default)
    {
        var list = await lab.Gateway.Containers.ListAsync(all, ct).ConfigureAwait(false);
        // Probe helpers are DockScript's own plumbing (they share a container's namespace): not listed.
        return Readable.List(list
            .Where(c => !LabLabels.IsProbeHelper(c.Labels))
            .Select(c => new Container(lab, c.Id, c.Name, c.Image, c.Labels))
            .OrderBy(c => c.Name, StringComparer.Ordinal), "\n");
    }

    /// <summary>Every container, stopped ones included (<c>docker ps -a</c>).</summary>
    /// <example><code>Containers.All.Where(c => c.State == "exited")</code></example>
    public IReadOnlyList<Container> All => List(all: true);

    /// <summary>
    /// Runs a container, labelled as this session's, and returns once it is running. Lab images
    /// (<c>dockscript/web</c>, <c>dockscript/toolbox</c>) are built locally when missing; other
    /// missing images are pulled.
    /// </summary>
    /// <param name="image">The image, e.g. <c>dockscript/web</c> or <c>nginx</c>.</param>
    /// <param name="name">The container's name; the engine picks one when null.</param>
    /// <param name="network">"bridge" (the default when null), "host", "none", or a user-defined network's name.</param>
    /// <param name="links">Containers to link to (<c>--link</c>): their names go into this one's <c>/etc/hosts</c> (seed S11).</param>
    /// <param name="command">The command, instead of the image's own; shell syntax runs under <c>sh -c</c>.</param>
    /// <param name="ports">Published ports, docker style: <c>"8080:80"</c>, <c>"127.0.0.1:8080:80/udp"</c>.</param>
    /// <param name="env">Environment variables.</param>
    /// <param name="aliases">Extra DNS names on <paramref name="network"/> (user-defined networks only).</param>
    /// <param name="hostname">The hostname; Docker uses the short id when null.</param>
    /// <param name="dns">Upstream DNS servers (<c>--dns</c>); defaults to the lab's setting.</param>
    /// <param name="labels">Extra labels.</param>
    /// <exception cref="ConflictException">The name is taken.</exception>
    /// <exception cref="NotFoundException">The network or a linked container does not exist.</exception>
    /// <exception cref="ImageUnavailableException">The image is absent and cannot be built or pulled.</exception>
    /// <example><code>var web2 = Containers.Run("dockscript/web", name: "nginx2", network: "my-network");</code></example>
    public Container Run(string image, string? name = null, string? network = null, IEnumerable<string>? links = null,
        string? command = null, IEnumerable<string>? ports = null, IReadOnlyDictionary<string, string>? env = null,
        IEnumerable<string>? aliases = null, string? hostname = null, IEnumerable<string>? dns = null,
        IReadOnlyDictionary<string, string>? labels = null) =>
        Ambient.Wait(ct => RunAsync(RunOptions.Bind(image, name, network, links, command, ports, env, aliases, hostname, dns, labels), ct));

    /// <inheritdoc cref="Run"/>
    public async Task<Container> RunAsync(string image, string? name = null, string? network = null, IEnumerable<string>? links = null,
        string? command = null, IEnumerable<string>? ports = null, IReadOnlyDictionary<string, string>? env = null,
        IEnumerable<string>? aliases = null, string? hostname = null, IEnumerable<string>? dns = null,
        IReadOnlyDictionary<string, string>? labels = null, CancellationToken ct = default) =>
        await RunAsync(RunOptions.Bind(image, name, network, links, command, ports, env, aliases, hostname, dns, labels), ct).ConfigureAwait(false);

    /// <summary>How many containers <see cref="RunMany"/> creates at once, across all its calls.</summary>
    internal const int RunManyCreates = 16;

    /// <summary>How many containers <see cref="RunMany"/> starts at once, across all its calls.</summary>
    internal const int RunManyStarts = 16;

    // Shared by concurrent RunMany calls (one per network, say), so together they stay bounded.
    private readonly SemaphoreSlim creating = new(RunManyCreates);
    private readonly SemaphoreSlim starting = new(RunManyStarts);

    /// <summary>
    /// Runs one container per name from <paramref name="image"/>, several at a time, and returns
    /// them in the order of <paramref name="names"/> once all run: a lab of 100 in seconds. The
    /// checks of <see cref="Run"/> are made once for all (names free, network there, image
    /// present); if any container fails to start, those already created are removed again and the
    /// first error is thrown. Calls may overlap (one per network): together they start at most 16
    /// containers at a time.
    /// </summary>
    /// <param name="image">The image, e.g. <c>dockscript/web</c>.</param>
    /// <param name="names">One name per container, all different.</param>
    /// <param name="network">"bridge" (the default when null), "host", "none", or a user-defined network's name.</param>
    /// <param name="command">The command, instead of the image's own.</param>
    /// <param name="dns">Upstream DNS servers (<c>--dns</c>); defaults to the lab's setting.</param>
    /// <param name="labels">Extra labels.</param>
    /// <example><code>var lab = Containers.RunMany("dockscript/web", Enumerable.Range(1, 100).Select(i => $"web{i}"), network: "my-network");</code></example>
    public IReadOnlyList<Container> RunMany(string image, IEnumerable<string> names, string? network = null, string? command = null,
        IEnumerable<string>? dns = null, IReadOnlyDictionary<string, string>? labels = null) =>
        Ambient.Wait(ct => RunManyAsync(image, names, network, command, dns, labels, ct));

    /// <inheritdoc cref="RunMany"/>
    public async Task<IReadOnlyList<Container>> RunManyAsync(string image, IEnumerable<string> names, string? network = null, string? command = null,
        IEnumerable<string>? dns = null, IReadOnlyDictionary<string, string>? labels = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ReadOnlyCluster.Check(lab, "run containers");
        var runs = names.Select(n => RunOptions.Bind(image, n ?? throw new DockScriptException("RunMany needs a name for each container, but one was null."),
            network, null, command, null, null, null, null, dns, labels)).ToList();
        if (runs.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DockScriptException($"RunMany was given the name '{twice.Key}' more than once; each container needs its own name.");
        }
        if (runs.Count == 0)
        {
            return Readable.List(Array.Empty<Container>(), "\n");
        }
        // One look at the engine's names instead of one per container.
        var taken = (await lab.Gateway.Containers.ListAsync(all: true, ct).ConfigureAwait(false)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (runs.FirstOrDefault(r => taken.ContainsKey(r.Name!)) is { } clash)
        {
            throw NameTaken(clash.Name!, LabLabels.IsManaged(taken[clash.Name!].Labels));
        }
        await CheckAsync(runs[0], ct).ConfigureAwait(false);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var created = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        // Creates and starts are gated apart, so creates run ahead while dockerd is busy starting
        // (a start costs it several times a create). No inspect per container: a start that
        // returned has a running process, and one list after all of them checks that it still runs.
        async Task<Container> One(RunOptions run)
        {
            try
            {
                var spec = SpecFor(run, []);
                string id;
                await creating.WaitAsync(failed.Token).ConfigureAwait(false);
                try
                {
                    id = await lab.Gateway.Containers.CreateAsync(spec, $"create container {run.Name}", failed.Token).ConfigureAwait(false);
                    created[id] = true;
                }
                finally
                {
                    creating.Release();
                }
                await starting.WaitAsync(failed.Token).ConfigureAwait(false);
                try
                {
                    await lab.Gateway.Containers.StartAsync(id, $"start {run.Name}", failed.Token).ConfigureAwait(false);
                }
                finally
                {
                    starting.Release();
                }
                return new Container(lab, id, run.Name!, run.Image, spec.Labels);
            }
            catch
            {
                // The first failure stops the ones still waiting; the created ones go below.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
        var all = runs.Select(One).ToList();
        try
        {
            var started = await Task.WhenAll(all).ConfigureAwait(false);
            await ConfirmRunningAsync(started, runs[0], failed.Token).ConfigureAwait(false);
            return Readable.List(started, "\n");
        }
        catch
        {
            await Task.WhenAll(created.Keys.Select(lab.TryRemoveContainerAsync)).ConfigureAwait(false);
            var first = all.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
            throw;
        }
    }

    /// <summary>
    /// One list of the session's containers for the whole batch: those it shows running are done;
    /// any other is looked at alone (still starting, or exited with its logs). dockscript/web ones
    /// also wait for httpd, as <see cref="Run"/> does, all at once.
    /// </summary>
    private async Task ConfirmRunningAsync(IReadOnlyList<Container> started, RunOptions run, CancellationToken ct)
    {
        var listen = NeedsListen(run);
        var states = (await lab.Gateway.Containers.ListAsync(all: true, ct, label: $"{LabLabels.Session}={lab.SessionId}").ConfigureAwait(false))
            .ToDictionary(c => c.Id, c => c.Running, StringComparer.Ordinal);
        await Task.WhenAll(started.Where(c => listen || !states.GetValueOrDefault(c.Id)).Select(async c =>
        {
            var running = await WaitRunningAsync(c, ct).ConfigureAwait(false);
            if (listen)
            {
                await WaitListeningAsync(c, running.Pid, 80, ct).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
    }

    private static bool NeedsListen(RunOptions run) => run.Command is null && LabImage.Find(run.Image) == LabImage.Web && run.Network != "host";

    private static ConflictException NameTaken(string name, bool managed) => managed
        ? new ConflictException($"A container named '{name}' already exists, left by a DockScript session; pick another name or run 'dockscript down' to clear leftovers.")
        : new ConflictException($"A container named '{name}' already exists and was not created by DockScript; pick another name (DockScript will not touch it).");

    private async Task<Container> RunAsync(RunOptions run, CancellationToken ct)
    {
        ReadOnlyCluster.Check(lab, $"run a container{(run.Name is null ? "" : $" named {run.Name}")}");
        // Check everything that can be checked before creating anything, so a failed Run leaves nothing behind.
        if (run.Name is { } name && await FindExactAsync(name, ct).ConfigureAwait(false) is { } clash)
        {
            throw NameTaken(name, clash.IsManaged);
        }
        var linkSpecs = await CheckAsync(run, ct).ConfigureAwait(false);
        return await StartAsync(run, linkSpecs, ct).ConfigureAwait(false);
    }

    /// <summary>Checks the network, the links and the image (building or pulling it); returns the links as the engine takes them.</summary>
    private async Task<List<string>> CheckAsync(RunOptions run, CancellationToken ct)
    {
        if (!run.OnPredefinedNetwork)
        {
            // A cluster's worker learns of an attachable overlay only when a container of its own joins it.
            var network = await lab.Networks.FindAsync(run.Network, ct).ConfigureAwait(false)
                ?? (lab.ClusterManager is { } manager ? await manager.Networks.FindAsync(run.Network, ct).ConfigureAwait(false) : null)
                ?? await lab.Networks.GetAsync(run.Network, ct).ConfigureAwait(false);
            if (network is { Scope: "swarm", Driver: "overlay", Attachable: false })
            {
                throw new DockScriptException(ClusterDiagnosis.NotAttachable(network.Name, run.Name ?? "a container"));
            }
        }
        var linkSpecs = new List<string>();
        foreach (var link in run.Links)
        {
            var parts = link.Split(':', 2);
            var target = await GetAsync(parts[0], ct).ConfigureAwait(false);
            linkSpecs.Add($"{target.Name}:{(parts.Length > 1 ? parts[1] : target.Name)}");
        }
        await lab.Images.EnsureAsync(run.Image, ct).ConfigureAwait(false);
        return linkSpecs;
    }

    /// <summary>Creates and starts a checked container; returns once it runs (and, for dockscript/web, listens).</summary>
    private async Task<Container> StartAsync(RunOptions run, List<string> linkSpecs, CancellationToken ct)
    {
        var spec = SpecFor(run, linkSpecs);
        var labels = spec.Labels;
        var id = await lab.Gateway.Containers.CreateAsync(spec, $"create container {run.Name ?? "from " + run.Image}", ct).ConfigureAwait(false);
        var container = new Container(lab, id, run.Name ?? id, run.Image, labels);
        ContainerInfo running;
        try
        {
            await lab.Gateway.Containers.StartAsync(id, $"start {container.Name}", ct).ConfigureAwait(false);
            running = await WaitRunningAsync(container, ct).ConfigureAwait(false);
        }
        catch
        {
            // A container that never ran is of no use to anyone: take it away again, without
            // letting a failure to do so hide the reason it did not run.
            await lab.TryRemoveContainerAsync(id).ConfigureAwait(false);
            throw;
        }
        // dockscript/web is up once its server listens, not merely once its process runs: a Curl
        // straight after Run must not be refused because httpd was still binding its port.
        if (NeedsListen(run))
        {
            await WaitListeningAsync(container, running.Pid, 80, ct).ConfigureAwait(false);
        }
        // The engine named it if we did not: take the name from the last look.
        return new Container(lab, running.Id, running.Name, run.Image, labels);
    }

    private ContainerSpec SpecFor(RunOptions run, List<string> linkSpecs) => new(run.Image, lab.LabelsFor(run.Labels))
    {
        Name = run.Name,
        Cmd = run.Command,
        Hostname = run.Hostname,
        Env = run.Env,
        // Busybox as PID 1 ignores SIGTERM; a lab container has nothing to flush, so stop at once.
        // (docker import does not accept STOPSIGNAL, so the image cannot carry it.)
        StopSignal = LabImage.Find(run.Image) is null ? null : "SIGKILL",
        NetworkMode = run.Network,
        Links = linkSpecs,
        Ports = run.Ports,
        Dns = run.Dns ?? lab.Options.Dns?.ToList(),
        Aliases = run.Aliases,
    };

    /// <summary>
    /// Waits (briefly, best effort) until something in the container listens on TCP
    /// <paramref name="port"/>, read from its <c>/proc/net/tcp</c> and <c>tcp6</c>: from this host's
    /// /proc when it can, else with <c>cat</c> inside the container.
    /// </summary>
    private async Task WaitListeningAsync(Container container, long pid, int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var local = !lab.Options.ForcePortable && lab.Engine.CanReadHostProc && pid > 0;
        while (DateTime.UtcNow < deadline)
        {
            string table;
            try
            {
                // busybox httpd binds the dual-stack [::]:80, which only /proc/net/tcp6 lists.
                table = local
                    ? await File.ReadAllTextAsync($"/proc/{pid}/net/tcp", ct).ConfigureAwait(false)
                      + await File.ReadAllTextAsync($"/proc/{pid}/net/tcp6", ct).ConfigureAwait(false)
                    : (await container.ExecAsync(["cat", "/proc/net/tcp", "/proc/net/tcp6"], ct).ConfigureAwait(false)).Stdout;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DockScriptException)
            {
                return;
            }
            if (ProcNet.Listens(table, port))
            {
                return;
            }
            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Polls until the container runs; returns that last look at it.</summary>
    internal static async Task<ContainerInfo> WaitRunningAsync(Container container, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartWait;
        while (true)
        {
            var s = await container.InspectRawAsync(ct).ConfigureAwait(false);
            if (s.Running)
            {
                return s;
            }
            if (s.Status is "exited" or "dead")
            {
                var logs = (await container.LogsAsync(ct).ConfigureAwait(false)).Trim();
                var tail = logs.Length > 200 ? "…" + logs[^200..] : logs;
                throw new DockScriptException(
                    $"Container '{container.Name}' exited right after starting (exit code {s.ExitCode}){(tail.Length > 0 ? $": {tail}" : "")}; check its image and command.");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new DockScriptException($"Container '{container.Name}' did not reach 'running' within {StartWait.TotalSeconds:0} s (state: {s.Status}).");
            }
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
    }

    private async Task<Container?> FindExactAsync(string name, CancellationToken ct)
    {
        var list = await lab.Gateway.Containers.ListAsync(all: true, ct, exactName: name).ConfigureAwait(false);
        return list.Select(c => new Container(lab, c.Id, c.Name, c.Image, c.Labels)).FirstOrDefault(c => c.Name == name);
    }

    /// <inheritdoc/>
    public IEnumerator<Container> GetEnumerator() => List().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A table like <c>docker ps</c>, with each container's networks and addresses.</summary>
    public override string ToString() =>
        TextTable.Render(Container.Headers, List().Select(c => Container.Row(c.Inspect())));
}
