using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;

namespace DockScript;

/// <summary>
/// A connection to one Docker engine, speaking the pinned API version. Calls go through the
/// <see cref="DockerGateway"/> built on it, never straight to <see cref="Client"/>.
/// </summary>
internal sealed class DockerEngine : IDisposable
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
        // Certificates are read before anything connects, so a missing or bad file is its own sentence.
        var credentials = endpoint.Tls?.Credentials();
        using var probe = Build(endpoint, credentials, null);
        var version = await EngineErrors.Guard(endpoint, "read the engine's version", () => probe.System.GetVersionAsync(ct), ct).ConfigureAwait(false);
        var pinned = ApiVersions.Pin(version.APIVersion);
        return new DockerEngine(endpoint, Build(endpoint, credentials, pinned), version.Version, Version.Parse(version.APIVersion), pinned);
    }

    private static DockerClient Build(DockerEndpoint endpoint, IAuthProvider? credentials, Version? api)
    {
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithTimeout(Timeout.InfiniteTimeSpan);
        if (credentials is not null)
        {
            builder = builder.WithAuthProvider(credentials);
        }
        return (api is null ? builder : builder.WithApiVersion(api)).Build();
    }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
