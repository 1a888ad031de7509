using Docker.DotNet.Models;

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

    internal static ContainerSnapshot From(ContainerInspectResponse c)
    {
        var ips = (c.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
            .Where(kv => !string.IsNullOrEmpty(kv.Value.IPAddress))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value.IPAddress, StringComparer.Ordinal);
        var ports = new List<PortMapping>();
        foreach (var (key, bindings) in c.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>())
        {
            var parts = key.Split('/');
            if (bindings is null || !int.TryParse(parts[0], out var containerPort))
            {
                continue;
            }
            foreach (var b in bindings)
            {
                if (int.TryParse(b.HostPort, out var hostPort))
                {
                    ports.Add(new PortMapping(string.IsNullOrEmpty(b.HostIP) ? null : b.HostIP, hostPort, containerPort, parts.Length > 1 ? parts[1] : "tcp"));
                }
            }
        }
        return new ContainerSnapshot(
            c.Name.TrimStart('/'), c.ID, c.Config?.Image ?? c.Image, c.State?.Status ?? "unknown", c.State?.Pid ?? 0,
            c.HostConfig?.NetworkMode ?? "default", Readable.Map(ips),
            Readable.List(ports.OrderBy(p => p.ContainerPort).ThenBy(p => p.HostIp, StringComparer.Ordinal)),
            Readable.Map(new Dictionary<string, string>(c.Config?.Labels ?? new Dictionary<string, string>())));
    }
}
