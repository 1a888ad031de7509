namespace DockScript;

/// <summary>
/// Where the Docker engine listens and how to reach it, found as the docker CLI finds it:
/// <c>DOCKER_HOST</c> (with <c>DOCKER_TLS_VERIFY</c>/<c>DOCKER_TLS</c> and <c>DOCKER_CERT_PATH</c>),
/// else <c>DOCKER_CONTEXT</c>, else the CLI's current context, else the local socket.
/// </summary>
/// <param name="Uri">The engine's address, e.g. <c>unix:///var/run/docker.sock</c>.</param>
internal sealed record DockerEndpoint(Uri Uri)
{
    /// <summary>The socket a local engine listens on when nothing names another.</summary>
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    /// <summary>How the connection is secured; null for a Unix socket or plain TCP.</summary>
    public EngineTls? Tls { get; init; }

    /// <summary>What named this endpoint, for people: "DOCKER_HOST", "context prod (DOCKER_CONTEXT)", "the default socket".</summary>
    public string Source { get; init; } = "the default socket";

    /// <summary>The docker CLI context this endpoint came from; null when it came from DOCKER_HOST or the default.</summary>
    public string? Context { get; init; }

    /// <summary>True when the engine is reached through a Unix socket on this machine.</summary>
    public bool IsLocal => Uri.Scheme == "unix";

    /// <summary>True for TCP without TLS: anyone on the path can read and drive the engine.</summary>
    public bool IsPlainTcp => !IsLocal && Tls is null;

    /// <summary>One line for the front ends to show before work starts; null when there is nothing to say.</summary>
    public string? Warning => IsPlainTcp
        ? $"{this} is plain TCP: anyone who can reach it can read and drive this engine. Fix: serve it with TLS and set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or use a docker context with TLS)."
        : null;

    /// <summary>What the user undoes to use the local socket instead, completing "… or X to use the local socket".</summary>
    public string BackToLocal => Context is null ? "unset DOCKER_HOST"
        : Source.EndsWith("(DOCKER_CONTEXT)", StringComparison.Ordinal) ? "unset DOCKER_CONTEXT"
        : "run 'docker context use default'";

    /// <summary>How the connection is made, for <c>dockscript doctor</c>.</summary>
    public string Transport => IsLocal ? "local socket" : Tls?.ToString() ?? "plain TCP, not encrypted";

    /// <summary>
    /// Reads the endpoint from this process's environment and the docker CLI's configuration, or,
    /// when <paramref name="dockerHost"/> is given, from that value alone (no TLS).
    /// </summary>
    /// <exception cref="DockScriptException">The address, the context or the certificates cannot be used.</exception>
    public static DockerEndpoint FromEnvironment(string? dockerHost = null) =>
        dockerHost is null ? Resolve(CliEnvironment.Current) : Parse(dockerHost, "DOCKER_HOST") ?? Default;

    /// <summary>The endpoint <paramref name="env"/> names, by the docker CLI's precedence.</summary>
    /// <exception cref="DockScriptException">The address, the context or the certificates cannot be used.</exception>
    public static DockerEndpoint Resolve(CliEnvironment env)
    {
        var tls = env["DOCKER_TLS_VERIFY"] is not null || env["DOCKER_TLS"] is not null;
        if (Parse(env["DOCKER_HOST"], "DOCKER_HOST", tls) is { } host)
        {
            return host.IsLocal ? host : host with { Tls = EngineTls.FromEnvironment(env) };
        }
        if (env["DOCKER_CONTEXT"] is { } named)
        {
            return DockerContexts.Load(env, named, "DOCKER_CONTEXT");
        }
        if (DockerContexts.Current(env) is { } current)
        {
            return DockerContexts.Load(env, current, $"currentContext in {env.Show(Path.Combine(env.ConfigFolder, "config.json"))}");
        }
        return Default;
    }

    internal static DockerEndpoint Default => new(new Uri(DefaultSocket));

    /// <summary>
    /// Parses an engine address; null for a blank one. A TCP address without a port gets the
    /// CLI's default, 2376 with TLS in mind and 2375 without (the caller decides TLS later, so the
    /// port follows <paramref name="tls"/>).
    /// </summary>
    internal static DockerEndpoint? Parse(string? value, string from, bool tls = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase))
        {
            throw new DockScriptException(
                $"{from}='{text}' is an ssh:// engine, which DockScript cannot reach yet; forward its socket (ssh -NL /tmp/docker.sock:/var/run/docker.sock {text[6..]}) and set DOCKER_HOST=unix:///tmp/docker.sock.");
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https"))
        {
            throw new DockScriptException(
                $"{from}='{text}' is not an engine address DockScript understands; use unix:///path/to/docker.sock or tcp://host:2375.");
        }
        if (uri.Scheme == "tcp" && uri.Port == -1)
        {
            uri = new UriBuilder(uri) { Port = tls ? 2376 : 2375 }.Uri;
        }
        return new DockerEndpoint(uri) { Source = from };
    }

    /// <inheritdoc/>
    public override string ToString() => Uri.ToString();
}
