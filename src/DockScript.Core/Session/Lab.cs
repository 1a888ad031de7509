using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>
/// One DockScript session on one engine: the entry point to <see cref="Networks"/>,
/// <see cref="Containers"/> and <see cref="Images"/>. Everything it creates carries its session
/// label, and <see cref="Cleanup"/> removes exactly that, never anything else.
/// </summary>
/// <example><code>Lab.Cleanup()   // "removed 2 containers (nginx1, nginx2) and 1 network (my-network)"</code></example>
public sealed class Lab : IAsyncDisposable, IDisposable
{
    private Lab(DockerEngine engine, LabOptions options)
    {
        Engine = engine;
        Options = options;
        SessionId = options.SessionId ?? NewSessionId();
        Networks = new Networks(this);
        Containers = new Containers(this);
        Images = new Images(engine);
        Namespaces = new NamespaceFiles(this);
        Probes = new Probes(this);
    }

    /// <summary>Connects to the engine and opens a session. Nothing is created until asked for.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers.</exception>
    public static async Task<Lab> StartAsync(LabOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LabOptions();
        var engine = await DockerEngine.ConnectAsync(options.Endpoint, ct).ConfigureAwait(false);
        return new Lab(engine, options);
    }

    /// <summary>This session's id, as found in the <c>io.dockscript.session</c> label.</summary>
    public string SessionId { get; }

    /// <summary>The options the session was opened with.</summary>
    public LabOptions Options { get; }

    /// <summary>The engine connection (endpoint, versions).</summary>
    public DockerEngine Engine { get; }

    /// <summary>The underlying Docker.DotNet client, as an escape hatch.</summary>
    public DockerClient Docker => Engine.Client;

    /// <summary>The engine's networks.</summary>
    public Networks Networks { get; }

    /// <summary>The engine's containers.</summary>
    public Containers Containers { get; }

    /// <summary>Image availability: lab images and pulls.</summary>
    public Images Images { get; }

    internal NamespaceFiles Namespaces { get; }

    /// <summary>Ping, Curl, Resolve and Reachability from inside containers' network namespaces.</summary>
    /// <example><code>Lab.Probes.FastPath   // true locally as root: probes enter namespaces directly</code></example>
    public Probes Probes { get; }

    /// <summary>What this session observed: probe results and assertions, oldest first.</summary>
    public Journal Journal { get; } = new();

    /// <summary>What this session has created and not yet removed, read from the engine by label.</summary>
    /// <example><code>Lab.Created   // nginx1 (container), dockscript-probe-nginx1-3f9a2c (probe helper), my-network (network)</code></example>
    public IReadOnlyList<string> Created => Ambient.Wait(GetCreatedAsync);

    /// <inheritdoc cref="Created"/>
    public async Task<IReadOnlyList<string>> GetCreatedAsync(CancellationToken ct = default)
    {
        var containers = await ListOwnContainersAsync(SessionFilter, ct).ConfigureAwait(false);
        var networks = await ListOwnNetworksAsync(SessionFilter, ct).ConfigureAwait(false);
        // Probe helpers are the session's too, but not the user's doing: they are named as such.
        return Readable.List(containers.OrderBy(Name, StringComparer.Ordinal)
            .Select(c => Probes.IsProbeHelper(c.Labels) ? $"{Name(c)} (probe helper)" : $"{Name(c)} (container)")
            .Concat(networks.Select(n => n.Name).Order(StringComparer.Ordinal).Select(n => $"{n} (network)")));
    }

    /// <summary>Removes every container and network this session created, and nothing else.</summary>
    /// <example><code>Lab.Cleanup();</code></example>
    public CleanupReport Cleanup() => Ambient.Wait(CleanupAsync);

    /// <inheritdoc cref="Cleanup"/>
    public async Task<CleanupReport> CleanupAsync(CancellationToken ct = default)
    {
        try
        {
            return await RemoveLabelledAsync(SessionFilter, ct).ConfigureAwait(false);
        }
        finally
        {
            Probes.Reset();
        }
    }

    private string SessionFilter => $"{LabLabels.Session}={SessionId}";

