using System.Globalization;
using System.Text;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Traffic counters of one interface, as <c>docker stats</c> sums them.</summary>
/// <param name="Interface">The interface inside the container, e.g. <c>eth0</c>.</param>
/// <param name="RxBytes">Bytes received.</param>
/// <param name="TxBytes">Bytes sent.</param>
/// <param name="RxPackets">Packets received.</param>
/// <param name="TxPackets">Packets sent.</param>
public sealed record InterfaceTraffic(string Interface, ulong RxBytes, ulong TxBytes, ulong RxPackets, ulong TxPackets)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Interface}: rx {ByteSize.Format(RxBytes)} ({RxPackets} pkts) / tx {ByteSize.Format(TxBytes)} ({TxPackets} pkts)";
}

/// <summary>
/// A container's resource use at one moment: what <c>docker stats</c> shows (seed S3).
/// </summary>
/// <param name="Container">The container's name.</param>
/// <param name="CpuPercent">CPU use in percent of one core, over the sampling interval.</param>
/// <param name="MemoryBytes">Memory in use, without the page cache (as the docker CLI counts it).</param>
/// <param name="MemoryLimitBytes">The memory limit, or the host's memory when unlimited.</param>
/// <param name="Networks">Per-interface counters; empty on the host and none networks.</param>
/// <example><code>web1.Stats().RxBytes</code></example>
public sealed record ContainerStats(string Container, double CpuPercent, ulong MemoryBytes, ulong MemoryLimitBytes, IReadOnlyList<InterfaceTraffic> Networks)
{
    /// <summary>Bytes received over all interfaces.</summary>
    /// <example><code>web1.Stats().RxBytes</code></example>
    public ulong RxBytes => Networks.Aggregate(0UL, (sum, n) => sum + n.RxBytes);

    /// <summary>Bytes sent over all interfaces.</summary>
    /// <example><code>web1.Stats().TxBytes</code></example>
    public ulong TxBytes => Networks.Aggregate(0UL, (sum, n) => sum + n.TxBytes);

    /// <summary>Packets received over all interfaces.</summary>
    public ulong RxPackets => Networks.Aggregate(0UL, (sum, n) => sum + n.RxPackets);

    /// <summary>Packets sent over all interfaces.</summary>
    public ulong TxPackets => Networks.Aggregate(0UL, (sum, n) => sum + n.TxPackets);

    /// <summary>Memory use in percent of the limit.</summary>
    public double MemoryPercent => MemoryLimitBytes == 0 ? 0 : 100.0 * MemoryBytes / MemoryLimitBytes;

    /// <summary>Computes the figures the docker CLI shows from one stats sample.</summary>
    internal static ContainerStats From(string name, ContainerStatsResponse s)
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

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Container}: CPU {CpuPercent:0.00}%  MEM {ByteSize.Format(MemoryBytes)} / {ByteSize.Format(MemoryLimitBytes)}  NET I/O {ByteSize.Format(RxBytes)} / {ByteSize.Format(TxBytes)}");
        foreach (var n in Networks)
        {
            text.Append("\n  ").Append(n);
        }
        return text.ToString();
    }
}
