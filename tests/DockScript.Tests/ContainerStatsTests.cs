using Docker.DotNet.Models;

namespace DockScript.Tests;

public class ContainerStatsTests
{
    private const ulong MiB = 1024 * 1024;

    private static ContainerStatsResponse Sample(
        ulong totalBefore = 1_000_000, ulong totalNow = 3_000_000,
        ulong? systemBefore = 100_000_000, ulong? systemNow = 120_000_000,
        uint? onlineCpus = 4, IList<ulong>? perCpu = null,
        ulong? memoryUsage = 100 * MiB, ulong? memoryLimit = 1000 * MiB,
        IDictionary<string, ulong>? memoryStats = null,
        IDictionary<string, NetworkStats>? networks = null) => new()
    {
        CPUStats = new CPUStats
        {
            CPUUsage = new CPUUsage { TotalUsage = totalNow, PercpuUsage = perCpu! },
            SystemUsage = systemNow,
            OnlineCPUs = onlineCpus,
        },
        PreCPUStats = new CPUStats
        {
            CPUUsage = new CPUUsage { TotalUsage = totalBefore },
            SystemUsage = systemBefore,
            OnlineCPUs = onlineCpus,
        },
        MemoryStats = new MemoryStats { Usage = memoryUsage, Limit = memoryLimit, Stats = memoryStats! },
        Networks = networks!,
    };

    [Fact]
    public void Cpu_percent_is_the_share_of_system_time_times_online_cpus()
    {
        // (2,000,000 / 20,000,000) * 4 * 100 = 40 %
        var stats = FromDocker.Stats("web1", Sample());

        Assert.Equal(40.0, stats.CpuPercent, 9);
    }

    [Fact]
    public void Cpu_count_falls_back_to_the_per_cpu_list()
    {
        var stats = FromDocker.Stats("web1", Sample(onlineCpus: null, perCpu: [1, 2]));

        Assert.Equal(20.0, stats.CpuPercent, 9);
    }

    [Fact]
    public void Missing_previous_sample_gives_zero_cpu()
    {
        var sample = Sample();
        sample.PreCPUStats = null!;

        Assert.Equal(0.0, FromDocker.Stats("web1", sample).CpuPercent);
    }

    [Fact]
    public void Previous_sample_without_system_usage_gives_zero_cpu()
    {
        Assert.Equal(0.0, FromDocker.Stats("web1", Sample(systemBefore: null)).CpuPercent);
    }

    [Fact]
    public void No_system_time_elapsed_gives_zero_cpu()
    {
        Assert.Equal(0.0, FromDocker.Stats("web1", Sample(systemBefore: 120_000_000, systemNow: 120_000_000)).CpuPercent);
    }

    [Fact]
    public void Memory_leaves_out_inactive_file_on_cgroup_v2()
    {
        var stats = FromDocker.Stats("web1", Sample(memoryStats: new Dictionary<string, ulong> { ["inactive_file"] = 30 * MiB, ["active_file"] = 5 * MiB }));

        Assert.Equal(70 * MiB, stats.MemoryBytes);
        Assert.Equal(1000 * MiB, stats.MemoryLimitBytes);
        Assert.Equal(7.0, stats.MemoryPercent, 9);
    }

    [Fact]
    public void Memory_leaves_out_total_inactive_file_on_cgroup_v1()
    {
        var stats = FromDocker.Stats("web1", Sample(memoryStats: new Dictionary<string, ulong>
        {
            ["total_inactive_file"] = 40 * MiB,
            ["inactive_file"] = 1 * MiB,
        }));

        Assert.Equal(60 * MiB, stats.MemoryBytes);
    }

    [Fact]
    public void Memory_without_stats_is_the_raw_usage()
    {
        var stats = FromDocker.Stats("web1", Sample());

        Assert.Equal(100 * MiB, stats.MemoryBytes);
    }

    [Fact]
    public void Networks_are_sorted_by_interface_and_totalled()
    {
        var stats = FromDocker.Stats("web1", Sample(networks: new Dictionary<string, NetworkStats>
        {
            ["eth1"] = new() { RxBytes = 10, TxBytes = 20, RxPackets = 1, TxPackets = 2 },
            ["eth0"] = new() { RxBytes = 1000, TxBytes = 2000, RxPackets = 10, TxPackets = 20 },
        }));

        Assert.Equal(new[] { "eth0", "eth1" }, stats.Networks.Select(n => n.Interface));
        Assert.Equal(new InterfaceTraffic("eth0", 1000, 2000, 10, 20), stats.Networks[0]);
        Assert.Equal(1010UL, stats.RxBytes);
        Assert.Equal(2020UL, stats.TxBytes);
        Assert.Equal(11UL, stats.RxPackets);
        Assert.Equal(22UL, stats.TxPackets);
    }

    [Fact]
    public void Host_network_container_has_no_interfaces_and_zero_traffic()
    {
        var stats = FromDocker.Stats("h1", Sample(networks: null));

        Assert.Empty(stats.Networks);
        Assert.Equal(0UL, stats.RxBytes);
        Assert.Equal(0UL, stats.TxBytes);
    }

    [Fact]
    public void ToString_shows_cpu_memory_and_network_io()
    {
        var stats = FromDocker.Stats("web1", Sample(
            memoryStats: new Dictionary<string, ulong> { ["inactive_file"] = 30 * MiB },
            networks: new Dictionary<string, NetworkStats> { ["eth0"] = new() { RxBytes = 2048, TxBytes = 512, RxPackets = 3, TxPackets = 4 } }));

        Assert.Equal(
            "web1: CPU 40.00%  MEM 70.0 MB / 1000.0 MB  NET I/O 2.0 KB / 512 B\n  eth0: rx 2.0 KB (3 pkts) / tx 512 B (4 pkts)",
            stats.ToString());
    }
}
