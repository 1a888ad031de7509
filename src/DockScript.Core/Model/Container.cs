
namespace DockScript;

/// <summary>
/// A container on the engine. <see cref="Name"/>, <see cref="Id"/> and <see cref="Image"/> are fixed;
/// every other property reads the engine's current state, so a script sees changes as they happen.
/// </summary>
/// <example><code>var web1 = Containers.Run("dockscript/web", name: "nginx1");  web1.IP</code></example>
public sealed class Container : IEquatable<Container>
{
    private readonly Lab lab;

    internal Container(Lab lab, string id, string name, string image, IReadOnlyDictionary<string, string>? labels)
    {
        this.lab = lab;
        Id = id;
        Name = name.TrimStart('/');
        Image = image;
        Labels = Readable.Map(labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels));
    }

    /// <summary>The session (and so the engine) the container is reached through.</summary>
    internal Lab Lab => lab;

    /// <summary>The container's name, e.g. <c>nginx1</c>.</summary>
    /// <example><code>web1.Name   // "nginx1"</code></example>
    public string Name { get; }

    /// <summary>The full id.</summary>
    /// <example><code>web1.Id</code></example>
    public string Id { get; }

    /// <summary>The short id, as <c>docker ps</c> shows it (also the default hostname).</summary>
    /// <example><code>web1.ShortId   // "3f2a1b9c0d1e", also its hostname</code></example>
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    /// <summary>The image, as given when the container was created.</summary>
    /// <example><code>web1.Image   // "dockscript/web"</code></example>
    public string Image { get; }

    /// <summary>The container's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>True when DockScript created this container (in any session).</summary>
    public bool IsManaged => Labels.TryGetValue(LabLabels.Managed, out var v) && v == "true";

    /// <summary>"running", "exited", "created", … (live).</summary>
    /// <example><code>web1.State   // "running"</code></example>
    public string State => Inspect().State;

    /// <summary>
    /// The address on the network it was started on (for the default bridge, what
    /// <c>{{.NetworkSettings.IPAddress}}</c> shows); null on host or none (live, seed S6).
    /// </summary>
    /// <example><code>web1.IP   // "172.17.0.2"</code></example>
    public string? IP => Inspect().IP;

    /// <summary>Network name → IPv4 address, one entry per network it is on (live, seed S6).</summary>
    /// <example><code>web1.IPs["my-network"]</code></example>
    public IReadOnlyDictionary<string, string> IPs => Inspect().IPs;

    /// <summary>The networks it is attached to (live).</summary>
    /// <example><code>web1.Networks.Select(n => n.Name)</code></example>
    public IReadOnlyList<Network> Networks => Ambient.Wait(GetNetworksAsync);

    /// <inheritdoc cref="Networks"/>
    public async Task<IReadOnlyList<Network>> GetNetworksAsync(CancellationToken ct = default)
    {
        var attached = (await InspectRawAsync(ct).ConfigureAwait(false)).Networks;
        // One list call rather than one inspect per network.
        var all = await lab.Networks.ListAsync(ct).ConfigureAwait(false);
        return Readable.List(all.Where(n => attached.TryGetValue(n.Name, out var e) && (string.IsNullOrEmpty(e.NetworkId) || e.NetworkId == n.Id)), "\n");
    }

    /// <summary>Published ports, like the PORTS column of <c>docker ps</c>; empty on the host network (live, seed S4).</summary>
    /// <example><code>Containers.Run("dockscript/web", ports: new[] { "8080:80" }).Ports</code></example>
    public IReadOnlyList<PortMapping> Ports => Inspect().Ports;

    /// <summary>One fresh look at the container's state.</summary>
    /// <example><code>web1.Inspect().Pid</code></example>
    public ContainerSnapshot Inspect() => Ambient.Wait(InspectAsync);

    /// <inheritdoc cref="Inspect"/>
    public async Task<ContainerSnapshot> InspectAsync(CancellationToken ct = default) =>
        ContainerSnapshot.From(await InspectRawAsync(ct).ConfigureAwait(false));

    /// <summary>The engine's description of the container, in the gateway's terms.</summary>
    internal async Task<ContainerInfo> InspectRawAsync(CancellationToken ct = default) =>
        await lab.Gateway.Containers.InspectAsync(Id, ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"Container '{Name}' no longer exists.");

    /// <summary>
    /// The network interfaces as seen inside the container, with addresses and counters, even
    /// when the image has no <c>ip</c> or <c>ifconfig</c> (seed S5, S6).
    /// </summary>
    /// <example><code>web1.Interfaces.Select(i => i.Name)   // lo, eth0</code></example>
    public IReadOnlyList<NetInterface> Interfaces => Ambient.Wait(GetInterfacesAsync);

    /// <inheritdoc cref="Interfaces"/>
    public async Task<IReadOnlyList<NetInterface>> GetInterfacesAsync(CancellationToken ct = default) =>
        Readable.List(ProcNet.ParseInterfaces(await lab.Namespaces.ReadNetworkFilesAsync(this, ct).ConfigureAwait(false)), "\n");

    /// <summary>The container's <c>/etc/hosts</c>, as entries (seed S11: links appear here).</summary>
    /// <example><code>web3.Hosts.Lookup("nginx1")</code></example>
    public HostsFile Hosts => Ambient.Wait(GetHostsAsync);

    /// <inheritdoc cref="Hosts"/>
    public async Task<HostsFile> GetHostsAsync(CancellationToken ct = default) =>
        HostsFile.Parse(await ReadFileAsync("/etc/hosts", ct).ConfigureAwait(false));

    /// <summary>The container's <c>/etc/resolv.conf</c> as data (seed S14: 127.0.0.11 on user networks).</summary>
    /// <example><code>web2.ResolvConf.Nameservers   // ["127.0.0.11"]</code></example>
    public ResolvConf ResolvConf => Ambient.Wait(GetResolvConfAsync);

    /// <inheritdoc cref="ResolvConf"/>
    public async Task<ResolvConf> GetResolvConfAsync(CancellationToken ct = default) =>
        ResolvConf.Parse(await ReadFileAsync("/etc/resolv.conf", ct).ConfigureAwait(false));

    /// <summary>Reads a text file from the container's filesystem, whatever tools its image has.</summary>
    /// <example><code>web1.ReadFile("/etc/hostname")</code></example>
    public string ReadFile(string path) => Ambient.Wait(ct => ReadFileAsync(path, ct));

    /// <inheritdoc cref="ReadFile"/>
    public Task<string> ReadFileAsync(string path, CancellationToken ct = default) =>
        lab.Gateway.Archive.ReadTextAsync(Id, Name, path, ct);

    /// <summary>
    /// Runs a command inside the container, like <c>docker exec</c>. The command is split into
    /// words; when it uses shell syntax (pipes, redirections, <c>$</c>, …) it runs under <c>sh -c</c>.
    /// </summary>
    /// <example><code>web1.Exec("cat /etc/hostname").Stdout</code></example>
    public ExecResult Exec(string command) => Ambient.Wait(ct => ExecAsync(command, ct));

    /// <summary>Runs a program with exactly these arguments inside the container.</summary>
    /// <example><code>web1.Exec(new[] { "ls", "-l", "/www" })</code></example>
    public ExecResult Exec(IReadOnlyList<string> argv) => Ambient.Wait(ct => ExecAsync(argv, ct));

    /// <inheritdoc cref="Exec(string)"/>
    public Task<ExecResult> ExecAsync(string command, CancellationToken ct = default)
    {
        var argv = UserInput.Command(command);
        if (argv.Count == 0)
        {
            throw new DockScriptException("Exec needs a command, but an empty one was given.");
        }
        return ExecAsync(argv, ct);
    }

    /// <inheritdoc cref="Exec(IReadOnlyList{string})"/>
    public Task<ExecResult> ExecAsync(IReadOnlyList<string> argv, CancellationToken ct = default) =>
        lab.Gateway.Exec.RunAsync(Id, argv, $"exec in {Name}", ct);

    /// <summary>CPU, memory and per-interface network counters, like <c>docker stats</c> (seed S3). Takes about a second to sample CPU.</summary>
    /// <example><code>web1.Stats().RxBytes</code></example>
    public ContainerStats Stats() => Ambient.Wait(StatsAsync);

    /// <inheritdoc cref="Stats"/>
    public async Task<ContainerStats> StatsAsync(CancellationToken ct = default) =>
        await lab.Gateway.Containers.StatsAsync(Id, Name, $"read stats of {Name}", ct).ConfigureAwait(false)
        ?? throw new DockScriptException($"The engine sent no stats for {Name}; is it running?");

    /// <summary>Stops the container (only one DockScript created).</summary>
    /// <example><code>web1.Stop();</code></example>
    public void Stop() => Ambient.Wait(StopAsync);

    /// <inheritdoc cref="Stop"/>
    public async Task StopAsync(CancellationToken ct = default)
    {
        EnsureManaged("stop");
        await lab.Gateway.Containers.StopAsync(Id, 5, $"stop {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>Starts the container again and waits until it runs (only one DockScript created).</summary>
    /// <example><code>web1.Start();</code></example>
    public void Start() => Ambient.Wait(StartAsync);

    /// <inheritdoc cref="Start"/>
    public async Task StartAsync(CancellationToken ct = default)
    {
        EnsureManaged("start");
        await lab.Gateway.Containers.StartAsync(Id, $"start {Name}", ct).ConfigureAwait(false);
        await DockScript.Containers.WaitRunningAsync(this, ct).ConfigureAwait(false);
    }

    /// <summary>Removes the container, stopping it first (only one DockScript created).</summary>
    /// <example><code>web1.Remove();</code></example>
    public void Remove() => Ambient.Wait(RemoveAsync);

    /// <inheritdoc cref="Remove"/>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        EnsureManaged("remove");
        // Its probe helpers share its namespace and would outlive it: they go first. Ask the engine,
        // not a pool: another session object (a REPL reset, a second Lab) may have started one.
        foreach (var helper in await lab.Gateway.Containers.ListAsync(all: true, ct, label: $"{LabLabels.ProbeFor}={Id}").ConfigureAwait(false))
        {
            if (LabLabels.IsManaged(helper.Labels))
            {
                await lab.TryRemoveContainerAsync(helper.Id).ConfigureAwait(false);
            }
        }
        // Already gone (false) is the outcome the caller wanted. The gateway announces the removal,
        // so the probes drop what they kept for it (its namespace thread, its helper's shell).
        await lab.Gateway.Containers.RemoveAsync(Id, $"remove {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>The container's output so far (stdout and stderr).</summary>
    /// <example><code>web1.Logs()</code></example>
    public string Logs() => Ambient.Wait(LogsAsync);

    /// <inheritdoc cref="Logs"/>
    public Task<string> LogsAsync(CancellationToken ct = default) =>
        lab.Gateway.Containers.LogsAsync(Id, $"read logs of {Name}", ct);

    internal void EnsureManaged(string action)
    {
        ReadOnlyCluster.Check(lab, $"{action} {Name}");
        if (!IsManaged)
        {
            throw new ConflictException(
                $"Container '{Name}' was not created by DockScript, so DockScript will not {action} it; use the docker CLI if you mean it.");
        }
    }

    /// <summary>One line: name, short id, image, state and addresses.</summary>
    public override string ToString()
    {
        var s = Inspect();
        var ips = s.IPs.Count == 0 ? (s.NetworkMode is "host" or "none" ? s.NetworkMode : "-") : string.Join(", ", s.IPs.Select(kv => $"{kv.Value} ({kv.Key})"));
        return $"{Name} ({ShortId}) {Image} {s.State} {ips}";
    }

    /// <summary>Two handles are equal when they name the same container.</summary>
    public bool Equals(Container? other) => other is not null && other.Id == Id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Container);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    internal static readonly string[] Headers = ["CONTAINER ID", "NAME", "IMAGE", "STATE", "NETWORKS", "PORTS"];

    internal static IReadOnlyList<string> Row(ContainerSnapshot s) =>
    [
        s.Id[..Math.Min(12, s.Id.Length)], s.Name, s.Image, s.State,
        s.IPs.Count == 0 ? s.NetworkMode : string.Join(", ", s.IPs.Select(kv => $"{kv.Key}={kv.Value}")),
        string.Join(", ", s.Ports),
    ];
}
