using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace DockScript;

/// <summary>
/// A connection to one Docker engine, speaking the pinned API version.
/// All Docker calls in DockScript go through <see cref="CallAsync{T}(Func{Task{T}}, CancellationToken)"/> so that transport and API
/// errors reach the user as one sentence.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private DockerEngine(DockerEndpoint endpoint, DockerClient client, string daemonVersion, Version daemonApi, Version pinned)
    {
        Endpoint = endpoint;
        Client = client;
        DaemonVersion = daemonVersion;
        DaemonApiVersion = daemonApi;
        ApiVersion = pinned;
    }

    /// <summary>Where the engine listens.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>The underlying Docker.DotNet client, pinned to <see cref="ApiVersion"/>.</summary>
    public DockerClient Client { get; }

    /// <summary>The engine's own version, e.g. "20.10.24".</summary>
    public string DaemonVersion { get; }

    /// <summary>The newest API version the daemon supports.</summary>
    public Version DaemonApiVersion { get; }

    /// <summary>The API version every request uses: min(daemon, client).</summary>
    public Version ApiVersion { get; }

    /// <summary>
    /// True when DockScript may read a container's namespaces straight from this machine's
    /// <c>/proc</c>: the engine is local and we are root.
    /// </summary>
    public bool CanReadHostProc => Endpoint.IsLocal && OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && Directory.Exists("/proc/1/ns");

    /// <summary>Connects, reads <c>/version</c> and pins the API version.</summary>
    /// <exception cref="EngineUnavailableException">Nothing answers at the endpoint.</exception>
    public static async Task<DockerEngine> ConnectAsync(DockerEndpoint? endpoint = null, CancellationToken ct = default)
    {
        endpoint ??= DockerEndpoint.FromEnvironment();
        using var probe = Build(endpoint, null);
        var version = await CallAsync(endpoint, () => probe.System.GetVersionAsync(ct), ct).ConfigureAwait(false);
        var pinned = ApiVersions.Pin(version.APIVersion);
        return new DockerEngine(endpoint, Build(endpoint, pinned), version.Version, Version.Parse(version.APIVersion), pinned);
    }

    private static DockerClient Build(DockerEndpoint endpoint, Version? api)
    {
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithTimeout(Timeout.InfiniteTimeSpan);
        return (api is null ? builder : builder.WithApiVersion(api)).Build();
    }

    /// <summary>Runs one Docker call, turning transport and API failures into one-sentence exceptions.</summary>
    public Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken ct) => CallAsync(Endpoint, call, ct);

    /// <summary>Runs one Docker call, turning transport and API failures into one-sentence exceptions.</summary>
    public Task CallAsync(Func<Task> call, CancellationToken ct) =>
        CallAsync(Endpoint, async () => { await call().ConfigureAwait(false); return true; }, ct);

    private static async Task<T> CallAsync<T>(DockerEndpoint endpoint, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TimeoutException
                                      or OperationCanceledException)
        {
            throw Unavailable(endpoint, e);
        }
    }

    internal static EngineUnavailableException Unavailable(DockerEndpoint endpoint, Exception? inner) =>
        new(endpoint.IsLocal
                ? $"No Docker engine answers at {endpoint}; start one with scripts/engine (or 'systemctl start docker'), or point DOCKER_HOST at a running engine."
                : $"No Docker engine answers at {endpoint}; check that it is running and reachable, or unset DOCKER_HOST to use the local socket.",
            inner);

    /// <summary>The daemon's own words from an API error body (<c>{"message": "…"}</c>).</summary>
    internal static string MessageOf(DockerApiException e)
    {
        try
        {
            using var doc = JsonDocument.Parse(e.ResponseBody ?? "");
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text)
            {
                return text.Trim();
            }
        }
        catch (JsonException)
        {
        }
        return string.IsNullOrWhiteSpace(e.ResponseBody) ? e.StatusCode.ToString() : e.ResponseBody.Trim();
    }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
