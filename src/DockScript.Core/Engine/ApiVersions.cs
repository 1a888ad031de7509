namespace DockScript;

/// <summary>
/// Chooses the Engine API version to speak. Docker.DotNet does not negotiate, so DockScript reads
/// the daemon's <c>/version</c> and pins the lower of the daemon's and the client's versions:
/// a newer client then never sends fields an older daemon rejects.
/// </summary>
internal static class ApiVersions
{
    /// <summary>The newest Engine API the bundled Docker.DotNet models were generated for (Engine 29.x).</summary>
    public static Version Client { get; } = new(1, 52);

    /// <summary>The oldest Engine API DockScript is written against.</summary>
    public static Version Minimum { get; } = new(1, 41);

    /// <summary>The version to pin: min(daemon, client).</summary>
    /// <example><code>ApiVersions.Pin("1.41") // 1.41</code></example>
    /// <exception cref="DockScriptException">The daemon's version is unreadable or older than DockScript supports.</exception>
    public static Version Pin(string? daemonApiVersion, Version? client = null)
    {
        client ??= Client;
        if (!Version.TryParse(daemonApiVersion, out var daemon))
        {
            throw new DockScriptException(
                $"The engine reported API version '{daemonApiVersion}', which DockScript cannot read; is the endpoint really a Docker engine?");
        }
        if (daemon < Minimum)
        {
            throw new DockScriptException(
                $"The engine speaks Docker API {daemon}, older than the {Minimum} DockScript needs; upgrade Docker to 20.10 or newer.");
        }
        return daemon < client ? daemon : client;
    }
}
