using System.Globalization;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Containers on the engine: list, inspect, create, start, stop, remove, logs, stats, attach.</summary>
internal sealed class ContainerOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>Containers, optionally filtered by one label (<c>key=value</c>) or an exact name.</summary>
    public async Task<IReadOnlyList<ContainerInfo>> ListAsync(bool all, CancellationToken ct, string? label = null, string? exactName = null)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>();
        if (label is not null)
        {
            filters["label"] = new Dictionary<string, bool> { [label] = true };
        }
        if (exactName is not null)
        {
            filters["name"] = new Dictionary<string, bool> { [$"^/{exactName}$"] = true };
        }
        var list = await Guard("list containers", () => engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = all, Filters = filters.Count == 0 ? null! : filters }, ct), ct).ConfigureAwait(false);
        var containers = list.Select(FromDocker.Container).ToList();
        AddressBook.Remember(containers);
        return containers;
    }

    /// <summary>One container by name, id or id prefix; null when there is none.</summary>
    public async Task<ContainerInfo?> InspectAsync(string nameOrId, CancellationToken ct)
    {
        try
        {
            var container = FromDocker.Container(await Guard($"inspect container {nameOrId}",
                () => engine.Client.Containers.InspectContainerAsync(nameOrId, ct), ct).ConfigureAwait(false));
            AddressBook.Remember(container);
            return container;
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Creates a container; returns its id. <paramref name="announce"/> is false only for
    /// DockScript's own hidden plumbing (probe helpers), which changes nothing a probe reads: a
    /// burst of helper starts must not empty the probes' state cache each time.
    /// </summary>
    public async Task<string> CreateAsync(ContainerSpec spec, string what, CancellationToken ct, bool announce = true)
    {
        var mode = spec.NetworkMode;
        // The engine keeps HostConfig.Links only on the default bridge; on a user-defined network
        // it drops them without a word, and a link lives on that network's endpoint instead
        // (where the embedded DNS answers the link's alias), as the docker CLI sends it.
        var linksOnEndpoint = spec.Links is { Count: > 0 } && IsUserDefined(mode);
        var parameters = new CreateContainerParameters
        {
            // Docker.DotNet omits null fields from the request, which is what "not given" means here.
            Name = spec.Name!,
            Image = spec.Image,
            Cmd = spec.Cmd?.ToList()!,
            Hostname = spec.Hostname!,
            Env = spec.Env?.ToList()!,
            Labels = new Dictionary<string, string>(spec.Labels),
            StopSignal = spec.StopSignal!,
            OpenStdin = spec.Interactive,
            AttachStdin = spec.Interactive,
            AttachStdout = spec.Interactive,
            AttachStderr = spec.Interactive,
            ExposedPorts = spec.Ports.Count == 0 ? null! : spec.Ports.GroupBy(m => m.Key).ToDictionary(g => g.Key, _ => new EmptyStruct()),
            HostConfig = new HostConfig
            {
                NetworkMode = mode!,
                Init = spec.Init ? true : null,
                PidMode = spec.PidMode!,
                CapAdd = spec.CapAdd?.ToList()!,
                CapDrop = spec.CapDrop?.ToList()!,
                SecurityOpt = spec.SecurityOpt?.ToList()!,
                Binds = spec.Binds?.ToList()!,
                Tmpfs = spec.Tmpfs is null ? null! : new Dictionary<string, string>(spec.Tmpfs),
                MaskedPaths = spec.UnmaskedPaths ? [] : null!,
                ReadonlyPaths = spec.UnmaskedPaths ? [] : null!,
                Links = spec.Links is { Count: > 0 } links && !linksOnEndpoint ? links.ToList() : null!,
                PortBindings = spec.Ports.Count == 0 ? null! : spec.Ports.GroupBy(m => m.Key).ToDictionary(
                    g => g.Key,
                    g => (IList<PortBinding>)g.Select(m => new PortBinding { HostIP = m.HostIp ?? "", HostPort = m.HostPort?.ToString(CultureInfo.InvariantCulture) ?? "" }).ToList()),
                DNS = spec.Dns is { Count: > 0 } servers ? servers.ToList() : null!,
            },
            NetworkingConfig = (spec.Aliases.Count == 0 && !linksOnEndpoint) || mode is null ? null! : new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [mode] = new EndpointSettings
                    {
                        Aliases = spec.Aliases.Count == 0 ? null! : spec.Aliases.ToList(),
                        Links = linksOnEndpoint ? spec.Links!.ToList() : null!,
                    },
                },
            },
        };
        if (announce)
        {
            EngineChanges.Announce();
        }
        var created = await Guard(what, () => engine.Client.Containers.CreateContainerAsync(parameters, ct), ct).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>True for a network a container joins by name or id, as opposed to the predefined modes and <c>container:</c>.</summary>
    private static bool IsUserDefined(string? mode) =>
        mode is not null and not ("bridge" or "default" or "host" or "none") && !mode.StartsWith("container:", StringComparison.Ordinal);

    /// <summary>Starts a container; <paramref name="announce"/> as for <see cref="CreateAsync"/>.</summary>
    public async Task StartAsync(string id, string what, CancellationToken ct, bool announce = true)
    {
        if (announce)
        {
            EngineChanges.Announce();
        }
        await Guard(what, () => engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct), ct).ConfigureAwait(false);
        if (announce)
        {
            EngineChanges.Announce();
        }
    }

    public async Task StopAsync(string id, uint waitSeconds, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        await Guard(what, () => engine.Client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = waitSeconds }, ct), ct).ConfigureAwait(false);
        EngineChanges.Announce();
    }

    /// <summary>Waits until the container has stopped; its exit code.</summary>
    public async Task<long> WaitAsync(string id, string what, CancellationToken ct) =>
        (await Guard(what, () => engine.Client.Containers.WaitContainerAsync(id, ct), ct).ConfigureAwait(false)).StatusCode;

    /// <summary>Force-removes a container; false when it was already gone.</summary>
    public async Task<bool> RemoveAsync(string id, string what, CancellationToken ct)
    {
        EngineChanges.Announce();
        try
        {
            await Guard(what, () => engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct), ct).ConfigureAwait(false);
            EngineChanges.AnnounceRemoved(id);
            return true;
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            EngineChanges.AnnounceRemoved(id);
            return false;
        }
    }

    /// <summary>
    /// Force-removes a container DockScript made for a moment (a failed run, a helper). Best effort:
    /// what is left carries the session label, so a cleanup still finds it.
    /// </summary>
    public async Task TryRemoveAsync(string id)
    {
        try
        {
            await RemoveAsync(id, $"remove container {id}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockScriptException)
        {
        }
    }

    /// <summary>The container's output so far, stdout then stderr.</summary>
    public async Task<string> LogsAsync(string id, string what, CancellationToken ct)
    {
        using var stream = await Guard(what, () => engine.Client.Containers.GetContainerLogsAsync(id,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, ct), ct).ConfigureAwait(false);
        var (stdout, stderr) = await Guard(what, () => stream.ReadOutputToEndAsync(ct), ct).ConfigureAwait(false);
        return stdout + stderr;
    }

    /// <summary>One stats sample (the engine samples twice, a second apart); null when it sent none.</summary>
    public async Task<ContainerStats?> StatsAsync(string id, string name, string what, CancellationToken ct)
    {
        ContainerStatsResponse? sample = null;
        await Guard(what, () => engine.Client.Containers.GetContainerStatsAsync(id, new ContainerStatsParameters { Stream = false },
            new SyncProgress<ContainerStatsResponse>(s => sample = s), ct), ct).ConfigureAwait(false);
        return sample is null ? null : FromDocker.Stats(name, sample);
    }

    /// <summary>Attaches to a created (not yet started) container's stdin and output.</summary>
    public async Task<AttachedStream> AttachAsync(string id, string what, CancellationToken ct)
    {
        var stream = await Guard(what, () => engine.Client.Containers.AttachContainerAsync(id, new ContainerAttachParameters
        {
            Stream = true,
            Stdin = true,
            Stdout = true,
            Stderr = true,
        }, ct), ct).ConfigureAwait(false);
        return new AttachedStream(stream);
    }

    private Task<T> Guard<T>(string what, Func<Task<T>> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);

    private Task Guard(string what, Func<Task> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);
}

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread. <see cref="Progress{T}"/>
/// posts to the thread pool, which would let an error message arrive after the call returned.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
