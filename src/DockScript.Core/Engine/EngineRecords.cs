namespace DockScript;

// The gateway's vocabulary: what DockScript reads from and asks of the engine, in its own types,
// so nothing outside Engine/ sees a Docker.DotNet model.

/// <summary>A container as the engine describes it (from an inspect, or the fewer fields of a list).</summary>
internal sealed record ContainerInfo(
    string Id, string Name, string Image, string Status, IReadOnlyDictionary<string, string> Labels,
    string NetworkMode, IReadOnlyDictionary<string, EndpointInfo> Networks)
{
    /// <summary>The main process id on the engine's host; 0 when not running (inspect only).</summary>
    public long Pid { get; init; }

    /// <summary>When the current run started (inspect only): a restart means a new network namespace.</summary>
    public string StartedAt { get; init; } = "";

    /// <summary>The last exit code (inspect only).</summary>
    public long ExitCode { get; init; }

    /// <summary>When the last run ended (inspect only; empty or the zero date when it never ended).</summary>
    public string FinishedAt { get; init; } = "";

    /// <summary>Published ports, ordered by container port.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary>The engine's own words for the state (list only), e.g. <c>Exited (137) 40 seconds ago</c>.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Its <c>--link</c>s as the engine keeps them, e.g. <c>/nginx1:/nginx3/db</c> (inspect only).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public bool Running => Status == "running";
}

/// <summary>A container's endpoint on one network.</summary>
internal sealed record EndpointInfo(string NetworkId, string? Address, IReadOnlyList<string> Aliases);

/// <summary>A network as the engine describes it.</summary>
internal sealed record NetworkInfo(
    string Id, string Name, string Driver, string Scope, bool Internal,
    IReadOnlyDictionary<string, string> Options, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<SubnetInfo> Subnets)
{
    /// <summary>When the engine created it; settles which of two same-named networks came first.</summary>
    public DateTime Created { get; init; }

    /// <summary>True for an overlay plain containers may join (<c>--attachable</c>).</summary>
    public bool Attachable { get; init; }

    /// <summary>Member name → IPv4 address (inspect only; empty from a list).</summary>
    public IReadOnlyDictionary<string, string?> Members { get; init; } = new Dictionary<string, string?>();
}

/// <summary>One IPAM pool of a network.</summary>
internal sealed record SubnetInfo(string Subnet, string? Gateway);

/// <summary>What to create a container from. Null means "not given": the engine's default.</summary>
internal sealed record ContainerSpec(string Image, IReadOnlyDictionary<string, string> Labels)
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? StopSignal { get; init; }
    public string? NetworkMode { get; init; }
    public string? PidMode { get; init; }
    public IReadOnlyList<string>? CapAdd { get; init; }
    public IReadOnlyList<string>? Links { get; init; }
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
    public IReadOnlyList<string>? Dns { get; init; }

    /// <summary>Extra DNS names on <see cref="NetworkMode"/> (a user-defined network).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Runs the engine's init (docker-init) as PID 1, which reaps orphaned processes.</summary>
    public bool Init { get; init; }

    /// <summary>A shell fed over stdin (probe helpers): stdin open and attached.</summary>
    public bool Interactive { get; init; }

    /// <summary>Capabilities taken away (after <see cref="CapAdd"/>): a cluster node drops what this machine cannot grant.</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary><c>--security-opt</c> values, e.g. <c>seccomp=unconfined</c>.</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>Bind mounts, <c>host:container[:mode]</c>.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    /// <summary>No masked or read-only /proc and /sys paths (the CLI's <c>--security-opt systempaths=unconfined</c>).</summary>
    public bool UnmaskedPaths { get; init; }

    /// <summary>tmpfs mounts: path → options ("" for the defaults).</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }
}

/// <summary>What to create a network from.</summary>
internal sealed record NetworkSpec(string Name, string Driver, bool Internal, IReadOnlyDictionary<string, string> Labels)
{
    public SubnetInfo? Subnet { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether plain containers may join; null means "an overlay is attachable".</summary>
    public bool? Attachable { get; init; }
}