    /// <summary>
    /// Force-removes a container DockScript made for a moment (a failed run, a helper). Best effort:
    /// what is left carries the session label, so <see cref="Cleanup"/> still finds it.
    /// </summary>
    internal async Task TryRemoveContainerAsync(string id)
    {
        try
        {
            await Engine.CallAsync(() => Docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockScriptException or DockerApiException)
        {
        }
    }

    internal async Task<CleanupReport> RemoveLabelledAsync(string labelFilter, CancellationToken ct)
    {
        var removedContainers = new List<string>();
        var removedHelpers = 0;
        var removedNetworks = new List<string>();
        var kept = new List<string>();
        foreach (var c in await ListOwnContainersAsync(labelFilter, ct).ConfigureAwait(false))
        {
            try
            {
                await Engine.CallAsync(() => Docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct), ct).ConfigureAwait(false);
                // Probe helpers are plumbing: counted, not named among the user's containers.
                if (Probes.IsProbeHelper(c.Labels))
                {
                    removedHelpers++;
                }
                else
                {
                    removedContainers.Add(Name(c));
                }
            }
            catch (DockerContainerNotFoundException)
            {
                // Removed meanwhile (e.g. by the script itself): nothing left to do.
            }
            catch (DockerApiException e)
            {
                kept.Add($"{Name(c)} ({DockerEngine.MessageOf(e)})");
            }
        }
        foreach (var n in await ListOwnNetworksAsync(labelFilter, ct).ConfigureAwait(false))
        {
            try
            {
                await Engine.CallAsync(() => Docker.Networks.DeleteNetworkAsync(n.ID, ct), ct).ConfigureAwait(false);
                removedNetworks.Add(n.Name);
            }
            catch (DockerNetworkNotFoundException)
            {
            }
            catch (DockerApiException e)
            {
                // Typically a container someone else attached: it is not ours to disconnect.
                kept.Add($"network {n.Name} ({DockerEngine.MessageOf(e)})");
            }
        }
        return new CleanupReport(removedContainers.Order(StringComparer.Ordinal).ToList(), removedNetworks.Order(StringComparer.Ordinal).ToList(), kept)
        {
            ProbeHelpers = removedHelpers,
        };
    }

    internal async Task<IList<ContainerListResponse>> ListOwnContainersAsync(string labelFilter, CancellationToken ct)
    {
        var list = await Engine.CallAsync(() => Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = LabelFilter(labelFilter),
        }, ct), ct).ConfigureAwait(false);
        // Belt and braces: act only on what truly carries DockScript's label.
        return list.Where(c => LabLabels.IsManaged(c.Labels)).ToList();
    }

    internal async Task<IList<NetworkResponse>> ListOwnNetworksAsync(string labelFilter, CancellationToken ct)
    {
        var list = await Engine.CallAsync(() => Docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilter(labelFilter) }, ct), ct).ConfigureAwait(false);
        return list.Where(n => LabLabels.IsManaged(n.Labels)).ToList();
    }

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string label) =>
        new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    internal static string Name(ContainerListResponse c) => c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID[..12];

    internal Dictionary<string, string> LabelsFor(IReadOnlyDictionary<string, string>? extra) => LabLabels.For(SessionId, Options.Owner, extra);

    /// <summary>Runs a Docker call that changes state, turning the daemon's refusals into one-sentence errors.</summary>
    internal async Task<T> Call<T>(Func<Task<T>> call, string what, CancellationToken ct)
    {
        try
        {
            return await Engine.CallAsync(call, ct).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            var message = $"Could not {what}: {DockerEngine.MessageOf(e).TrimEnd('.')}.";
            throw e.StatusCode switch
            {
                System.Net.HttpStatusCode.NotFound => new NotFoundException(message),
                System.Net.HttpStatusCode.Conflict => new ConflictException(message),
                _ => new DockScriptException(message, e),
            };
        }
    }

    /// <inheritdoc cref="Call{T}(Func{Task{T}}, string, CancellationToken)"/>
    internal Task Call(Func<Task> call, string what, CancellationToken ct) =>
        Call(async () => { await call().ConfigureAwait(false); return true; }, what, ct);

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <inheritdoc/>
    public void Dispose()
    {
        Probes.Dispose();
        Engine.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Probes.Dispose();
        Engine.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"DockScript session {SessionId} on {Engine.Endpoint} (Docker {Engine.DaemonVersion}, API {Engine.ApiVersion})";
}
