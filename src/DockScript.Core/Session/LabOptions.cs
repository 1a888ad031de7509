namespace DockScript;

/// <summary>How a <see cref="Lab"/> session connects and behaves.</summary>
public sealed record LabOptions
{
    /// <summary>The engine to use; <c>DOCKER_HOST</c> or the local socket when null.</summary>
    internal DockerEndpoint? Endpoint { get; init; }

    /// <summary>The session id stamped on everything created; a fresh one when null.</summary>
    public string? SessionId { get; init; }

    /// <summary>
    /// Upstream DNS servers for new containers (<c>--dns</c>). From <c>DOCKSCRIPT_DNS</c>
    /// (comma-separated) by default; null leaves Docker's default (the host's resolvers).
    /// Tests set 127.0.0.1 so that no lookup ever leaves the machine.
    /// </summary>
    public IReadOnlyList<string>? Dns { get; init; } =
        Environment.GetEnvironmentVariable("DOCKSCRIPT_DNS") is { Length: > 0 } dns
            ? dns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

    /// <summary>
    /// Never read containers' namespaces from this machine's <c>/proc</c>; go through the engine
    /// instead (exec, or a helper container). From <c>DOCKSCRIPT_PORTABLE=1</c> by default.
    /// </summary>
    public bool ForcePortable { get; init; } = Environment.GetEnvironmentVariable("DOCKSCRIPT_PORTABLE") is "1" or "true";

    /// <summary>
    /// The process stamped on what the session creates; this process by default. Tests set a
    /// process that does not exist to make the leftovers of a dead session.
    /// </summary>
    internal SessionOwner Owner { get; init; } = SessionOwner.Current;
}
