using System.Globalization;
using System.Text;

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
