using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Docker.DotNet's models, read into the gateway's own records (see EngineRecords.cs).</summary>
internal static class FromDocker
{
    public static ContainerInfo Container(ContainerInspectResponse c) =>
        new(c.ID, c.Name.TrimStart('/'), c.Config?.Image ?? c.Image, c.State?.Status ?? "unknown",
            Labels(c.Config?.Labels), c.HostConfig?.NetworkMode ?? "default", Endpoints(c.NetworkSettings?.Networks))
        {
            Pid = c.State?.Pid ?? 0,
            StartedAt = c.State?.StartedAt ?? "",
            ExitCode = c.State?.ExitCode ?? 0,
            FinishedAt = c.State?.FinishedAt ?? "",
            Ports = Ports(c.NetworkSettings?.Ports),
            Links = Links(c),
        };

    public static ContainerInfo Container(ContainerListResponse c) =>
        new(c.ID, OwnName(c.Names) ?? c.ID[..Math.Min(12, c.ID.Length)], c.Image, c.State ?? "unknown",
            Labels(c.Labels), c.HostConfig?.NetworkMode ?? "default", Endpoints(c.NetworkSettings?.Networks))
        {
            Ports = (c.Ports ?? []).Where(p => p.PublicPort > 0)
                .Select(p => new PortMapping(string.IsNullOrEmpty(p.IP) ? null : p.IP, p.PublicPort, p.PrivatePort, p.Type ?? "tcp"))
                .OrderBy(p => p.ContainerPort).ToList(),
            Summary = c.Status ?? "",
        };

    /// <summary>
    /// A listed container's own name. A container that others link to is listed under their
    /// link names too ("/web/db" beside "/db1"), in no set order: its own is the one with no
    /// second slash.
    /// </summary>
    private static string? OwnName(IList<string>? names) =>
        names?.Select(n => n.TrimStart('/')).FirstOrDefault(n => n.Length > 0 && !n.Contains('/'))
        ?? names?.FirstOrDefault()?.TrimStart('/');

    public static NetworkInfo Network(NetworkResponse n) =>
        new(n.ID, n.Name, n.Driver, n.Scope, n.Internal, Labels(n.Options), Labels(n.Labels),
            (n.IPAM?.Config ?? []).Where(c => !string.IsNullOrEmpty(c.Subnet))
                .Select(c => new SubnetInfo(c.Subnet!, string.IsNullOrEmpty(c.Gateway) ? null : c.Gateway)).ToList())
        {
            Created = n.Created,
            Attachable = n.Attachable,
            Members = (n.Containers ?? new Dictionary<string, EndpointResource>()).Values
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToDictionary(e => e.Name, e => e.IPv4Address?.Split('/')[0] is { Length: > 0 } ip ? ip : null, StringComparer.Ordinal),
        };

    /// <summary>Computes the figures the docker CLI shows from one stats sample.</summary>
    public static ContainerStats Stats(string name, ContainerStatsResponse s)
    {
        var cpu = 0.0;
        if (s.CPUStats?.CPUUsage is { } now && s.PreCPUStats?.CPUUsage is { } before
            && s.CPUStats.SystemUsage is { } sysNow && s.PreCPUStats.SystemUsage is { } sysBefore
            && sysNow > sysBefore && now.TotalUsage >= before.TotalUsage)
        {
            var cpus = s.CPUStats.OnlineCPUs is > 0 ? s.CPUStats.OnlineCPUs.Value : (uint)Math.Max(1, now.PercpuUsage?.Count ?? 1);
            cpu = (double)(now.TotalUsage - before.TotalUsage) / (sysNow - sysBefore) * cpus * 100.0;
        }

        var usage = s.MemoryStats?.Usage ?? 0;
        // The docker CLI leaves reclaimable page cache out: total_inactive_file (cgroup v1) when it is
        // below the usage, else inactive_file (cgroup v2), else nothing.
        if (s.MemoryStats?.Stats is { } m)
        {
            if (m.TryGetValue("total_inactive_file", out var v1) && v1 < usage)
            {
                usage -= v1;
            }
            else if (m.TryGetValue("inactive_file", out var v2) && v2 < usage)
            {
                usage -= v2;
            }
        }

        var networks = (s.Networks ?? new Dictionary<string, NetworkStats>())
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new InterfaceTraffic(kv.Key, kv.Value.RxBytes, kv.Value.TxBytes, kv.Value.RxPackets, kv.Value.TxPackets))
            .ToList();
        return new ContainerStats(name, cpu, usage, s.MemoryStats?.Limit ?? 0, networks);
    }

    /// <summary>
    /// Its links as <c>/target:/self/alias</c>: the default bridge keeps them in the host config,
    /// a user-defined network in the endpoint (as <c>target:alias</c>).
    /// </summary>
    private static List<string> Links(ContainerInspectResponse c)
    {
        var name = c.Name.TrimStart('/');
        var links = new List<string>(c.HostConfig?.Links ?? []);
        foreach (var endpoint in c.NetworkSettings?.Networks?.Values ?? [])
        {
            foreach (var link in endpoint.Links ?? [])
            {
                var parts = link.Split(':', 2);
                var form = $"/{parts[0].TrimStart('/')}:/{name}/{(parts.Length > 1 ? parts[1] : parts[0])}";
                if (!links.Contains(form, StringComparer.Ordinal))
                {
                    links.Add(form);
                }
            }
        }
        return links;
    }

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        new(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    private static Dictionary<string, EndpointInfo> Endpoints(IDictionary<string, EndpointSettings>? networks) =>
        (networks ?? new Dictionary<string, EndpointSettings>())
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key,
                kv => new EndpointInfo(kv.Value.NetworkID ?? "", string.IsNullOrEmpty(kv.Value.IPAddress) ? null : kv.Value.IPAddress, kv.Value.Aliases?.ToList() ?? []),
                StringComparer.Ordinal);

    private static List<PortMapping> Ports(IDictionary<string, IList<PortBinding>>? map)
    {
        var ports = new List<PortMapping>();
        foreach (var (key, bindings) in map ?? new Dictionary<string, IList<PortBinding>>())
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
        return ports.OrderBy(p => p.ContainerPort).ThenBy(p => p.HostIp, StringComparer.Ordinal).ToList();
    }
}
