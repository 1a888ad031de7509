namespace DockScript;

/// <summary>
/// A container's state at one moment, from one <c>docker container inspect</c>. The live
/// properties of <see cref="Container"/> each take a fresh one.
/// </summary>
/// <param name="Name">The container's name, without the leading slash.</param>
/// <param name="Id">The full id.</param>
/// <param name="Image">The image it runs, as given at creation.</param>
/// <param name="State">"running", "exited", "created", "paused", …</param>
/// <param name="Pid">The main process id on the engine's host; 0 when not running.</param>
/// <param name="NetworkMode">The network it was started on: "bridge"/"default", "host", "none", a network name, or "container:…".</param>
/// <param name="IPs">Network name → IPv4 address, for each network it is on (seed S6).</param>
/// <param name="Ports">Published ports (seed S4: empty on the host network).</param>
/// <param name="Labels">The container's labels.</param>
public sealed record ContainerSnapshot(
    string Name, string Id, string Image, string State, long Pid, string NetworkMode,
    IReadOnlyDictionary<string, string> IPs, IReadOnlyList<PortMapping> Ports, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>True while the container runs.</summary>
    public bool Running => State == "running";

    /// <summary>
    /// The address on the network it was started on, else on its first network: what
    /// <c>{{.NetworkSettings.IPAddress}}</c> shows for a default-bridge container. Null on host and none.
    /// </summary>
    public string? IP
    {
        get
        {
            var mode = NetworkMode is "default" ? "bridge" : NetworkMode;
            if (IPs.TryGetValue(mode, out var ip))
            {
                return ip;
            }
            return IPs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).FirstOrDefault();
        }
    }

    internal static ContainerSnapshot From(ContainerInfo c) => new(
        c.Name, c.Id, c.Image, c.Status, c.Pid, c.NetworkMode,
        Readable.Map(c.Networks.Where(kv => kv.Value.Address is not null).ToDictionary(kv => kv.Key, kv => kv.Value.Address!, StringComparer.Ordinal)),
        Readable.List(c.Ports),
        Readable.Map(new Dictionary<string, string>(c.Labels)));
}
