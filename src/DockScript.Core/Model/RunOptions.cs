namespace DockScript;

/// <summary>
/// What <see cref="Containers.Run"/> was asked for, bound once from its named arguments and
/// checked in one place, then shared by the blocking and the async form.
/// </summary>
internal sealed record RunOptions
{
    /// <summary>Where a published port binds when the user names no address: a lab on a laptop
    /// must not open ports to the café's Wi-Fi.</summary>
    public const string DefaultHostIp = "127.0.0.1";

    private RunOptions(string image) => Image = image;

    public string Image { get; }
    public string? Name { get; private init; }

    /// <summary>"bridge", "host", "none", "container:…" or a user-defined network's name.</summary>
    public string Network { get; private init; } = "bridge";
    public IReadOnlyList<string> Links { get; private init; } = [];

    /// <summary>The argv, or null for the image's own command.</summary>
    public IReadOnlyList<string>? Command { get; private init; }
    public IReadOnlyList<PortMapping> Ports { get; private init; } = [];
    public IReadOnlyList<string>? Env { get; private init; }
    public IReadOnlyList<string> Aliases { get; private init; } = [];
    public string? Hostname { get; private init; }
    public IReadOnlyList<string>? Dns { get; private init; }
    public IReadOnlyDictionary<string, string>? Labels { get; private init; }

    /// <summary>True for the predefined modes, which take no aliases and need no lookup.</summary>
    public bool OnPredefinedNetwork => Network is "bridge" or "host" or "none" || Network.StartsWith("container:", StringComparison.Ordinal);

    /// <summary>Binds and checks <c>Run</c>'s arguments; throws the one-sentence error for the first bad one.</summary>
    public static RunOptions Bind(string image, string? name, string? network, IEnumerable<string>? links, string? command,
        IEnumerable<string>? ports, IReadOnlyDictionary<string, string>? env, IEnumerable<string>? aliases, string? hostname,
        IEnumerable<string>? dns, IReadOnlyDictionary<string, string>? labels)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new DockScriptException("Run needs an image, e.g. Containers.Run(\"dockscript/web\").");
        }
        if (name is not null)
        {
            Names.Validate(name, "container");
        }
        var mode = network is null or "default" ? "bridge" : network;
        var aliasList = aliases?.ToList() ?? [];
        if (aliasList.Count > 0 && mode is "bridge" or "host" or "none")
        {
            throw new DockScriptException($"Aliases need a user-defined network, and '{mode}' is not one; pass network: \"my-network\" as well.");
        }
        return new RunOptions(image)
        {
            Name = name,
            Network = mode,
            Links = links?.ToList() ?? [],
            Command = command is null ? null : UserInput.Command(command).ToList(),
            Ports = (ports ?? []).Select(p => UserInput.Parse(() => PortMapping.Parse(p)))
                .Select(p => p.HostIp is null ? p with { HostIp = DefaultHostIp } : p).ToList(),
            Env = env?.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Aliases = aliasList,
            Hostname = hostname,
            Dns = dns?.ToList(),
            Labels = labels,
        };
    }
}
