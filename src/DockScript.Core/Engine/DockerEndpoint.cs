namespace DockScript;

/// <summary>Where the Docker engine listens: <c>DOCKER_HOST</c>, else the default Unix socket.</summary>
/// <param name="Uri">The engine's address, e.g. <c>unix:///var/run/docker.sock</c>.</param>
internal sealed record DockerEndpoint(Uri Uri)
{
    /// <summary>The socket a local engine listens on when <c>DOCKER_HOST</c> is unset.</summary>
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    /// <summary>True when the engine is reached through a Unix socket on this machine.</summary>
    public bool IsLocal => Uri.Scheme == "unix";

    /// <summary>Reads the endpoint from <c>DOCKER_HOST</c> (or the given value), falling back to the default socket.</summary>
    /// <exception cref="DockScriptException">The value is not a URI DockScript can use.</exception>
    public static DockerEndpoint FromEnvironment(string? dockerHost = null)
    {
        var value = dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(value))
        {
            return new DockerEndpoint(new Uri(DefaultSocket));
        }
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https"))
        {
            throw new DockScriptException(
                $"DOCKER_HOST='{value}' is not an engine address DockScript understands; use unix:///path/to/docker.sock or tcp://host:2375.");
        }
        return new DockerEndpoint(uri);
    }

    /// <inheritdoc/>
    public override string ToString() => Uri.ToString();
}
