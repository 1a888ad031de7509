using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>
/// A container on the engine. <see cref="Name"/>, <see cref="Id"/> and <see cref="Image"/> are fixed;
/// every other property reads the engine's current state, so a script sees changes as they happen.
/// </summary>
/// <example><code>var web1 = Containers.Run("dockscript/web", name: "nginx1");  web1.IP</code></example>
public sealed class Container : IEquatable<Container>
{
    private readonly Lab lab;

    internal Container(Lab lab, string id, string name, string image, IDictionary<string, string>? labels)
    {
        this.lab = lab;
        Id = id;
        Name = name.TrimStart('/');
        Image = image;
        Labels = Readable.Map(new Dictionary<string, string>(labels ?? new Dictionary<string, string>()));
    }

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
        var raw = await InspectRawAsync(ct).ConfigureAwait(false);
        var attached = raw.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>();
        // One list call rather than one inspect per network.
        var all = await lab.Networks.ListAsync(ct).ConfigureAwait(false);
        return Readable.List(all.Where(n => attached.TryGetValue(n.Name, out var e) && (string.IsNullOrEmpty(e.NetworkID) || e.NetworkID == n.Id)), "\n");
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

    /// <summary>The raw <c>docker container inspect</c> data.</summary>
    public async Task<ContainerInspectResponse> InspectRawAsync(CancellationToken ct = default)
    {
        try
        {
            return await lab.Engine.CallAsync(() => lab.Docker.Containers.InspectContainerAsync(Id, ct), ct).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            throw new NotFoundException($"Container '{Name}' no longer exists.");
        }
    }

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
    public Task<string> ReadFileAsync(string path, CancellationToken ct = default) => ReadFileAsync(path, 0, ct);

    private async Task<string> ReadFileAsync(string path, int links, CancellationToken ct)
    {
        ContainerArchiveResponse archive;
        try
        {
            archive = await lab.Engine.CallAsync(() => lab.Docker.Containers.GetArchiveFromContainerAsync(Id, new ContainerPathStatParameters { Path = path }, false, ct), ct).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The archive endpoint answers 404 both for a missing container and for a missing path.
            throw DockerEngine.MessageOf(e).Contains("No such container", StringComparison.OrdinalIgnoreCase)
                ? new NotFoundException($"Container '{Name}' no longer exists.")
                : new NotFoundException($"{Name} has no file {path}.");
        }
        using var stream = archive.Stream ?? Stream.Null;
        using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                using var text = new StreamReader(data, Encoding.UTF8);
                return await text.ReadToEndAsync(ct).ConfigureAwait(false);
            }
            if (entry.EntryType == TarEntryType.SymbolicLink && links < 40)
            {
                // The engine resolves the link's own path within the container, as the container would.
                var target = entry.LinkName.StartsWith('/') ? entry.LinkName : $"{path[..(path.LastIndexOf('/') + 1)]}{entry.LinkName}";
                return await ReadFileAsync(target, links + 1, ct).ConfigureAwait(false);
            }
        }
        throw new DockScriptException($"{path} in {Name} is not a regular file.");
    }

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
    public async Task<ExecResult> ExecAsync(IReadOnlyList<string> argv, CancellationToken ct = default)
    {
        // The same TTY flag on create and start: a mismatch garbles the multiplexed stream.
        const bool tty = false;
        var exec = await lab.Call(() => lab.Docker.Exec.CreateContainerExecAsync(Id, new ContainerExecCreateParameters
        {
            Cmd = argv.ToList(),
            AttachStdout = true,
            AttachStderr = true,
            TTY = tty,
        }, ct), $"exec in {Name}", ct).ConfigureAwait(false);
        using var stream = await lab.Call(() => lab.Docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { TTY = tty }, ct),
            $"exec in {Name}", ct).ConfigureAwait(false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct).ConfigureAwait(false);
        var done = await lab.Engine.CallAsync(() => lab.Docker.Exec.InspectContainerExecAsync(exec.ID, ct), ct).ConfigureAwait(false);
        return new ExecResult(done.ExitCode ?? -1, stdout, stderr);
    }

    /// <summary>CPU, memory and per-interface network counters, like <c>docker stats</c> (seed S3). Takes about a second to sample CPU.</summary>
    /// <example><code>web1.Stats().RxBytes</code></example>
    public ContainerStats Stats() => Ambient.Wait(StatsAsync);

    /// <inheritdoc cref="Stats"/>
    public async Task<ContainerStats> StatsAsync(CancellationToken ct = default)
    {
        ContainerStatsResponse? sample = null;
        // Without streaming the engine samples twice, a second apart, so CPU use can be computed.
        await lab.Call(() => lab.Docker.Containers.GetContainerStatsAsync(Id, new ContainerStatsParameters { Stream = false },
            new SyncProgress<ContainerStatsResponse>(s => sample = s), ct), $"read stats of {Name}", ct).ConfigureAwait(false);
        return sample is null
            ? throw new DockScriptException($"The engine sent no stats for {Name}; is it running?")
            : ContainerStats.From(Name, sample);
    }

    /// <summary>Stops the container (only one DockScript created).</summary>
    /// <example><code>web1.Stop();</code></example>
    public void Stop() => Ambient.Wait(StopAsync);

    /// <inheritdoc cref="Stop"/>
    public async Task StopAsync(CancellationToken ct = default)
    {
        EnsureManaged("stop");
        Probes.Invalidate();
        await lab.Call(() => lab.Docker.Containers.StopContainerAsync(Id, new ContainerStopParameters { WaitBeforeKillSeconds = 5 }, ct),
            $"stop {Name}", ct).ConfigureAwait(false);
    }

    /// <summary>Starts the container again and waits until it runs (only one DockScript created).</summary>
    /// <example><code>web1.Start();</code></example>
    public void Start() => Ambient.Wait(StartAsync);

    /// <inheritdoc cref="Start"/>
    public async Task StartAsync(CancellationToken ct = default)
    {
        EnsureManaged("start");
        Probes.Invalidate();
        await lab.Call(() => lab.Docker.Containers.StartContainerAsync(Id, new ContainerStartParameters(), ct), $"start {Name}", ct).ConfigureAwait(false);
        await lab.Containers.WaitRunningAsync(this, ct).ConfigureAwait(false);
    }

    /// <summary>Removes the container, stopping it first (only one DockScript created).</summary>
    /// <example><code>web1.Remove();</code></example>
    public void Remove() => Ambient.Wait(RemoveAsync);

    /// <inheritdoc cref="Remove"/>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        EnsureManaged("remove");
        // Its probe helper shares its namespace and would outlive it: it goes first.
        await lab.Probes.ForgetAsync(Id).ConfigureAwait(false);
        try
        {
            await lab.Call(() => lab.Docker.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct),
                $"remove {Name}", ct).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // Already gone: the outcome the caller wanted.
        }
    }

    /// <summary>The container's output so far (stdout and stderr).</summary>
    /// <example><code>web1.Logs()</code></example>
    public string Logs() => Ambient.Wait(LogsAsync);

    /// <inheritdoc cref="Logs"/>
    public async Task<string> LogsAsync(CancellationToken ct = default)
    {
        using var stream = await lab.Call(() => lab.Docker.Containers.GetContainerLogsAsync(Id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, ct),
            $"read logs of {Name}", ct).ConfigureAwait(false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct).ConfigureAwait(false);
        return stdout + stderr;
    }

    internal void EnsureManaged(string action)
    {
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
